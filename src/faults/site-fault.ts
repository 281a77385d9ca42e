/**
 * The Fault objects the universe hands out: one fault model (with resolved parameter
 * values) at one simulator site. Ids, site ids and perturbations are computed on
 * demand, so a universe of a million faults costs a few small objects per fault.
 *
 *   const f = new SiteFault(resolved, { kind: "cell", layer: 0, row: 2, col: 3 });
 *   f.id             // "dead-synapse@l0.r2.c3"
 *   f.perturbations  // [{ site, quantity: "conductance", op: "set", value: 0 }]
 */
import type { FaultModel } from "../formats/fault-model-format.ts";
import type { CellStorageBehaviour, StorageFault } from "../sim/cell-storage.ts";
import type { Perturbation, PerturbationOp } from "../sim/perturbation.ts";
import { siteId, type Site } from "../sim/sites.ts";
import type { Fault } from "./fault.ts";
import type { LoadedFaultModel } from "./fault-model-loader.ts";

/** A fault model with its parameter values fixed and its perturbation values resolved. */
export interface ResolvedFaultModel {
  readonly loaded: LoadedFaultModel;
  readonly id: string;
  readonly model: FaultModel;
  readonly params: Readonly<Record<string, number>>;
  /** Perturbation templates with `{param}` replaced by numbers. */
  readonly templates: readonly { quantity: string; op: PerturbationOp; value: number }[];
  /** Suffix of fault ids (":50000" for parametric models, "" otherwise). */
  readonly idSuffix: string;
  /** Storage behaviour with parameters resolved (storage faults only). */
  readonly storage?: CellStorageBehaviour;
}

/** Format a parameter value for a fault id. */
export function formatParamValue(v: number): string {
  return v === Number.POSITIVE_INFINITY ? "inf" : String(v);
}

/** Resolve a model's perturbation templates with parameter values. */
export function resolveFaultModel(loaded: LoadedFaultModel, params: Readonly<Record<string, number>>): ResolvedFaultModel {
  const templates = loaded.model.perturbation.map((p) => ({
    quantity: p.quantity,
    op: p.op,
    value: typeof p.value === "number" ? p.value : params[p.value.slice(1, -1)],
  }));
  const idSuffix = loaded.model.parametric ? `:${formatParamValue(params[loaded.model.parametric])}` : "";
  const st = loaded.model.storage;
  const storage: CellStorageBehaviour | undefined = st
    ? {
        ...(st.stuckAt !== undefined ? { stuckAt: st.stuckAt } : {}),
        ...(st.failedTransition ? { failedTransition: st.failedTransition } : {}),
        ...(st.stuckWall ? { stuckWall: true } : {}),
        ...(st.levelShift !== undefined ? { levelShift: typeof st.levelShift === "number" ? st.levelShift : params[st.levelShift.slice(1, -1)] } : {}),
        ...(st.decay
          ? { decay: { from: st.decay.from, to: st.decay.to, deltaKt: typeof st.decay.deltaKt === "number" ? st.decay.deltaKt : params[st.decay.deltaKt.slice(1, -1)] } }
          : {}),
      }
    : undefined;
  return Object.freeze({ loaded, id: loaded.id, model: loaded.model, params, templates: Object.freeze(templates), idSuffix, ...(storage ? { storage } : {}) });
}

/** The perturbations of a resolved model at a site. */
export function perturbationsAt(m: ResolvedFaultModel, site: Site): Perturbation[] {
  return m.templates.map((t) => ({ site, quantity: t.quantity, op: t.op, value: t.value }));
}

/** A fault of the universe (implements the shared `Fault` contract). */
export class SiteFault implements Fault {
  readonly resolved: ResolvedFaultModel;
  readonly site: Site;
  classSize: number;
  equivalents?: string[];

  constructor(resolved: ResolvedFaultModel, site: Site, classSize = 1, equivalents?: string[]) {
    this.resolved = resolved;
    this.site = site;
    this.classSize = classSize;
    if (equivalents) this.equivalents = equivalents;
  }

  get id(): string {
    return `${this.resolved.id}@${siteId(this.site)}${this.resolved.idSuffix}`;
  }
  get modelId(): string {
    return this.resolved.id;
  }
  get siteId(): string {
    return siteId(this.site);
  }
  get layer(): number {
    return this.site.layer;
  }
  get params(): Record<string, number> {
    return this.resolved.params as Record<string, number>;
  }
  get perturbations(): Perturbation[] {
    return perturbationsAt(this.resolved, this.site);
  }
  get storage(): CellStorageBehaviour | undefined {
    return this.resolved.storage;
  }

  /** Plain JSON form (getters are not own properties). */
  toJSON(): Fault {
    return {
      id: this.id,
      modelId: this.modelId,
      siteId: this.siteId,
      site: this.site,
      layer: this.layer,
      params: this.params,
      perturbations: this.perturbations,
      ...(this.storage ? { storage: this.storage } : {}),
      classSize: this.classSize,
      ...(this.equivalents ? { equivalents: this.equivalents } : {}),
    };
  }
}

/** The faulty cell and behaviour of a storage fault, for a simulated chip; undefined for other faults. */
export function storageFaultOf(f: Fault): StorageFault | undefined {
  const s = f.site;
  if (!f.storage || (s.kind !== "cell" && s.kind !== "cell-series")) return undefined;
  return { layer: s.layer, row: s.row, col: s.col, behaviour: f.storage };
}
