/**
 * Many cell faults of one column in one pass (the fast engine's batch path).
 *
 * When every driven segment of a layer has the same set of driven rows, a cell fault
 * on a driven row changes the column current to one value I' in all driven segments
 * and nowhere else, so the neuron's response is a function of the scalar I'. For a
 * monotone neuron model (neuron-bounds.ts) in a hidden layer nobody observes directly,
 * only the spike WINDOWS matter, and they are the same for every I' between two
 * currents that give the good windows: the first spike time is monotone in I'
 * (comparison principle), so it is sandwiched; after a spike the neuron rests until the
 * next window and restarts from x = 0 whatever I' was, and the argument repeats window
 * by window. So the faults that keep the good windows form an interval of I' around
 * the good current: compute every fault's I' (O(1) each, crossbar sensitivity), sort,
 * and find the interval's ends by binary search — O(log n) neuron runs per column
 * instead of n. Only the faults outside it go on to be evaluated one by one.
 *
 *   columnBatchChanged(net, ctx, 0, 17, plans)  // [4, 9]: only plans[4] and plans[9] may change anything
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { outputWithCellChange } from "../sim/crossbar.ts";
import { runNeuron } from "../sim/network.ts";
import type { CellPlan } from "./fault-plan.ts";
import type { VectorContext } from "./vector-context.ts";

function sameWindows(a: { window: number }[], b: { window: number }[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].window !== b[i].window) return false;
  return true;
}

/** Whether a column batch applies in this vector (the caller checks model monotone, layer hidden, deterministic). */
export function batchable(ctx: VectorContext, layer: number): boolean {
  return ctx.layers[layer].singleDriven >= 0;
}

/**
 * Of cell faults on column `col` of `layer` (rows driven in this vector), return the
 * indices (into `plans`) of those that may change the neuron's spike windows; every
 * other fault provably changes nothing. The faults whose windows stay good form one
 * interval of I' around the good current (sandwich argument above), found by binary
 * search over the faults sorted by I' — O(log n) neuron runs for the column.
 */
export function columnBatchChanged(net: CompiledNetwork, ctx: VectorContext, layer: number, col: number, plans: readonly CellPlan[]): number[] {
  const L = ctx.layers[layer];
  const sens = ctx.sensitivity(layer, L.singleDriven, col);
  const n = plans.length;
  const cur = new Float64Array(n);
  for (let k = 0; k < n; k++) cur[k] = outputWithCellChange(sens, plans[k].row, plans[k].oldOhms, plans[k].newOhms, net.writeVoltageV);
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => cur[a] - cur[b]);
  const l = net.layers[layer];
  const segs = L.run.segments;
  const good = ctx.trains[layer][col];
  const ok = (k: number) =>
    sameWindows(runNeuron(l.model, l.neurons[col], segs, (s) => (segs[s].activeRows.length > 0 ? cur[order[k]] : 0), null), good);
  // Split at the good current: below it P(k) is false…true, above it true…false.
  const iGood = sens.outputUa;
  let mid = 0;
  while (mid < n && cur[order[mid]] < iGood) mid++;
  let a = 0;
  let b = mid; // first index in [0, mid) with ok, or mid
  if (a < b && !ok(a)) {
    a++;
    while (a < b) {
      const m = (a + b) >> 1;
      if (ok(m)) b = m;
      else a = m + 1;
    }
  } else b = 0;
  const lowEnd = b;
  a = mid;
  b = n; // first index in [mid, n) with !ok, or n
  if (a < b && !ok(b - 1)) {
    while (a < b) {
      const m = (a + b) >> 1;
      if (ok(m)) a = m + 1;
      else b = m;
    }
  } else a = n;
  const highStart = a;
  const changed: number[] = [];
  for (let k = 0; k < lowEnd; k++) changed.push(order[k]);
  for (let k = highStart; k < n; k++) changed.push(order[k]);
  return changed;
}
