/**
 * Element effects of the faults of a universe, memoised by what they depend on. A
 * universe fault (`SiteFault`) is one resolved model at one site, and its effect on a
 * cell or a line segment depends only on the model, the site kind and the element's
 * fault-free state (weight and branch ohms of a cell, ohms of a segment) — the effect
 * calculator's own cache key (faults/fault-effect.ts). So the calculator runs once per
 * (model, kind, state) and every other fault gets that effect moved to its site, with no
 * perturbation list, key string or effect object built per fault (the returned effect
 * is a reused scratch object); an in-cell read-path fault whose template has no effect
 * has none either (0.8 M of them on bnn, each was a perturbation list and a calculator
 * call). Neuron sites and faults that are not universe faults go to the calculator as before.
 *
 *   const effectsOf = createSiteEffects(analysis);
 *   effectsOf(fault)  // [{ kind: "segment", layer: 0, col: 5, index: 17, oldOhms: 5, newOhms: 16005 }]
 */
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { CellEffect, ElementEffect, SegmentEffect } from "../faults/fault-effect.ts";
import type { Fault } from "../faults/fault.ts";
import { SiteFault, type ResolvedFaultModel } from "../faults/site-fault.ts";

const noEffect: ElementEffect[] = [];
const kindIndex: Record<string, number> = { cell: 0, "cell-series": 1, segment: 2, "cell-read": 3 };

/** The last (state → effect) seen for one model and site kind: in a crossbar most elements share a handful of states. */
interface Slot {
  a: number;
  b: number;
  fx: ElementEffect | null | undefined;
  all: Map<string, ElementEffect | null>;
}

/**
 * `effectsOf(fault)`: its element effects. The array and effect object it returns for a
 * universe fault on a cell or segment are reused by the next call (the campaign reads
 * them once and keeps nothing, see campaign.ts `prepare`).
 */
export function createSiteEffects(analysis: FaultAnalysis): (f: Fault) => ElementEffect[] {
  const net = analysis.net;
  const slots = new Map<ResolvedFaultModel, Slot[]>();
  const cellOut: CellEffect = { kind: "cell", layer: 0, row: 0, col: 0, oldOhms: 0, newOhms: 0 };
  const segOut: SegmentEffect = { kind: "segment", layer: 0, col: 0, index: 0, oldOhms: 0, newOhms: 0 };
  const cellArr: ElementEffect[] = [cellOut];
  const segArr: ElementEffect[] = [segOut];
  // The effect at a template site of this model and kind on an element in state (a, b); `empty` = no effect at all, null = not one cell / segment effect.
  const templateOf = (f: SiteFault, a: number, b: number): ElementEffect | null => {
    let byKind = slots.get(f.resolved);
    if (!byKind) slots.set(f.resolved, (byKind = []));
    const k = kindIndex[f.site.kind];
    const slot = (byKind[k] ??= { a: Number.NaN, b: Number.NaN, fx: undefined, all: new Map() });
    if (slot.fx !== undefined && slot.a === a && slot.b === b) return slot.fx;
    const key = `${a}|${b}`;
    let fx = slot.all.get(key);
    if (fx === undefined) {
      const all = analysis.effects.effectOf(f.perturbations);
      fx = all.length === 0 ? empty : all.length === 1 && (all[0].kind === "cell" || all[0].kind === "segment") ? all[0] : null;
      slot.all.set(key, fx);
    }
    slot.a = a;
    slot.b = b;
    slot.fx = fx;
    return fx;
  };
  return (f) => {
    // A storage model's WRITE and pause behaviour (cell-storage.ts) is not an element effect: the calculator sees only the perturbations, so it is memoised like any other.
    if (!(f instanceof SiteFault)) return analysis.effects.effectOf(f.perturbations);
    const s = f.site;
    if (s.kind === "neuron") return analysis.effects.effectOf(f.perturbations);
    const l = net.layers[s.layer];
    if (s.kind === "cell-read") {
      // An in-cell read-path fault: no effect at all (memoised like a cell's), else the calculator.
      const cell = s.col * l.rows + s.row;
      return templateOf(f, l.weights[cell], l.cellOhms[cell]) === empty ? noEffect : analysis.effects.effectOf(f.perturbations);
    }
    if (s.kind === "segment") {
      const fx = templateOf(f, l.segmentOhms[s.col * l.rows + s.index], 0);
      if (fx === empty) return noEffect;
      if (!fx || fx.kind !== "segment") return analysis.effects.effectOf(f.perturbations);
      segOut.layer = s.layer;
      segOut.col = s.col;
      segOut.index = s.index;
      segOut.oldOhms = fx.oldOhms;
      segOut.newOhms = fx.newOhms;
      return segArr;
    }
    const cell = s.col * l.rows + s.row;
    const fx = templateOf(f, l.weights[cell], l.cellOhms[cell]);
    if (fx === empty) return noEffect;
    if (!fx || fx.kind !== "cell") return analysis.effects.effectOf(f.perturbations);
    cellOut.layer = s.layer;
    cellOut.row = s.row;
    cellOut.col = s.col;
    cellOut.oldOhms = fx.oldOhms;
    cellOut.newOhms = fx.newOhms;
    return cellArr;
  };
}

/** Marker of a cached "no effect at all". */
const empty: ElementEffect = Object.freeze({ kind: "cell", layer: -1, row: -1, col: -1, oldOhms: Number.NaN, newOhms: Number.NaN });
