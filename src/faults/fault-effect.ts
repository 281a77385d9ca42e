/**
 * Fault effects: what a fault's perturbations do to the simulator's elements, as
 * plain numbers — "cell l0.r2.c3 goes from 40.6 kΩ to ∞", "neuron l0.n0 gets
 * gainPerUaNs × 0.5". The values come from `applyPerturbations` itself (perturbation.ts
 * stays the only code that changes the chip), applied to a one-element copy of the
 * site so the cost does not grow with the crossbar; results are cached per
 * (perturbations, old state), so a million faults cost a few thousand solves.
 *
 *   const fx = createEffectCalculator(net);
 *   fx.effectOf(fault.perturbations)
 *   // [{ kind: "cell", layer: 0, row: 2, col: 3, oldOhms: 40611.4, newOhms: Infinity }]
 *
 * An empty list means the fault changes nothing the spiking path uses (an in-cell
 * .read open, or a weight set to the value it already has).
 */
import type { CompiledLayer, CompiledNetwork } from "../sim/compile.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";
import { applyPerturbations, type Perturbation } from "../sim/perturbation.ts";
import type { Site } from "../sim/sites.ts";

/** A cell branch (MTJ + access + in-cell series) that changes resistance. */
export interface CellEffect {
  kind: "cell";
  layer: number;
  row: number;
  col: number;
  oldOhms: number;
  newOhms: number;
}

/** A column line segment that changes resistance. */
export interface SegmentEffect {
  kind: "segment";
  layer: number;
  col: number;
  index: number;
  oldOhms: number;
  newOhms: number;
}

/** A neuron whose parameters (or input resistance) change. */
export interface NeuronEffect {
  kind: "neuron";
  layer: number;
  col: number;
  params: Readonly<NeuronParams>;
  oldInputOhms: number;
  newInputOhms: number;
}

export type ElementEffect = CellEffect | SegmentEffect | NeuronEffect;

/** Computes (and caches) element effects of perturbation lists on one network. */
export interface EffectCalculator {
  effectOf(perturbations: readonly Perturbation[]): ElementEffect[];
}

const neuronKeys = ["criticalCurrentUa", "gainPerUaNs", "leakTauNs", "threshold", "sigmoidWidth", "dead"] as const;

function sameNeuron(a: NeuronParams, b: NeuronParams): boolean {
  return neuronKeys.every((k) => (a[k] ?? null) === (b[k] ?? null) || (k === "dead" && Boolean(a.dead) === Boolean(b.dead)));
}

function elementKey(s: Site): string {
  switch (s.kind) {
    case "cell":
    case "cell-series":
      return `c${s.layer}.${s.row}.${s.col}`;
    case "cell-read":
      return `r${s.layer}.${s.row}.${s.col}`;
    case "segment":
      return `s${s.layer}.${s.col}.${s.index}`;
    case "neuron":
      return `n${s.layer}.${s.col}`;
  }
}

function tinyLayer(l: CompiledLayer, cell: number, col: number, seg: number): CompiledLayer {
  return {
    rows: 1,
    cols: 1,
    weights: Float64Array.of(l.weights[cell] ?? 0),
    cellOhms: Float64Array.of(l.cellOhms[cell] ?? 0),
    segmentOhms: Float64Array.of(l.segmentOhms[seg] ?? 0),
    neuronInputOhms: Float64Array.of(l.neuronInputOhms[col]),
    model: l.model,
    neurons: [{ ...l.neurons[col] }],
    neuronSeed: l.neuronSeed,
    reference: null, // faults never touch the reference column; the tiny copy has one row anyway
  };
}

/** Create an effect calculator for a network. */
export function createEffectCalculator(net: CompiledNetwork): EffectCalculator {
  const cache = new Map<string, ElementEffect | null>();

  function groupEffect(group: readonly Perturbation[]): ElementEffect | null {
    const s = group[0].site;
    if (s.kind === "cell-read") return null; // the sense path carries no write current
    const l = net.layers[s.layer];
    const col = s.col;
    const cell = s.kind === "cell" || s.kind === "cell-series" ? col * l.rows + s.row : 0;
    const seg = s.kind === "segment" ? col * l.rows + s.index : 0;
    const sig = group.map((p) => `${p.site.kind}:${p.quantity}:${p.op}:${p.value}`).join(";");
    let old: string;
    if (s.kind === "neuron") {
      const n = l.neurons[col];
      old = `${neuronKeys.map((k) => n[k]).join(",")}|${l.neuronInputOhms[col]}|${l.model}`;
    } else if (s.kind === "segment") old = String(l.segmentOhms[seg]);
    else old = `${l.weights[cell]}|${l.cellOhms[cell]}`;
    const key = `${sig}|${old}`;
    let fx = cache.get(key);
    if (fx === undefined) {
      const tiny = { ...net, layers: [tinyLayer(l, cell, col, seg)] };
      const at = { ...s, layer: 0, col: 0, ...(s.kind === "segment" ? { index: 0 } : {}), ...("row" in s ? { row: 0 } : {}) } as Site;
      const t = applyPerturbations(tiny, group.map((p) => ({ ...p, site: at }))).layers[0];
      fx = null;
      if (s.kind === "neuron") {
        const changed = !sameNeuron(t.neurons[0], l.neurons[col]) || t.neuronInputOhms[0] !== l.neuronInputOhms[col];
        if (changed) fx = { kind: "neuron", layer: 0, col: 0, params: Object.freeze({ ...t.neurons[0] }), oldInputOhms: l.neuronInputOhms[col], newInputOhms: t.neuronInputOhms[0] };
      } else if (s.kind === "segment") {
        if (t.segmentOhms[0] !== l.segmentOhms[seg]) fx = { kind: "segment", layer: 0, col: 0, index: 0, oldOhms: l.segmentOhms[seg], newOhms: t.segmentOhms[0] };
      } else if (t.cellOhms[0] !== l.cellOhms[cell]) {
        fx = { kind: "cell", layer: 0, row: 0, col: 0, oldOhms: l.cellOhms[cell], newOhms: t.cellOhms[0] };
      }
      cache.set(key, fx);
    }
    if (fx === null) return null;
    switch (fx.kind) {
      case "neuron":
        return { ...fx, layer: s.layer, col };
      case "segment":
        return { ...fx, layer: s.layer, col, index: (s as { index: number }).index };
      case "cell":
        return { ...fx, layer: s.layer, col, row: (s as { row: number }).row };
    }
  }

  return {
    effectOf(perturbations) {
      if (perturbations.length === 0) return [];
      const k0 = elementKey(perturbations[0].site);
      if (perturbations.every((p) => elementKey(p.site) === k0)) {
        const fx = groupEffect(perturbations);
        return fx ? [fx] : [];
      }
      const groups = new Map<string, Perturbation[]>();
      for (const p of perturbations) {
        const k = elementKey(p.site);
        const g = groups.get(k);
        if (g) g.push(p);
        else groups.set(k, [p]);
      }
      const out: ElementEffect[] = [];
      for (const g of groups.values()) {
        const fx = groupEffect(g);
        if (fx) out.push(fx);
      }
      return out;
    },
  };
}
