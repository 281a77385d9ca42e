/**
 * Stimulus: what is applied to the chip's first-layer rows for one test vector —
 * input events (row, time) over a number of coding windows with a given timing.
 *
 *   { iwPs: 1000, lwPs: 9000, windows: 3, events: [{ input: 0, timePs: 0 }, …] }
 *
 * An event at t drives its row with a write pulse from t to t + iwPs (PROTOCOL.md);
 * window w starts at w·(iwPs + lwPs). `segmentStimulus` cuts the run into intervals
 * of constant active-row set, the unit every layer and neuron is solved over.
 */
import { InputError } from "../formats/errors.ts";

export interface InputEvent {
  input: number;
  timePs: number;
}

export interface Stimulus {
  iwPs: number;
  lwPs: number;
  windows: number;
  events: InputEvent[];
}

/** An interval of constant drive. */
export interface Segment {
  startPs: number;
  endPs: number;
  /** Coding window the segment lies in. */
  window: number;
  /** Active rows, ascending. */
  activeRows: Int32Array;
  /** Which active set this is among the stimulus's segments: equal sets, equal ids (cache key for column currents). */
  key: number;
}

/** A stimulus the chip cannot be driven with (event out of range). */
export class StimulusError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "StimulusError";
  }
}

/** Window period, ps. */
export const periodPs = (s: Pick<Stimulus, "iwPs" | "lwPs">): number => s.iwPs + s.lwPs;

/** Events for a binary pattern applied at the start of each window (`patterns[w]` or the last one). */
export function patternEvents(patterns: string[], windows: number, iwPs: number, lwPs: number): InputEvent[] {
  const events: InputEvent[] = [];
  for (let w = 0; w < windows; w++) {
    const bits = patterns[Math.min(w, patterns.length - 1)];
    for (let i = 0; i < bits.length; i++) if (bits[i] === "1") events.push({ input: i, timePs: w * (iwPs + lwPs) });
  }
  return events;
}

/** Cut a stimulus into constant-drive segments; checks every event lies inside the run. */
export function segmentStimulus(s: Stimulus, rows: number): Segment[] {
  const T = periodPs(s);
  const end = s.windows * T;
  const times = new Set<number>();
  for (let w = 0; w <= s.windows; w++) times.add(w * T);
  for (const e of s.events) {
    if (!Number.isInteger(e.input) || e.input < 0 || e.input >= rows) {
      throw new StimulusError(`input ${e.input} does not exist (the chip has inputs 0..${rows - 1})`);
    }
    if (e.timePs < 0 || e.timePs + s.iwPs > end) {
      throw new StimulusError(`event ${e.input}@${e.timePs} ends after the run of ${s.windows} windows (${end} ps)`);
    }
    times.add(e.timePs);
    times.add(e.timePs + s.iwPs);
  }
  const cuts = [...times].sort((a, b) => a - b);
  const events = [...s.events].sort((a, b) => a.timePs - b.timePs);
  const segments: Segment[] = [];
  // Every pulse lasts iwPs, so the pulses on at `a` (start ≤ a < start + iwPs) are a run
  // [lo, hi) of the events sorted by start: two pointers, not a scan from the first event
  // per cut (that scan was a quarter of a criticality campaign on bnn-mnist: 1,024 hidden
  // neurons' spikes as the output layer's events).
  let lo = 0;
  let hi = 0;
  const on = new Uint8Array(rows);
  // equal active sets get equal ids: a short list of the distinct sets per sum of rows
  const distinct = new Map<number, { rows: Int32Array; id: number }[]>();
  let sets = 0;
  const setId = (r: Int32Array): number => {
    let sum = r.length;
    for (let k = 0; k < r.length; k++) sum = (sum * 31 + r[k]) | 0;
    const list = distinct.get(sum) ?? [];
    const same = list.find((d) => d.rows.length === r.length && d.rows.every((x, k) => x === r[k]));
    if (same) return same.id;
    list.push({ rows: r, id: sets });
    distinct.set(sum, list);
    return sets++;
  };
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i];
    const b = cuts[i + 1];
    if (b <= a || a >= end) continue;
    while (hi < events.length && events[hi].timePs <= a) hi++;
    while (lo < hi && events[lo].timePs + s.iwPs <= a) lo++;
    let n = 0;
    for (let k = lo; k < hi; k++) {
      const r = events[k].input;
      if (on[r] === 0) ((on[r] = 1), n++);
    }
    const activeRows = new Int32Array(n); // ascending: read off the marks, which are cleared for the next cut
    for (let r = 0, j = 0; j < n; r++) if (on[r] === 1) ((activeRows[j++] = r), (on[r] = 0));
    segments.push({ startPs: a, endPs: b, window: Math.floor(a / T), activeRows, key: setId(activeRows) });
  }
  return segments;
}

