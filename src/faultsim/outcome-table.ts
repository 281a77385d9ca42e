/**
 * The outcomes of a campaign as typed arrays (struct of arrays, one slot per fault in
 * campaign order): a fault's class code and the indices of its first detecting and first
 * possibly-detecting vectors. Grading the 3.7 M-fault bnn universe then builds no object
 * and no string per fault; the `FaultOutcome` objects a report needs are made from the
 * table on the first read of `result.outcomes` (once, then kept), and coverage and
 * digests are tallied from the table directly.
 *
 *   const t = createOutcomeTable(faults.length);
 *   t.cls[7] = ClassCode.DT; t.firstVector[7] = 2; t.firstPossibleVector[7] = 0;
 *   const r = withOutcomes({ engine: "fast", … }, t, faults, vectors);
 *   outcomeTableOf(r)!.cls[7]   // ClassCode.DT, no object built
 *   r.outcomes[7]               // { faultId: "…", cls: "DT", firstVector: "r2", firstPossibleVector: "r0" }
 */
import { drainSteps } from "../formats/interrupt-checkpoint.ts";
import type { Fault } from "../faults/fault.ts";
import type { FaultClass, FaultOutcome, FaultSimResult, FaultSimVector } from "./fault-engine.ts";

/** Class codes of `OutcomeTable.cls` (index = code). */
export const classOfCode = ["ND", "DT", "PD", "UD", "AU"] as const satisfies readonly FaultClass[];
export const ClassCode = { ND: 0, DT: 1, PD: 2, UD: 3, AU: 4 } as const;

/** Why an AU fault is AU (the only reason an engine gives it). */
export const INTERRUPTED_REASON = "interrupted before every vector was simulated";

/** Outcomes by fault index. */
export interface OutcomeTable {
  /** Class code (`classOfCode`). */
  cls: Uint8Array;
  /** Index of the first vector that detects (DT) or possibly detects (PD) the fault, else −1. */
  firstVector: Int32Array;
  /** Index of the first vector that detects or possibly detects it, else −1. */
  firstPossibleVector: Int32Array;
  /** Why each UD fault is UD (and, in a merged program result, why an ND fault was not found): an index into `reasonTexts` by fault index (0 = no reason). */
  reason: Uint32Array;
  /** The distinct reasons, each once (index 0 unused): a million UD faults share a handful of sentences. */
  reasonTexts: string[];
  /** With drop = false: detecting / detected vector indices by fault index (sparse). */
  detecting?: (number[] | undefined)[];
  detected?: (number[] | undefined)[];
}

export function createOutcomeTable(n: number, keepVectors = false): OutcomeTable {
  const t = drainSteps(createOutcomeTableSteps(n));
  if (keepVectors) {
    t.detecting = new Array(n);
    t.detected = new Array(n);
  }
  return t;
}

/** Entries filled between two yields of createOutcomeTableSteps (the −1 fill of 6.9 M entries first-touches 55 MB: ~0.3 s on this VM). */
const FILL_STEP_ENTRIES = 262_144;

/** An empty table (every fault ND, no vector) as a generator that yields while it fills the vector columns with −1. */
export function* createOutcomeTableSteps(n: number): Generator<number, OutcomeTable> {
  const t: OutcomeTable = { cls: new Uint8Array(n), firstVector: new Int32Array(n), firstPossibleVector: new Int32Array(n), reason: new Uint32Array(n), reasonTexts: [""] };
  for (let at = 0; at < n; at += FILL_STEP_ENTRIES) {
    if (at > 0) yield at;
    t.firstVector.fill(-1, at, at + FILL_STEP_ENTRIES);
    t.firstPossibleVector.fill(-1, at, at + FILL_STEP_ENTRIES);
  }
  return t;
}

/**
 * `(i, why)`: record why fault i of `t` is UD, each distinct sentence stored once. (A map
 * from fault index to sentence was 0.8 M entries on the bnn universe: its growth and the
 * collector's copying of it were a tenth of a campaign's set-up.)
 */
export function reasonSetter(t: OutcomeTable): (i: number, why: string) => void {
  const codes = new Map<string, number>();
  t.reasonTexts.forEach((s, k) => k > 0 && codes.set(s, k));
  return (i, why) => {
    let k = codes.get(why);
    if (k === undefined) {
      k = t.reasonTexts.push(why) - 1;
      codes.set(why, k);
    }
    t.reason[i] = k;
  };
}

/** Why fault i is UD, if a reason was recorded. */
export function reasonAt(t: OutcomeTable, i: number): string | undefined {
  return t.reason[i] > 0 ? t.reasonTexts[t.reason[i]] : undefined;
}

/** The outcome object of fault i. */
export function outcomeAt(t: OutcomeTable, i: number, fault: Fault, vectors: readonly FaultSimVector[]): FaultOutcome {
  const cls = classOfCode[t.cls[i]];
  if (cls === "UD") return { faultId: fault.id, cls, firstVector: null, firstPossibleVector: null, reason: reasonAt(t, i) };
  const fv = t.firstVector[i];
  const fp = t.firstPossibleVector[i];
  const o: FaultOutcome = { faultId: fault.id, cls, firstVector: fv >= 0 ? vectors[fv].id : null, firstPossibleVector: fp >= 0 ? vectors[fp].id : null };
  if (cls === "AU") o.reason = INTERRUPTED_REASON;
  else if (t.reason[i] > 0) o.reason = reasonAt(t, i); // an ND fault's, where a merge says why (program-outcomes.ts)
  if (t.detecting && t.detected) {
    o.detectingVectors = (t.detecting[i] ?? []).map((v) => vectors[v].id);
    o.detectedVectors = (t.detected[i] ?? []).map((v) => vectors[v].id);
  }
  return o;
}

/** What a result's outcomes are built from: the table, the faults and the vectors its indices refer to. */
export interface OutcomeSource {
  table: OutcomeTable;
  faults: readonly Fault[];
  vectors: readonly FaultSimVector[];
}

const tables = new WeakMap<object, OutcomeSource>();

/** The outcome table behind a result, when an engine made it from one (and its outcomes were not replaced). */
export function outcomeTableOf(r: FaultSimResult): OutcomeTable | undefined {
  return tables.get(r)?.table;
}

/** outcomeTableOf with the faults and vectors `r.outcomes` are built from (outcome i is outcomeAt(table, i, faults[i], vectors)). */
export function outcomeSourceOf(r: FaultSimResult): OutcomeSource | undefined {
  return tables.get(r);
}

/**
 * Give `r` its outcomes from `t`: `r.outcomes` becomes an enumerable property built on
 * first read (so JSON, spreads and structured clones see an ordinary array) and
 * replaceable by assignment; the table stays reachable through `outcomeTableOf(r)`.
 */
export function withOutcomes<R extends Omit<FaultSimResult, "outcomes"> & { outcomes?: unknown }>(r: R, t: OutcomeTable, faults: readonly Fault[], vectors: readonly FaultSimVector[]): Omit<R, "outcomes"> & FaultSimResult {
  let built: FaultOutcome[] | null = null;
  Object.defineProperty(r, "outcomes", {
    enumerable: true,
    configurable: true,
    get: () => (built ??= Array.from({ length: t.cls.length }, (_, i) => outcomeAt(t, i, faults[i], vectors))),
    set: (v: FaultOutcome[]) => {
      tables.delete(r);
      Object.defineProperty(r, "outcomes", { value: v, writable: true, enumerable: true, configurable: true });
    },
  });
  tables.set(r, { table: t, faults, vectors });
  return r as unknown as Omit<R, "outcomes"> & FaultSimResult;
}

/** A result's fields but its outcomes, without reading them (a spread or destructuring of `r` would build the objects). */
export function withoutOutcomes<R extends object>(r: R): Omit<R, "outcomes"> {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(r)) if (k !== "outcomes") o[k] = (r as Record<string, unknown>)[k];
  return o as Omit<R, "outcomes">;
}

/**
 * Concatenate tables of consecutive slices (fault indices shifted by the slices before); one
 * part is returned as it is. A part's reason codes are mapped to the joined table's through a
 * small array filled in fault order (the texts keep their order of first use): a string
 * lookup per UD fault was 0.4 s of the main thread on the 3.66 M-fault bnn universe.
 */
export function joinOutcomeTables(parts: readonly OutcomeTable[]): OutcomeTable {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, p) => s + p.cls.length, 0);
  const keep = parts.length > 0 && parts.every((p) => p.detecting);
  const t = createOutcomeTable(n, keep);
  const setReason = reasonSetter(t);
  let off = 0;
  for (const p of parts) {
    t.cls.set(p.cls, off);
    t.firstVector.set(p.firstVector, off);
    t.firstPossibleVector.set(p.firstPossibleVector, off);
    const codeIn = new Uint32Array(p.reasonTexts.length); // part's code → joined code (0: not yet seen)
    for (let i = 0; i < p.cls.length; i++) {
      const c = p.reason[i];
      if (c === 0) continue;
      if (codeIn[c] === 0) {
        setReason(off + i, p.reasonTexts[c]);
        codeIn[c] = t.reason[off + i];
      } else t.reason[off + i] = codeIn[c];
    }
    if (keep) {
      for (let i = 0; i < p.cls.length; i++) {
        if (p.detecting![i]) t.detecting![off + i] = p.detecting![i];
        if (p.detected![i]) t.detected![off + i] = p.detected![i];
      }
    }
    off += p.cls.length;
  }
  return t;
}
