/**
 * The outcome of a phased program per fault: the spike campaign on the mission weights,
 * the first failing READ of the array steps and the test-weight segments merged in program
 * order (the rule is in program-campaign.ts's header), as an outcome table
 * (outcome-table.ts) whose vector indices are program step indices — so merging the
 * 6.9 M-fault bnn universe builds no object per fault (it built three: 6 s of work and
 * 12 s of garbage collection on one thread).
 *
 *   const merged = mergeOutcomes(spikeResult, firstFailingRead, faults, split, segments);
 *   merged.outcomes[7].firstVector   // "march-c-minus.3.r0" (objects built on first read)
 *   detectionsByPhase(merged, faults, split)   // { array: 6,910,326, neuron: 0, functional: 0 }
 */
import type { Fault } from "../faults/fault.ts";
import type { TestPhase } from "../formats/program-format.ts";
import type { FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import { drainSteps, drainStepsAsync } from "../formats/interrupt-checkpoint.ts";
import { ClassCode, createOutcomeTableSteps, outcomeTableOf, reasonAt, reasonSetter, withOutcomes, withoutOutcomes } from "./outcome-table.ts";

/** What the merge reads of a split program (program-campaign.ts's SplitProgram). */
export interface ProgramSteps {
  spikeIndices: readonly number[];
  segments: readonly { vectorIndices: readonly number[] }[];
  indexOf: ReadonlyMap<string, number>;
  ids: readonly string[];
  arraySteps: readonly { id: string }[];
  phaseOf: ReadonlyMap<string, TestPhase>;
  hasReads: boolean;
}

/** Faults between two yields of the merge's passes (a few ms; a Ctrl-C checkpoint on the 6.9 M-fault bnn universe). */
export const MERGE_STEP_FAULTS = 65_536;

/** Results whose outcome table is indexed by program step (mergeOutcomes made them). */
const merged = new WeakSet<object>();

/** A result's outcomes with program step indices (−1: none). */
interface InProgram {
  cls: Uint8Array;
  first: Int32Array;
  firstPossible: Int32Array;
  reasonOf: (i: number) => string | undefined;
}

/**
 * The outcomes of `r` (a run over the faults, vector k being program step `stepOf[k]`)
 * with program step indices: from its outcome table when it has one, else from its objects.
 */
function* inProgram(r: FaultSimResult, n: number, stepOf: readonly number[], split: ProgramSteps): Generator<number, InProgram> {
  const t = outcomeTableOf(r);
  if (t && t.cls.length === n) {
    const first = new Int32Array(n);
    const firstPossible = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (i > 0 && i % MERGE_STEP_FAULTS === 0) yield i;
      const k = t.firstVector[i];
      const q = t.firstPossibleVector[i];
      first[i] = k < 0 ? -1 : stepOf[k];
      firstPossible[i] = q < 0 ? -1 : stepOf[q];
    }
    return { cls: t.cls, first, firstPossible, reasonOf: (i) => reasonAt(t, i) };
  }
  const at = (id: string | null | undefined) => (id ? (split.indexOf.get(id) ?? -1) : -1);
  const reasons = new Map<number, string>();
  const out: InProgram = { cls: new Uint8Array(n), first: new Int32Array(n), firstPossible: new Int32Array(n), reasonOf: (i) => reasons.get(i) };
  for (let i = 0; i < r.outcomes.length; i++) {
    if (i > 0 && i % MERGE_STEP_FAULTS === 0) yield i;
    const o = r.outcomes[i];
    out.cls[i] = ClassCode[o.cls];
    out.first[i] = at(o.firstVector);
    out.firstPossible[i] = at(o.firstPossibleVector);
    if (o.reason !== undefined) reasons.set(i, o.reason);
  }
  return out;
}

/** Whether READ can see a fault at all (any site but a neuron). */
export function readCanSee(f: Fault): boolean {
  return f.site.kind !== "neuron";
}

/**
 * Merge the spike result, the first failing array step of each fault (index into
 * split.arraySteps, −1: none) and the test-weight segments' results, in program order.
 */
export function mergeOutcomes(spike: FaultSimResult, firstFailing: Int32Array, faults: readonly Fault[], split: ProgramSteps, segments: readonly FaultSimResult[] = []): FaultSimResult {
  return drainSteps(mergeOutcomesSteps(spike, firstFailing, faults, split, segments));
}

/** mergeOutcomes with `pause` (a Ctrl-C checkpoint) awaited every MERGE_STEP_FAULTS faults of each pass. */
export function mergeOutcomesAsync(spike: FaultSimResult, firstFailing: Int32Array, faults: readonly Fault[], split: ProgramSteps, segments: readonly FaultSimResult[], pause: () => Promise<void>): Promise<FaultSimResult> {
  return drainStepsAsync(mergeOutcomesSteps(spike, firstFailing, faults, split, segments), pause);
}

/** mergeOutcomes as a generator: yields every MERGE_STEP_FAULTS faults of each pass over the universe. */
export function* mergeOutcomesSteps(spike: FaultSimResult, firstFailing: Int32Array, faults: readonly Fault[], split: ProgramSteps, segments: readonly FaultSimResult[] = []): Generator<number, FaultSimResult> {
  const n = faults.length;
  const sp = yield* inProgram(spike, n, split.spikeIndices, split);
  const segs: InProgram[] = [];
  for (let k = 0; k < segments.length; k++) segs.push(yield* inProgram(segments[k], n, split.segments[k].vectorIndices, split));
  const arrayStep = Int32Array.from(split.arraySteps, (s) => split.indexOf.get(s.id) ?? -1);
  const t = yield* createOutcomeTableSteps(n);
  const setReason = reasonSetter(t);
  for (let i = 0; i < n; i++) {
    if (i > 0 && i % MERGE_STEP_FAULTS === 0) yield i;
    // the earliest hard detection in program order
    let best = sp.cls[i] === ClassCode.DT ? sp.first[i] : -1;
    const a = firstFailing[i];
    if (a >= 0 && (best < 0 || arrayStep[a] < best)) best = arrayStep[a];
    for (const g of segs) if (g.cls[i] === ClassCode.DT && g.first[i] >= 0 && (best < 0 || g.first[i] < best)) best = g.first[i];
    if (best >= 0) {
      t.cls[i] = ClassCode.DT;
      t.firstVector[i] = best;
      t.firstPossibleVector[i] = sp.firstPossible[i] >= 0 ? sp.firstPossible[i] : best;
      continue;
    }
    const pd = sp.cls[i] === ClassCode.PD ? sp : segs.find((g) => g.cls[i] === ClassCode.PD);
    if (pd) {
      t.cls[i] = ClassCode.PD;
      t.firstVector[i] = pd.first[i];
      t.firstPossibleVector[i] = pd.firstPossible[i] >= 0 ? pd.firstPossible[i] : pd.first[i];
      continue;
    }
    const ud = sp.cls[i] === ClassCode.UD;
    const everyUd = ud && segs.every((g) => g.cls[i] === ClassCode.UD);
    if (ud && !everyUd) {
      setReason(i, `not detected by the vectors on test weights (on the mission weights: ${sp.reasonOf(i) ?? "proved undetectable"})`);
      continue; // ND
    }
    if (everyUd && split.hasReads && readCanSee(faults[i])) {
      setReason(i, `not found by this program's reads (spike tests cannot see it: ${sp.reasonOf(i) ?? "proved"})`);
      continue; // ND
    }
    t.cls[i] = sp.cls[i];
    t.firstVector[i] = sp.first[i];
    t.firstPossibleVector[i] = sp.firstPossible[i];
    const why = sp.reasonOf(i);
    if (why !== undefined) setReason(i, why);
  }
  const steps = split.ids.map((id) => ({ id }) as FaultSimVector); // outcome objects read only a step's id
  const r = withOutcomes({ ...withoutOutcomes(spike), evaluations: spike.evaluations + n + segments.reduce((s, g) => s + g.evaluations, 0) }, t, faults, steps);
  merged.add(r);
  return r;
}

/** DT counts by the phase of the first detecting step (uncollapsed: class sizes). */
export function detectionsByPhase(result: FaultSimResult, faults: readonly Fault[], split: ProgramSteps): Record<TestPhase, number> {
  const out: Record<TestPhase, number> = { array: 0, neuron: 0, functional: 0 };
  const t = outcomeTableOf(result);
  if (t && merged.has(result) && t.cls.length === faults.length) {
    // a merged result's vector indices are program steps
    const phase = split.ids.map((id) => split.phaseOf.get(id));
    for (let i = 0; i < faults.length; i++) {
      const p = t.cls[i] === ClassCode.DT && t.firstVector[i] >= 0 ? phase[t.firstVector[i]] : undefined;
      if (p) out[p] += faults[i].classSize;
    }
    return out;
  }
  result.outcomes.forEach((o, i) => {
    if (o.cls !== "DT" || !o.firstVector) return;
    const p = split.phaseOf.get(o.firstVector);
    if (p) out[p] += faults[i].classSize;
  });
  return out;
}
