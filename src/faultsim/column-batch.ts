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
 * the good current: compute every fault's I' (O(1) each, crossbar sensitivity) and find
 * the interval's ends by binary search over the faults ranked by I' — O(log n) neuron
 * runs per column instead of n. Only the faults outside it go on to be evaluated one by
 * one. The ranks are found by selection (quickselect, Hoare), not a full sort: each
 * probe narrows the range the next one selects in, so the whole search is O(n)
 * expected, and it probes exactly the values a sorted array would give at those ranks.
 *
 * The same argument sorts the faults that DO change the windows: two currents with the
 * same windows sandwich every current between them (same first spike window by
 * monotonicity, the same rest and restart after it, by induction window by window), so
 * each windows set is an interval of I'. A hidden layer's verdict depends only on the
 * windows (the next layer sees nothing else), so `windowClasses` groups the changed
 * faults into those intervals — O(log n) neuron runs per class, a handful of classes —
 * and the engine evaluates one fault per class instead of each.
 *
 *   const n = columnBatchChanged(net, ctx, 0, 17, currents, count, out)  // out[0..n) = [4, 9]: only faults 4 and 9 may change anything
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { drivenWindows, MAX_MASK_WINDOWS, windowMask } from "../sim/network.ts";
import type { VectorContext } from "./vector-context.ts";

/** Whether a column batch applies in this vector (the caller checks model monotone, layer hidden, deterministic). */
export function batchable(ctx: VectorContext, layer: number): boolean {
  return ctx.layers[layer].singleDriven >= 0 && ctx.vector.stimulus.windows <= MAX_MASK_WINDOWS;
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
  const l = net.layers[layer];
  const segs = L.run.segments;
  const good = windowMask(ctx.trains[layer][col]);
  const model = l.model;
  const params = l.neurons[col];
  const ok = (current: number) => drivenWindows(model, params, segs, current) === good;
  // Split at the good current: values below it first (in any order), then the rest.
  // The extremes of each side come from the same pass (what minOf / maxOf of each side would give).
  let mid = 0;
  let hi = n;
  let minBelow = Infinity;
  let maxBelow = -Infinity;
  let minAbove = Infinity;
  let maxAbove = -Infinity;
  for (let k = 0; k < n; k++) {
    const v = cur[k];
    if (v < iGood) {
      sorted[mid++] = v;
      if (v < minBelow) minBelow = v;
      if (v > maxBelow) maxBelow = v;
    } else {
      sorted[--hi] = v;
      if (v < minAbove) minAbove = v;
      if (v > maxAbove) maxAbove = v;
    }
  }
  // Below the split ok(rank k) is false…true, above it true…false (ranks as in ascending order).
  let lowOk = mid < n ? minAbove : iGood;
  if (mid > 0) {
    const v0 = minBelow;
    if (ok(v0)) lowOk = v0;
    else {
      let a = 1;
      let b = mid; // first ok rank in [1, mid]
      let lo = 0; // sorted[lo..b) holds exactly the ranks lo..b−1 (selection keeps ranges closed)
      while (a < b) {
        const m = (a + b) >> 1;
        const v = select(sorted, lo, b - 1, m);
        if (ok(v)) b = m;
        else (a = m + 1), (lo = m + 1);
      }
      lowOk = b < mid ? select(sorted, lo, mid - 1, b) : Number.POSITIVE_INFINITY;
    }
  }
  // Largest ok value at or above the split.
  let highOk = mid > 0 ? maxBelow : iGood;
  if (mid < n) {
    const vn = maxAbove;
    if (ok(vn)) highOk = vn;
    else {
      let a = mid;
      let b = n - 1; // first not-ok rank in [mid, n − 1]
      let lo = mid;
      let top = n - 1;
      while (a < b) {
        const m = (a + b) >> 1;
        const v = select(sorted, lo, top, m);
        if (ok(v)) (a = m + 1), (lo = m + 1);
        else (b = m), (top = m);
      }
      highOk = a > mid ? select(sorted, mid, a - 1, a - 1) : Number.NEGATIVE_INFINITY;
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

/**
 * Group the changed faults `changed[0..m)` (indices into `cur`) of a batched column into
 * classes of equal spike windows: `classOf[b]` is the class of `changed[b]`; returns the
 * number of classes. Each class is an interval of I' (see the header), found from the
 * value nearest the good current outward on each side by a binary search over ranks
 * (selection, as in `columnBatchChanged`). `sorted` is scratch of length ≥ m.
 */
export function windowClasses(
  net: CompiledNetwork,
  ctx: VectorContext,
  layer: number,
  col: number,
  cur: Float64Array,
  changed: Int32Array,
  m: number,
  sorted: Float64Array,
  classOf: Int32Array,
): number {
  const L = ctx.layers[layer];
  const iGood = ctx.sensitivity(layer, L.singleDriven, col).outputUa;
  const l = net.layers[layer];
  const segs = L.run.segments;
  const model = l.model;
  const params = l.neurons[col];
  const windowsAt = (current: number) => drivenWindows(model, params, segs, current);
  const lo: number[] = [];
  const hi: number[] = [];
  // Below the good current as is, above it negated: both walk from the top rank (nearest the good current) down.
  for (const sign of [1, -1]) {
    let cnt = 0;
    for (let b = 0; b < m; b++) {
      const v = cur[changed[b]];
      if (sign === 1 ? v < iGood : v >= iGood) sorted[cnt++] = sign * v;
    }
    let r = cnt - 1; // sorted[0..r] holds exactly ranks 0..r
    while (r >= 0) {
      const top = select(sorted, 0, r, r);
      const w = windowsAt(sign * top);
      let a = 0;
      let b = r; // first rank in [0, r] with w's windows (true from there to r)
      let from = 0; // sorted[from..b−1] holds exactly ranks from..b−1
      while (a < b) {
        const mid = (a + b) >> 1;
        const v = select(sorted, from, b - 1, mid);
        if (windowsAt(sign * v) === w) b = mid;
        else (a = mid + 1), (from = mid + 1);
      }
      const bottom = sorted[b];
      lo.push(sign === 1 ? bottom : -top);
      hi.push(sign === 1 ? top : -bottom);
      r = b - 1;
    }
  }
  for (let b = 0; b < m; b++) {
    const v = cur[changed[b]];
    let k = 0;
    while (k < lo.length && !(v >= lo[k] && v <= hi[k])) k++;
    if (k === lo.length) throw new Error(`column batch l${layer}.c${col}: current ${v} µA in no windows class (internal error)`);
    classOf[b] = k;
  }
  return lo.length;
}

/**
 * The value of rank `k` (0 = smallest of the whole array) when a[lo..hi] holds exactly
 * ranks lo..hi: rearranges a[lo..hi] so that a[k] is that value, everything before it in
 * the range ≤ it and everything after ≥ it (Hoare's selection, median-of-three pivot).
 */
export function select(a: Float64Array, lo: number, hi: number, k: number): number {
  while (hi > lo) {
    const m = (lo + hi) >> 1;
    // Median of three as pivot, guards against sorted input.
    let x = a[lo];
    let y = a[m];
    let z = a[hi];
    if (x > y) [x, y] = [y, x];
    if (y > z) y = x > z ? x : z;
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // Now a[lo..j] ≤ pivot ≤ a[i..hi], and a[j+1..i−1] equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}
