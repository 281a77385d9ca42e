/**
 * The outcome table of a pooled campaign, shared (outcome-table.ts on SharedArrayBuffers):
 * the caller makes the whole table once, each pool thread copies its slice's class codes,
 * first vectors and UD reason codes straight into the slice's places (its faults are
 * ranges of the list: its own share and the tail chunks it claimed, shared-universe.ts campaignSplit), and only the slice's
 * reason sentences (and, without drop, its detecting vectors) travel back. No slice table
 * is cloned to the caller and none is copied again into a joined one: on bnn's 3.66 M
 * faults that was ~48 MB written twice more (on this VM, memory touched for the first time
 * costs ~2.6 ms per MB) and 0.35–0.45 s of the main thread.
 *
 *   const s = createSharedOutcomes(faults.length);                  // caller
 *   const part = writeSliceOutcomes(s, ranges, table);              // pool thread, after its engine run
 *   const joined = joinSharedOutcomes(s, [part, …]);                // caller, once every slice is in
 */
import { createOutcomeTable, reasonSetter, type OutcomeTable } from "./outcome-table.ts";

/** A campaign's outcome arrays, shared: class code, first vector, first possible vector, reason code by fault index. */
export interface SharedOutcomes {
  n: number;
  cls: SharedArrayBuffer;
  firstVector: SharedArrayBuffer;
  firstPossibleVector: SharedArrayBuffer;
  reason: SharedArrayBuffer;
}

/** What a thread sends back of its slice: its ranges ([start, end) pairs, flat), the sentences its reason codes index, and its sparse vector lists (drop off) by slice position. */
export interface SliceOutcomes {
  ranges: number[];
  reasonTexts: string[];
  detecting?: (number[] | undefined)[];
  detected?: (number[] | undefined)[];
}

export function createSharedOutcomes(n: number): SharedOutcomes {
  // Not filled here: the slices write every slot (joinSharedOutcomes checks that their ranges tile the list), so the pages are
  // first touched by the threads, in parallel, not by this thread before they start (2 × 14.6 MB on bnn: ~70 ms on this VM).
  return { n, cls: new SharedArrayBuffer(n), firstVector: new SharedArrayBuffer(4 * n), firstPossibleVector: new SharedArrayBuffer(4 * n), reason: new SharedArrayBuffer(4 * n) };
}

/**
 * Copy a slice's table (the faults of `ranges`, in order) into its places of the shared table —
 * or its places [from, to) only, for `ranges` (a thread's own share, or one tail chunk it claimed,
 * out of a table of its whole run: fault-sim-task.ts).
 */
export function writeSliceOutcomes(s: SharedOutcomes, ranges: readonly number[], t: OutcomeTable, from = 0, to = t.cls.length): SliceOutcomes {
  const cls = new Uint8Array(s.cls);
  const fv = new Int32Array(s.firstVector);
  const fp = new Int32Array(s.firstPossibleVector);
  const reason = new Uint32Array(s.reason);
  let k = from;
  for (let r = 0; r < ranges.length; r += 2) {
    const [a, b] = [ranges[r], ranges[r + 1]];
    cls.set(t.cls.subarray(k, k + b - a), a);
    fv.set(t.firstVector.subarray(k, k + b - a), a);
    fp.set(t.firstPossibleVector.subarray(k, k + b - a), a);
    reason.set(t.reason.subarray(k, k + b - a), a);
    k += b - a;
  }
  if (k !== to) throw new Error(`a slice table of ${to - from} faults for ranges of ${k - from}`);
  const part = from === 0 && to === t.cls.length;
  return { ranges: [...ranges], reasonTexts: t.reasonTexts, ...(t.detecting ? { detecting: part ? t.detecting : t.detecting.slice(from, to), detected: part ? t.detected : t.detected!.slice(from, to) } : {}) };
}

export function joinSharedOutcomes(s: SharedOutcomes, slices: readonly SliceOutcomes[]): OutcomeTable {
  const keep = slices.length > 0 && slices.every((c) => c.detecting);
  const t: OutcomeTable = {
    ...createOutcomeTable(0, false),
    cls: new Uint8Array(s.cls, 0, s.n),
    firstVector: new Int32Array(s.firstVector, 0, s.n),
    firstPossibleVector: new Int32Array(s.firstPossibleVector, 0, s.n),
    reason: new Uint32Array(s.reason, 0, s.n),
  };
  // the slice of each range, ranges in fault order
  const pieces = slices.flatMap((c, slice) => {
    const out: { a: number; b: number; slice: number; k: number }[] = [];
    let k = 0;
    for (let r = 0; r < c.ranges.length; r += 2) {
      out.push({ a: c.ranges[r], b: c.ranges[r + 1], slice, k });
      k += c.ranges[r + 1] - c.ranges[r];
    }
    return out;
  });
  pieces.sort((x, y) => x.a - y.a);
  // every slot written by exactly one slice (else a slot would read as "detected by vector 0")
  let end = 0;
  for (const p of pieces) {
    if (p.a === p.b) continue;
    if (p.a !== end) throw new Error(`slices leave faults ${Math.min(p.a, end)}..${Math.max(p.a, end) - 1} of ${s.n} ${p.a > end ? "unwritten" : "written twice"}`);
    end = p.b;
  }
  if (end !== s.n) throw new Error(`slices leave faults ${end}..${s.n - 1} of ${s.n} unwritten`);
  const setReason = reasonSetter(t);
  const codeIn = slices.map((c) => new Uint32Array(c.reasonTexts.length)); // slice's code → joined code (0: not yet seen)
  if (keep) {
    t.detecting = new Array(s.n);
    t.detected = new Array(s.n);
  }
  for (const { a, b, slice, k } of pieces) {
    const c = slices[slice];
    const map = codeIn[slice];
    for (let i = a; i < b; i++) {
      const code = t.reason[i];
      if (code === 0) continue;
      if (map[code] === 0) {
        setReason(i, c.reasonTexts[code]);
        map[code] = t.reason[i];
      } else t.reason[i] = map[code];
    }
    if (keep) {
      for (let i = a; i < b; i++) {
        const d = c.detecting![k + i - a];
        if (d) t.detecting![i] = d;
        const dd = c.detected![k + i - a];
        if (dd) t.detected![i] = dd;
      }
    }
  }
  return t;
}
