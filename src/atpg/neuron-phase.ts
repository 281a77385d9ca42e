/**
 * The neuron phase of a production test: test weights written by the board put every
 * neuron at its threshold edge and route hidden neurons to the outputs
 * (neuron-candidates.ts), and the generator keeps the candidates that detect neuron
 * faults nothing kept before detects — graded by the fast fault engine on the network as
 * written, and guard-banded against Monte-Carlo good chips of that written network
 * (guard-band.ts: a vector a good chip may fail with more than the bound is not kept).
 *
 *   const np = await buildNeuronPhase({ loaded, net, faults, seed: 1 });
 *   np.steps          // WRITE … spike vector, WRITE … spike vector, … (phase "neuron")
 *   np.detected       // neuron faults the kept vectors detect (nominal chip)
 *
 * The phase leaves test weights in the crossbar: a program puts the array phase (whose
 * last steps restore and READ-verify the mission weights) or `restoreSteps` after it.
 * Chips deeper than two layers are refused (the plan routes one hidden layer).
 *
 * Two passes over the candidates: detection (keep a vector that detects a neuron fault
 * nothing kept detects), then diagnosis (keep a vector that splits detected faults the
 * kept vectors fail identically — dead-neuron@l0.n0 from dead-neuron@l0.n1 when both sit in
 * one AND group, say), so `diagnose` can name the neuron.
 */
import type { ArrayStep } from "../faultsim/array-grader.ts";
import { goodResponse } from "../faultsim/good-response.ts";
import type { Fault } from "../faults/fault.ts";
import { InputError, InterruptedError } from "../formats/errors.ts";
import type { ProgramVector } from "../formats/program-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { candidateStimulus } from "./candidate-vector.ts";
import { DEFAULT_FAIL_BOUND } from "./guard-band.ts";
import { gradeCandidate, isUseful, type CandidateGrade, type CandidateGrader, type GradeContext, type GradeState } from "./neuron-candidate-grade.ts";
import { neuronCandidates, type NeuronCandidate, type NeuronFamily } from "./neuron-candidates.ts";
import { planPattern, planWindows, planWrites } from "./neuron-phase-plan.ts";
import { timingRangeOf } from "./window-timing.ts";

export interface NeuronPhaseInput {
  loaded: LoadedTestbench;
  net: CompiledNetwork;
  /** The program's fault universe; the phase targets its neuron faults. */
  faults: readonly Fault[];
  /** Seed of the Monte-Carlo good chips. */
  seed?: number;
  /** Largest good-chip failure probability per vector (default 1e-3). */
  failBound?: number;
  /** Monte-Carlo good chips per guard-band population (default 64; more give a tighter estimate). */
  chips?: number;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
  /** Stop looking for more vectors after this long, ms (default: no limit; ignored with `maxCandidates`). */
  budgetMs?: number;
  /**
   * Decide at most this many candidates over both passes, then stop: a bound that does
   * not depend on the machine's speed or on `--jobs` (the time budget does), so the
   * program is the same everywhere. When given, `budgetMs` does not cut.
   */
  maxCandidates?: number;
  /** Grade candidates elsewhere (the job pool, neuron-candidate-pool.ts), `lookahead` of them ahead of the decisions; default: in this thread, one at a time. */
  grader?: CandidateGrader;
  lookahead?: number;
}

export interface KeptNeuronVector {
  id: string;
  family: NeuronFamily;
  detects: number;
  goodFailProbability: number;
}

export interface NeuronPhase {
  steps: (ArrayStep | ProgramVector)[];
  kept: KeptNeuronVector[];
  /** Neuron faults targeted and detected (collapsed counts). */
  targeted: number;
  detected: number;
  /** Classes of detected neuron faults the kept vectors tell apart: after the detection pass and at the end. */
  distinguishable: { afterDetection: number; final: number };
  /** Ids of the neuron faults no kept vector detects (nominal chip). */
  undetected: string[];
  /** Why each of them was left: no candidate detects it, or the best one that does fails too many good chips. */
  undetectedReasons: Record<string, string>;
  /** Candidates tried, and rejected by the guard band. */
  tried: number;
  rejectedByGuardBand: number;
  /** The search stopped at the time budget (or at `maxCandidates`) rather than running out of candidates. */
  budgetReached: boolean;
  /** Good-chip failure probabilities of the kept vectors (for the program's yield estimate). */
  goodFailProbabilities: number[];
}

const turn = async (signal?: AbortSignal) => {
  await new Promise((r) => setImmediate(r));
  if (signal?.aborted) throw new InterruptedError();
};

/** Build the neuron phase (yields between candidates, so Ctrl-C is seen within one candidate). */
export async function buildNeuronPhase(o: NeuronPhaseInput): Promise<NeuronPhase> {
  const { net, loaded } = o;
  if (net.layers.length > 2) {
    throw new InputError(`${loaded.bench.id}: the neuron phase writes test weights for chips of one or two layers; this chip has ${net.layers.length} (drop "neuron" from --phases)`);
  }
  const timing = timingRangeOf(loaded.bench);
  const targets = o.faults.filter((f) => f.site.kind === "neuron");
  const gctx: GradeContext = { bench: loaded.bench, targets, seed: o.seed ?? 1, failBound: o.failBound ?? DEFAULT_FAIL_BOUND, chips: o.chips };
  const grade = o.grader ?? (async (cand: NeuronCandidate, state: GradeState) => gradeCandidate(gctx, cand, state));
  const lookahead = o.grader ? (o.lookahead ?? 2) : 0;
  const steps: (ArrayStep | ProgramVector)[] = [];
  const kept: KeptNeuronVector[] = [];
  const goodFailProbabilities: number[] = [];
  /** Per target: the kept vectors that detect it (its signature over the phase). */
  const signature = targets.map(() => "");
  const isDetected = (i: number) => signature[i] !== "";
  /** Per target: candidates that detect it on the nominal chip, and the smallest good-chip failure among them. */
  const seen = new Int32Array(targets.length);
  const bestFail = new Float64Array(targets.length).fill(Infinity);
  let tried = 0;
  let rejected = 0;
  const t0 = performance.now();
  let budgetReached = false;
  const overBudget = () => (budgetReached ||= o.maxCandidates !== undefined ? tried >= o.maxCandidates : o.budgetMs !== undefined && performance.now() - t0 > o.budgetMs);

  /** The state a candidate is graded against now: pass 1, the detected targets (group 0); pass 2, the groups the kept vectors cannot split. */
  function gradeState(pass: 1 | 2): GradeState {
    const groupOf = new Int32Array(targets.length).fill(-1);
    if (pass === 1) signature.forEach((sg, i) => sg && (groupOf[i] = 0));
    else {
      const ids = new Map<string, number>();
      signature.forEach((sg, i) => {
        if (!sg) return;
        if (!ids.has(sg)) ids.set(sg, ids.size);
        groupOf[i] = ids.get(sg)!;
      });
    }
    return { pass, groupOf };
  }

  /** Keep the candidate when its grade is useful to the phase as it stands (the grade may have been computed ahead, against an earlier state). */
  async function tryCandidate(cand: NeuronCandidate, pending: Promise<CandidateGrade>, pass: 1 | 2): Promise<boolean> {
    await turn(o.signal);
    tried++;
    let g = await pending;
    const state = gradeState(pass);
    if (!isUseful(state, g.first)) return false;
    // usefulness only shrinks as vectors are kept, so an ahead grade that skipped the guard band was of no use; recompute if not
    if (!g.gb) g = gradeCandidate(gctx, cand, state);
    const gb = g.gb!;
    for (const i of g.first) {
      seen[i]++;
      bestFail[i] = Math.min(bestFail[i], gb.goodFailProbability);
    }
    if (!gb.accepted) {
      rejected++;
      return false;
    }
    const hits = g.hits!;
    if (!isUseful(state, hits)) return false;
    const id = `np${kept.length}`;
    const stimulus = candidateStimulus({ pattern: planPattern(net, cand.plan), windows: planWindows(net, cand.plan), iwPs: cand.plan.iwPs, lwPs: cand.plan.lwPs });
    steps.push(...planWrites(net, cand.plan, id));
    steps.push({
      id: `${id}.v`,
      phase: "neuron",
      iwPs: cand.plan.iwPs,
      lwPs: cand.plan.lwPs,
      windows: stimulus.windows,
      repetitions: 1,
      pattern: planPattern(net, cand.plan),
      expected: goodResponse(cand.net, { stimulus }).observed,
      toleranceBandPs: gb.toleranceBandPs,
    });
    kept.push({ id: `${id}.v`, family: cand.family, detects: hits.filter((i) => !isDetected(i)).length, goodFailProbability: gb.goodFailProbability });
    goodFailProbabilities.push(gb.goodFailProbability);
    for (const i of hits) signature[i] += `${id}.v `;
    return true;
  }

  /** One pass over the candidates, `lookahead` of them graded ahead (on the pool) while the phase decides in candidate order. */
  async function runPass(pass: 1 | 2, stop: () => boolean, onKept: (cand: NeuronCandidate) => void): Promise<void> {
    const it = neuronCandidates(net, timing);
    const queue: { cand: NeuronCandidate; grade: Promise<CandidateGrade> }[] = [];
    let exhausted = false;
    try {
      for (;;) {
        // never grade ahead past --neuron-candidates: those grades would be thrown away
        while (!exhausted && queue.length <= lookahead && (o.maxCandidates === undefined || tried + queue.length < o.maxCandidates)) {
          const n = it.next();
          if (n.done) exhausted = true;
          else {
            const grade = grade_(n.value, pass);
            grade.catch(() => undefined); // a grade still running when the pass stops is dropped
            queue.push({ cand: n.value, grade });
          }
        }
        const next = queue.shift();
        if (!next) {
          if (o.maxCandidates !== undefined) stop(); // nothing queued past the limit: note that it was reached
          break;
        }
        if (stop()) break;
        if (await tryCandidate(next.cand, next.grade, pass)) onKept(next.cand);
      }
    } finally {
      await Promise.allSettled(queue.map((q) => q.grade));
    }
  }
  const grade_ = (cand: NeuronCandidate, pass: 1 | 2) => grade(cand, gradeState(pass));

  // pass 1 (detection): keep a candidate that detects a target nothing kept detects
  await runPass(1, () => targets.every((_, i) => isDetected(i)) || overBudget(), (cand) =>
    o.onProgress?.(`neuron phase: ${kept.length} vector(s) [${cand.family}], ${signature.filter(Boolean).length}/${targets.length} neuron faults detected (${tried} candidates tried)`),
  );
  // pass 2 (diagnosis): keep a candidate that splits detected targets the kept vectors cannot tell apart
  const distinctAfterPass1 = new Set(signature.filter(Boolean)).size;
  const allSplit = () => {
    const size = new Map<string, number>();
    for (const sg of signature) if (sg) size.set(sg, (size.get(sg) ?? 0) + 1);
    return [...size.values()].every((n) => n === 1);
  };
  await runPass(2, () => overBudget() || allSplit(), (cand) =>
    o.onProgress?.(`neuron phase: ${kept.length} vector(s) [${cand.family}, diagnostic], ${new Set(signature.filter(Boolean)).size} distinguishable classes of detected neuron faults (${tried} candidates tried)`),
  );
  const remaining = targets.filter((_, i) => !isDetected(i));
  const bound = o.failBound ?? DEFAULT_FAIL_BOUND;
  const undetectedReasons: Record<string, string> = {};
  targets.forEach((f, i) => {
    if (isDetected(i)) return;
    undetectedReasons[f.id] =
      seen[i] === 0
        ? `neuron phase: none of the ${tried} test-weight candidates tried detects it on the nominal chip${budgetReached ? (o.maxCandidates !== undefined ? ` (stopped at --neuron-candidates ${o.maxCandidates})` : " (stopped at the time budget)") : ""}`
        : `neuron phase: ${seen[i]} test-weight candidate(s) detect it on the nominal chip, but the best fails ${bestFail[i].toExponential(1)} of good chips (bound ${bound}; docs/neuron-phase.md)`;
  });
  const distinguishable = { afterDetection: distinctAfterPass1, final: new Set(signature.filter(Boolean)).size };
  return { steps, kept, distinguishable, targeted: targets.length, detected: targets.length - remaining.length, undetected: remaining.map((f) => f.id), undetectedReasons, tried, rejectedByGuardBand: rejected, budgetReached, goodFailProbabilities };
}
