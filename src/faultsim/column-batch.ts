/**
 * Many faults of one column in one pass (the fast engine's batch path).
 *
 * When every driven segment of a layer has the same set of driven rows, a cell or a
 * line-segment fault changes the column current to one value I' in all driven segments
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
 *   const n = columnBatchChanged(net, ctx, 0, 17, currents, count, out)  // out[0..n) = [4, 9]: only faults 4 and 9 may change anything
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { runNeuron } from "../sim/network.ts";
import type { VectorContext } from "./vector-context.ts";
import { sameWindows } from "./spike-trains.ts";

/** Whether a column batch applies in this vector (the caller checks model monotone, layer hidden, deterministic). */
export function batchable(ctx: VectorContext, layer: number): boolean {
  return ctx.layers[layer].singleDriven >= 0;
}

/**
 * Of `n` faults on column `col` of `layer` whose faulty neuron current in every driven
 * segment is `cur[k]` (µA), write into `changed` the indices of those that may change
 * the neuron's spike windows and return how many; every other fault provably changes
 * nothing. The faults whose windows stay good form one interval of I' around the good
 * current (sandwich argument above), found by binary search over the faults sorted by
 * I' — O(log n) neuron runs for the column. `sorted` is scratch of length ≥ n.
 */
export function columnBatchChanged(
  net: CompiledNetwork,
  ctx: VectorContext,
  layer: number,
  col: number,
  cur: Float64Array,
  n: number,
  sorted: Float64Array,
  changed: Int32Array,
): number {
  const L = ctx.layers[layer];
  const iGood = ctx.sensitivity(layer, L.singleDriven, col).outputUa;
  sorted.set(cur.subarray(0, n));
  sorted.subarray(0, n).sort();
  const l = net.layers[layer];
  const segs = L.run.segments;
  const good = ctx.trains[layer][col];
  const ok = (current: number) => sameWindows(runNeuron(l.model, l.neurons[col], segs, (s) => (segs[s].activeRows.length > 0 ? current : 0), null), good);
  // Split at the good current; below it ok(sorted[k]) is false…true, above it true…false.
  let mid = 0;
  while (mid < n && sorted[mid] < iGood) mid++;
  // Smallest ok value below the split (or the split itself when every value below is ok / there is none).
  let lowOk = mid < n ? sorted[mid] : iGood;
  if (mid > 0) {
    if (ok(sorted[0])) lowOk = sorted[0];
    else {
      let a = 1;
      let b = mid; // first ok index in [1, mid]
      while (a < b) {
        const m = (a + b) >> 1;
        if (ok(sorted[m])) b = m;
        else a = m + 1;
      }
      lowOk = b < mid ? sorted[b] : Number.POSITIVE_INFINITY;
    }
  }
  // Largest ok value at or above the split.
  let highOk = mid > 0 ? sorted[mid - 1] : iGood;
  if (mid < n) {
    if (ok(sorted[n - 1])) highOk = sorted[n - 1];
    else {
      let a = mid;
      let b = n - 1; // first not-ok index in [mid, n − 1]
      while (a < b) {
        const m = (a + b) >> 1;
        if (ok(sorted[m])) a = m + 1;
        else b = m;
      }
      highOk = a > mid ? sorted[a - 1] : Number.NEGATIVE_INFINITY;
    }
  }
  let m = 0;
  for (let k = 0; k < n; k++) {
    const v = cur[k];
    const inLow = v < iGood ? v >= lowOk : true;
    const inHigh = v >= iGood ? v <= highOk : true;
    if (!(inLow && inHigh)) changed[m++] = k;
  }
  return m;
}
