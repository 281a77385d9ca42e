/**
 * What a fault asks of a stimulus: which neuron must change its spike (the site
 * neuron), which first-layer rows must or should be on, whether that neuron reaches the
 * pins, and the row ladders the threshold-edge search climbs.
 *
 *   const t = faultTarget(net, fault);   // dead-synapse@l0.r2.c3 → { layer: 0, col: 3, required: [2], preferred: [], observable: true }
 *   ladderOrders(net, t)                 // [[2, 0, 1, 3], [2, 3, 1, 0]]: required rows first, then by conductance
 *
 * First-layer sites: a cell needs its row on; a segment k open only sees the current of
 * rows 0..k, so those come first. Deeper sites: the first-layer rows are ranked by their
 * influence on the site neuron (the product of conductances along every path, a cheap
 * linear proxy; with a differential read each conductance is the cell's minus the
 * reference cell's, so rows that lower the current rank last), and for a cell of
 * layer l > 0 by their influence on the row's presynaptic neuron.
 */
import type { Fault } from "../faults/fault.ts";
import type { CompiledLayer, CompiledNetwork } from "../sim/compile.ts";
import { observableLayers } from "../sim/network.ts";

export interface FaultTarget {
  layer: number;
  col: number;
  /** First-layer rows that must be on. */
  required: number[];
  /** First-layer rows to switch on before the others. */
  preferred: number[];
  /** The site neuron's spikes reach the pins directly. */
  observable: boolean;
  /** For a cell of layer > 0: the presynaptic neuron (layer − 1, row) that must fire. */
  presynaptic?: { layer: number; col: number };
}

/** The target of a fault. */
export function faultTarget(net: CompiledNetwork, f: Fault): FaultTarget {
  const s = f.site;
  const layer = s.layer;
  const col = s.col;
  const observable = observableLayers(net).includes(layer);
  const t: FaultTarget = { layer, col, required: [], preferred: [], observable };
  if (layer === 0) {
    if (s.kind === "cell" || s.kind === "cell-series" || s.kind === "cell-read") t.required = [s.row];
    else if (s.kind === "segment") t.preferred = Array.from({ length: s.index + 1 }, (_, r) => r);
  } else if (s.kind === "cell" || s.kind === "cell-series" || s.kind === "cell-read") {
    t.presynaptic = { layer: layer - 1, col: s.row };
  }
  return t;
}

/**
 * Conductance a driven row adds to column c's neuron current: the cell's, minus the
 * reference cell's of a differential read (negative for a cell weaker than the reference).
 */
function netConductanceS(l: CompiledLayer, c: number, row: number): number {
  return 1 / l.cellOhms[c * l.rows + row] - (l.reference ? 1 / l.reference.cellOhms[row] : 0);
}

/** Conductance of first-layer-row paths to every neuron of `layer` (signed with a differential read): influence[c][row]. */
export function influence(net: CompiledNetwork, layer: number): Float64Array[] {
  const l0 = net.layers[0];
  let inf = Array.from({ length: l0.cols }, (_, c) => {
    const a = new Float64Array(l0.rows);
    for (let r = 0; r < l0.rows; r++) a[r] = netConductanceS(l0, c, r);
    return a;
  });
  for (let li = 1; li <= layer; li++) {
    const l = net.layers[li];
    inf = Array.from({ length: l.cols }, (_, c) => {
      const a = new Float64Array(l0.rows);
      for (let h = 0; h < l.rows; h++) {
        const g = netConductanceS(l, c, h);
        const prev = inf[h];
        for (let r = 0; r < a.length; r++) a[r] += g * prev[r];
      }
      return a;
    });
  }
  return inf;
}

function rankBy(weights: Float64Array, rows: readonly number[], descending: boolean): number[] {
  return [...rows].sort((a, b) => (descending ? weights[b] - weights[a] : weights[a] - weights[b]) || a - b);
}

/**
 * Ladders (row orders) for a target: required rows, then preferred, then the rest —
 * strongest first, and weakest first (finer current steps near the edge).
 */
export function ladderOrders(net: CompiledNetwork, t: FaultTarget, infCache?: Map<number, Float64Array[]>): number[][] {
  const rows = net.layers[0].rows;
  const anchor = t.presynaptic ?? { layer: t.layer, col: t.col };
  let inf = infCache?.get(anchor.layer);
  if (!inf) {
    inf = influence(net, anchor.layer);
    infCache?.set(anchor.layer, inf);
  }
  const w = inf[anchor.col];
  const fixed = new Set([...t.required, ...t.preferred]);
  const rest = Array.from({ length: rows }, (_, r) => r).filter((r) => !fixed.has(r));
  const pref = t.preferred.filter((r) => !t.required.includes(r));
  const orders = [true, false].map((desc) => [...t.required, ...rankBy(w, pref, desc), ...rankBy(w, rest, desc)]);
  return orders[0].join() === orders[1].join() ? [orders[0]] : orders;
}
