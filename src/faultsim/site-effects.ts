/**
 * Element effects of the faults of a universe, memoised by what they depend on. A
 * universe fault (`SiteFault`) is one resolved model at one site, and its effect on a
 * cell or a line segment depends only on the model, the site kind and the element's
 * fault-free state (weight and branch ohms of a cell, ohms of a segment) — the effect
 * calculator's own cache key (faults/fault-effect.ts). So the calculator runs once per
 * (model, kind, state) and every other fault gets that effect moved to its site, with no
 * perturbation list and no key string built per fault. Neuron sites and faults that are
 * not universe faults go to the calculator as before.
 *
 *   const effectsOf = createSiteEffects(analysis);
 *   effectsOf(fault)  // [{ kind: "segment", layer: 0, col: 5, index: 17, oldOhms: 5, newOhms: 16005 }]
 */
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { ElementEffect } from "../faults/fault-effect.ts";
import type { Fault } from "../faults/fault.ts";
import { SiteFault, type ResolvedFaultModel } from "../faults/site-fault.ts";

const noEffect: ElementEffect[] = [];

export function createSiteEffects(analysis: FaultAnalysis): (f: Fault) => ElementEffect[] {
  const net = analysis.net;
  // Per model and site kind: state → the effect at a template site (or null: none / not a single cell or segment effect).
  const memo = new Map<ResolvedFaultModel, Map<string, Map<number, Map<number, ElementEffect | null>>>>();
  const templateOf = (f: SiteFault, a: number, b: number): ElementEffect | null | undefined => {
    let byKind = memo.get(f.resolved);
    if (!byKind) memo.set(f.resolved, (byKind = new Map()));
    let byA = byKind.get(f.site.kind);
    if (!byA) byKind.set(f.site.kind, (byA = new Map()));
    let byB = byA.get(a);
    if (!byB) byA.set(a, (byB = new Map()));
    let fx = byB.get(b);
    if (fx === undefined) {
      const all = analysis.effects.effectOf(f.perturbations);
      fx = all.length === 1 && (all[0].kind === "cell" || all[0].kind === "segment") ? all[0] : null;
      // A zero-effect fault is cached as an empty template (kind "none" below).
      byB.set(b, all.length === 0 ? empty : fx);
      return all.length === 0 ? empty : fx;
    }
    return fx;
  };
  return (f) => {
    if (!(f instanceof SiteFault) || f.resolved.storage) return analysis.effects.effectOf(f.perturbations);
    const s = f.site;
    if (s.kind === "neuron" || s.kind === "cell-read") return analysis.effects.effectOf(f.perturbations);
    const l = net.layers[s.layer];
    if (s.kind === "segment") {
      const fx = templateOf(f, l.segmentOhms[s.col * l.rows + s.index], 0);
      if (fx === empty) return noEffect;
      if (!fx || fx.kind !== "segment") return analysis.effects.effectOf(f.perturbations);
      return [{ kind: "segment", layer: s.layer, col: s.col, index: s.index, oldOhms: fx.oldOhms, newOhms: fx.newOhms }];
    }
    const cell = s.col * l.rows + s.row;
    const fx = templateOf(f, l.weights[cell], l.cellOhms[cell]);
    if (fx === empty) return noEffect;
    if (!fx || fx.kind !== "cell") return analysis.effects.effectOf(f.perturbations);
    return [{ kind: "cell", layer: s.layer, row: s.row, col: s.col, oldOhms: fx.oldOhms, newOhms: fx.newOhms }];
  };
}

/** Marker of a cached "no effect at all". */
const empty: ElementEffect = Object.freeze({ kind: "cell", layer: -1, row: -1, col: -1, oldOhms: Number.NaN, newOhms: Number.NaN });
