/**
 * Bookkeeping shared by every fault engine, so that they differ only in HOW they
 * compute a faulty response, never in how they classify:
 *
 *   - UD first: a fault the static analysis proves undetectable is never simulated;
 *   - per vector, repetitions combine as: hard difference in every repetition → DT;
 *     a hard difference in some but not all, or any within-band shift → PD; else none;
 *   - over vectors: DT if some vector gives DT (firstVector = the first such), else PD
 *     if some vector gives PD (firstVector = the first such), else ND;
 *   - with drop, a fault leaves the campaign at its first DT (PD faults stay in: a
 *     later vector may still detect them);
 *   - on abort, unfinished faults with no detection yet are AU ("interrupted").
 *
 *   const c = createCampaign(net, faults, vectors, opts);
 *   c.record(i, v, vectorVerdict(reps, (rep) => …));  …  return c.result("fast", evaluations, fastPath);
 */
import { createFaultAnalysis, type FaultAnalysis } from "../faults/fault-analysis.ts";
import type { ElementEffect } from "../faults/fault-effect.ts";
import type { Fault } from "../faults/fault.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import type { FaultSimOptions, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import type { GoodResponse } from "./good-response.ts";
import { createSiteEffects } from "./site-effects.ts";
import { sharedFaultAt } from "./shared-universe.ts";
import { ClassCode, createOutcomeTable, reasonSetter, withOutcomes, type OutcomeTable } from "./outcome-table.ts";
import type { CompareVerdict } from "./response-rule.ts";

/** Engine options plus an analysis to reuse. */
export interface CampaignOptions extends FaultSimOptions {
  /** Reuse a fault analysis of the same network (enumerateFaults returns one). */
  analysis?: FaultAnalysis;
  /** The good chip's response to vector v, repetition rep, simulated already (shared-good-runs.ts; the fast engine's good machine), or undefined: simulate it. */
  goodRun?: (v: number, rep: number) => GoodResponse | undefined;
  /**
   * A pooled campaign's claimed tail (parallel-campaign.ts; the fast engine only). The run's
   * list is the thread's own share, places [0, start), then a window of places [start, end)
   * that each claimed chunk's faults take in turn. After grading its own share on every
   * vector, the engine claims chunks (`claim()`: a chunk index, or −1 when none is left —
   * other threads claim from the same counter; the caller has then put the chunk's `size(j)`
   * faults in places [start, start + size(j)) of the list), grades each on every vector in the
   * same run, and hands its outcomes over (`graded(j, table)`: places [start, start + size(j))
   * of `table`, to be read at once — the next chunk's outcomes take them). Chunks not claimed
   * are not simulated (FaultSimResult.claimed); the result's outcomes of the window's places
   * are the last chunk's.
   */
  tail?: { start: number; claim(): number; size(chunk: number): number; graded(chunk: number, table: OutcomeTable): void };
}

/** Calls of each of record's paths at creation: V8 gives a closure its feedback vector only after ~8 calls (lazy feedback allocation), and calls before that leave no feedback. */
const FEEDBACK_CALLS = 12;

/** Combine the verdicts of a vector's repetitions (stops as soon as the answer is PD). */
export function vectorVerdict(repetitions: number, evalRep: (rep: number) => CompareVerdict): CompareVerdict {
  let hard = 0;
  let none = 0;
  for (let r = 0; r < repetitions; r++) {
    const v = evalRep(r);
    if (v === 1) return 1;
    if (v === 2) hard++;
    else none++;
    if (hard > 0 && none > 0) return 1;
  }
  return hard === repetitions ? 2 : 0;
}

/** A campaign's per-fault record of verdicts (recordVerdict): first DT and PD vectors, done, and without drop every detecting vector. */
export interface VerdictRecords {
  drop: boolean;
  firstDt: Int32Array;
  firstPd: Int32Array;
  done: Uint8Array;
  detecting: (number[] | undefined)[];
  detected: (number[] | undefined)[];
}

/**
 * Record the verdict of vector v for fault i. A module function, not a closure per campaign:
 * an engine's optimised loop inlines it, and a new closure per run was a new call target —
 * the loop thrown away and compiled again in every run (a pooled thread's warm-up, then its
 * campaign; generate's many runs).
 */
export function recordVerdict(r: VerdictRecords, i: number, v: number, verdict: CompareVerdict): void {
  if (verdict === 0) return;
  if (!r.drop) (r.detecting[i] ??= []).push(v);
  if (!r.drop && verdict === 2) (r.detected[i] ??= []).push(v);
  // one path for DT and PD: a branch PD alone took had no type feedback when the engine's loop was
  // optimised, and every PD verdict then threw the loop back to the interpreter (a soft deopt per PD)
  const first = verdict === 2 ? r.firstDt : r.firstPd;
  if (first[i] < 0) first[i] = v;
  if (verdict === 2 && r.drop) r.done[i] = 1;
}

export interface Campaign<P = null> {
  readonly analysis: FaultAnalysis;
  readonly drop: boolean;
  /** What `prepare` returned for each fault still to simulate (index = fault index; undefined for UD faults). */
  readonly prepared: (P | undefined)[];
  /** Whether fault i still needs simulation. */
  active(i: number): boolean;
  /** Record the verdict of vector v for fault i. */
  record(i: number, v: number, verdict: CompareVerdict): void;
  /** What `record` writes, for an engine that records through `recordVerdict` itself (the same call target in every run). */
  readonly records: VerdictRecords;
  /** True when the signal asked to stop. */
  aborted(): boolean;
  /** Prove and prepare faults [a, b) (createCampaign's `prepareUpTo` left them for later: a claimed chunk). */
  prepareRange(a: number, b: number): void;
  /** Forget every verdict and outcome of places [a, b) (a pooled thread's window, before the next chunk's faults are prepared there). */
  resetRange(a: number, b: number): void;
  /** The outcomes of places [a, b) classified now, as `result` would: the campaign's table (read places [a, b) before they are reset). */
  classifyRange(a: number, b: number): OutcomeTable;
  /** Indices of faults still to simulate, ascending (a view into a buffer the next call reuses). */
  pending(): Int32Array;
  result(engine: string, evaluations: number, fastPathEvaluations: number, startMs: number, pathEvaluations?: Record<string, number>): FaultSimResult;
}

/**
 * Start a campaign: prove UD faults, and let the engine turn each other fault's element
 * effects into what it needs (`prepare`; the effects are only valid during the call —
 * they may be scratch objects reused for the next fault — and must not be kept).
 */
export function createCampaign<P = null>(
  net: CompiledNetwork,
  faults: readonly Fault[],
  vectors: readonly FaultSimVector[],
  opts: CampaignOptions = {},
  prepare?: (effects: ElementEffect[], fault: Fault, index: number) => P,
  /** Prove and prepare only faults [0, prepareUpTo) now; the rest when the engine claims them (prepareRange). */
  prepareUpTo = faults.length,
): Campaign<P> {
  const analysis = opts.analysis && opts.analysis.net === net ? opts.analysis : createFaultAnalysis(net);
  const drop = opts.drop ?? true;
  const n = faults.length;
  const firstDt = new Int32Array(n).fill(-1);
  const firstPd = new Int32Array(n).fill(-1);
  const done = new Uint8Array(n);
  // Outcomes go straight into typed arrays (outcome-table.ts): UD reasons as codes of distinct sentences; without drop, the detecting vectors are sparse.
  const table = createOutcomeTable(n, !drop);
  const detecting = table.detecting ?? [];
  const detected = table.detected ?? [];
  const prepared: (P | undefined)[] = []; // sparse: most engines prepare into their own tables
  let pendingBuf: Int32Array | null = null; // made on the first call (the fast engine keeps its own live list)
  const prove = opts.proveUndetectable ?? true;
  const effectsOf = createSiteEffects(analysis);
  const setReason = reasonSetter(table);
  // a pool thread's shared faults are built straight from the shared table (shared-universe.ts)
  const faultAt = sharedFaultAt(faults) ?? ((i: number) => faults[i]);
  const prepareRange = (a: number, b: number) => {
    for (let i = a; i < b; i++) {
      const f = faultAt(i);
      const fx = effectsOf(f);
      const why = prove ? analysis.undetectableReason(fx, f.site) : null;
      if (why) {
        setReason(i, why);
        table.cls[i] = ClassCode.UD;
        done[i] = 1;
      } else if (prepare) {
        const p = prepare(fx, f, i);
        if (p !== undefined) prepared[i] = p;
      }
    }
  };
  prepareRange(0, Math.min(n, prepareUpTo));
  const records: VerdictRecords = { drop, firstDt, firstPd, done, detecting, detected };
  const classifyRange = (a: number, b: number): OutcomeTable => {
    const interrupted = opts.signal?.aborted ?? false;
    const { cls, firstVector, firstPossibleVector } = table;
    for (let i = a; i < b; i++) {
      if (cls[i] === ClassCode.UD) continue;
      const dt = firstDt[i];
      const pd = firstPd[i];
      cls[i] = dt >= 0 ? ClassCode.DT : pd >= 0 ? ClassCode.PD : interrupted && !done[i] ? ClassCode.AU : ClassCode.ND;
      firstVector[i] = dt >= 0 ? dt : pd;
      firstPossibleVector[i] = dt < 0 ? pd : pd < 0 ? dt : Math.min(dt, pd);
    }
    return table;
  };
  const record = (i: number, v: number, verdict: CompareVerdict) => recordVerdict(records, i, v, verdict);
  // Type feedback for every path of `record` before an engine's loop is optimised around it, then fault 0 as it was:
  // on bnn a detection is rare while the first columns are graded (the column batch settles most faults without
  // recording), the column batch was optimised with record's DT/PD path never run, and every later detection
  // recorded from it threw the batch back to the interpreter (--trace-deopt: ~100 soft deopts per thread,
  // "insufficient type feedback for compare operation" in record, inlined through settle).
  if (n > 0) {
    const was = [firstDt[0], firstPd[0], done[0]];
    for (let k = 0; k < FEEDBACK_CALLS; k++) {
      // fault 0 put back each time, so every call takes the first-detection stores too
      [firstDt[0], firstPd[0], done[0]] = was;
      record(0, 0, 1);
      record(0, 0, 2);
    }
    [firstDt[0], firstPd[0], done[0]] = was;
    if (!drop) detecting[0] = detected[0] = undefined;
  }
  return {
    analysis,
    drop,
    prepared,
    active: (i) => done[i] === 0,
    record,
    records,
    prepareRange,
    aborted: () => opts.signal?.aborted ?? false,
    pending() {
      pendingBuf ??= new Int32Array(n);
      let m = 0;
      for (let i = 0; i < n; i++) if (!done[i]) pendingBuf[m++] = i;
      return pendingBuf.subarray(0, m);
    },
    resetRange(a, b) {
      firstDt.fill(-1, a, b);
      firstPd.fill(-1, a, b);
      done.fill(0, a, b);
      table.cls.fill(0, a, b);
      table.firstVector.fill(-1, a, b);
      table.firstPossibleVector.fill(-1, a, b);
      table.reason.fill(0, a, b);
      if (!drop) for (let i = a; i < b; i++) detecting[i] = detected[i] = undefined;
      for (let i = a; i < Math.min(b, prepared.length); i++) prepared[i] = undefined;
    },
    classifyRange,
    result(engine, evaluations, fastPathEvaluations, startMs, pathEvaluations) {
      classifyRange(0, n);
      const r = { engine, outcomes: null, evaluations, fastPathEvaluations, elapsedMs: performance.now() - startMs, ...(pathEvaluations ? { pathEvaluations } : {}) };
      return withOutcomes(r, table, faults, vectors); // `outcomes` keeps its place among the keys
    },
  };
}
