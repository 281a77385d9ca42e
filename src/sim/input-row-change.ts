/**
 * One input row of a layer driven at other times: the layer's run again, from its run on
 * the original events, without rebuilding the events. A fault in hidden neuron c of a
 * two-layer chip changes only which windows c spikes in, so only row c of the output
 * layer's input changes: the output layer's segments are the good run's with row c
 * added to or taken out of the segments its pulses cover, the currents of the other
 * segments are the good run's, and only the changed sets are solved — no spike list of
 * the whole hidden layer, no event list, no sort, per image (criticality.ts: a quarter of
 * the scoring's garbage on bnn-mnist).
 *
 * It answers only when the change keeps every segment boundary (each boundary the row's
 * pulses make, before and after, is a window edge or the edge of another row's pulse, as
 * the good segments show), and then its result is simulateLayer's on the changed events
 * exactly; otherwise it returns null and the caller simulates the layer.
 *
 *   const run = rowChangedRun(net, 1, stim, goodRun, c, pulseStarts(goodMask, stim), pulseStarts(newMask, stim));
 *   run?.spikes  // = simulateLayer(net, 1, stim, eventsWithRowCChanged).spikes
 */
import type { CompiledNetwork } from "./compile.ts";
import { drivenSetCurrentsUa, layerSpikes, type LayerRun } from "./network.ts";
import { periodPs, type Segment, type Stimulus } from "./stimulus.ts";

/** Start times of the pulses a neuron's spikes send to the next layer (spikesToEvents' rule) from its windows as a bit mask (drivenWindows, windowMask). */
export function pulseStarts(mask: number, stim: Stimulus): number[] {
  const T = periodPs(stim);
  const out: number[] = [];
  for (let w = 0; w + 1 < stim.windows && w < 31; w++) if (mask & (1 << w)) out.push((w + 1) * T);
  return out;
}

/** The windows whose spikes reach the next layer (all but the last), as a mask over drivenWindows' bits. */
export function propagatingMask(stim: Stimulus): number {
  return stim.windows >= 32 ? -1 >>> 1 : (1 << Math.max(0, stim.windows - 1)) - 1;
}

/** Whether some row other than `row` starts or ends a pulse at the boundary between segments k − 1 and k. */
function otherRowChangesAt(segments: readonly Segment[], k: number, row: number): boolean {
  const a = segments[k - 1].activeRows;
  const b = segments[k].activeRows;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i] : Infinity;
    const y = j < b.length ? b[j] : Infinity;
    if (x === y) (i++, j++);
    else if (x < y) {
      if (x !== row) return true;
      i++;
    } else {
      if (y !== row) return true;
      j++;
    }
  }
  return false;
}

/**
 * Layer `li`'s run when input row `row` pulses at `now` (start times) instead of `before`,
 * from `run` (its run on the original events of `stim`); null when the change would move a
 * segment boundary. Unchanged segments and their currents are `run`'s own objects (read-only).
 */
export function rowChangedRun(net: CompiledNetwork, li: number, stim: Stimulus, run: LayerRun, row: number, before: readonly number[], now: readonly number[]): LayerRun | null {
  const segs = run.segments;
  const iw = stim.iwPs;
  const T = periodPs(stim);
  // boundary → index of the segment starting there (the run's end: segs.length)
  const at = new Map<number, number>();
  segs.forEach((g, k) => at.set(g.startPs, k));
  const end = segs.length ? segs[segs.length - 1].endPs : 0;
  at.set(end, segs.length);
  const kept = (t: number): boolean => {
    if (t % T === 0) return true; // a window edge is always a boundary
    const k = at.get(t);
    return k !== undefined && k > 0 && k < segs.length && otherRowChangesAt(segs, k, row);
  };
  // the new pulses' edges must be boundaries already; the old pulses' edges must stay ones (a window
  // edge, another row's pulse edge, or a new pulse's edge) — else the segments move: simulate
  const edgeOf = (pulses: readonly number[], x: number) => pulses.some((t) => t === x || t + iw === x);
  for (const t of now) if (!at.has(t) || !at.has(t + iw)) return null;
  for (const t of before) for (const x of [t, t + iw]) if (!kept(x) && !edgeOf(now, x)) return null;
  const layer = net.layers[li];
  const scratch = new Uint8Array(layer.rows);
  let nextKey = segs.reduce((m, g) => Math.max(m, g.key), -1) + 1;
  const segments = segs.slice();
  const currentsUa = run.currentsUa.slice();
  let changed = false;
  for (let k = 0; k < segs.length; k++) {
    const g = segs[k];
    const on = now.some((t) => t <= g.startPs && g.startPs < t + iw);
    const has = binaryHas(g.activeRows, row);
    if (on === has) continue;
    changed = true;
    const rows = on ? withRow(g.activeRows, row) : withoutRow(g.activeRows, row);
    segments[k] = { startPs: g.startPs, endPs: g.endPs, window: g.window, activeRows: rows, key: nextKey++ };
    currentsUa[k] = rows.length === 0 ? new Float64Array(layer.cols) : drivenSetCurrentsUa(layer, rows, scratch, net.writeVoltageV);
  }
  if (!changed) return run;
  return { segments, currentsUa, spikes: layerSpikes(layer, li, segments, currentsUa) };
}

function binaryHas(rows: Int32Array, row: number): boolean {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (rows[m] < row) lo = m + 1;
    else hi = m;
  }
  return lo < rows.length && rows[lo] === row;
}

/** `rows` (ascending, holding `row`) without it: one copy (a typed array's filter builds a list first). */
function withoutRow(rows: Int32Array, row: number): Int32Array {
  const out = new Int32Array(rows.length - 1);
  let j = 0;
  for (let i = 0; i < rows.length; i++) if (rows[i] !== row) out[j++] = rows[i];
  return out;
}

/** `rows` (ascending) with `row` inserted in order. */
function withRow(rows: Int32Array, row: number): Int32Array {
  const out = new Int32Array(rows.length + 1);
  let j = 0;
  for (let i = 0; i < rows.length; i++) {
    if (j === i && rows[i] > row) out[j++] = row;
    out[j++] = rows[i];
  }
  if (j === rows.length) out[j] = row;
  return out;
}
