/**
 * Fault site kinds (the `siteKind` of a fault model file) and the simulator sites
 * (`src/sim/sites.ts`) each one stands for — a typed registry keyed by kind. The
 * universe selects a model's simulator sites from here (`simKindsOfModel`) and the
 * inverse (`faultSiteKindOf`) is derived from it; the compiler checks that every
 * simulator site kind belongs to some fault site kind.
 *
 *   synapse        l0.r2.c3          one per bit-cell
 *   neuron         l0.n3             one per column neuron
 *   line-segment   l0.c3.seg1        one per column line segment (rows per column)
 *   cell-internal  l0.r2.c3.series   in-cell write-path open (MTJ / access stack)
 *                  l0.r2.c3.read     in-cell sense-path open (carries no write current)
 *
 *   faultSiteKinds["line-segment"].simKinds  // ["segment"]
 *   faultSiteKindOf("cell-read")             // "cell-internal"
 */
import type { FaultModel, FaultSiteKind } from "../formats/fault-model-format.ts";
import type { Site } from "../sim/sites.ts";

type SimKind = Site["kind"];

export interface FaultSiteKindInfo {
  /** Simulator site kinds a fault of this kind sits on. */
  simKinds: readonly SimKind[];
  /** One-line description for reports. */
  title: string;
  /** Narrow `simKinds` by the model's `appliesTo` (default: all of them). */
  narrow?(appliesTo: FaultModel["appliesTo"]): readonly SimKind[];
}

/** A registry of fault site kinds (tests pass their own to `simKindsOfModel`). */
export type FaultSiteKindRegistry = Record<FaultSiteKind, FaultSiteKindInfo>;

const inCellPath = { series: "cell-series", read: "cell-read" } as const satisfies Record<NonNullable<FaultModel["appliesTo"]["paths"]>[number], SimKind>;

export const faultSiteKinds = {
  synapse: { simKinds: ["cell"], title: "bit-cell (synapse)" },
  neuron: { simKinds: ["neuron"], title: "column neuron" },
  "line-segment": { simKinds: ["segment"], title: "column line segment" },
  "cell-internal": {
    simKinds: ["cell-series", "cell-read"],
    title: "in-cell write (.series) or sense (.read) path",
    narrow: (a: FaultModel["appliesTo"]) => (a.paths ?? ["series", "read"]).map((p) => inCellPath[p]),
  },
} as const satisfies FaultSiteKindRegistry;

// Compile-time check: every simulator site kind is covered by some fault site kind.
type Covered = (typeof faultSiteKinds)[FaultSiteKind]["simKinds"][number];
const everySimKindCovered: [Exclude<SimKind, Covered>] extends [never] ? true : never = true;
void everySimKindCovered;

const kindOfSim = new Map<SimKind, FaultSiteKind>(
  (Object.keys(faultSiteKinds) as FaultSiteKind[]).flatMap((k) => faultSiteKinds[k].simKinds.map((s) => [s, k] as const)),
);

/** The fault site kind a simulator site belongs to (the registry's inverse). */
export function faultSiteKindOf(kind: SimKind): FaultSiteKind {
  return kindOfSim.get(kind)!;
}

/** Simulator site kinds a fault model sits on: its site kinds' `simKinds`, narrowed by `appliesTo`. */
export function simKindsOfModel(
  model: { siteKinds: readonly FaultSiteKind[]; model: Pick<FaultModel, "appliesTo"> },
  registry: FaultSiteKindRegistry = faultSiteKinds,
): Set<SimKind> {
  const out = new Set<SimKind>();
  for (const k of model.siteKinds) {
    const info = registry[k];
    for (const s of info.narrow ? info.narrow(model.model.appliesTo) : info.simKinds) out.add(s);
  }
  return out;
}
