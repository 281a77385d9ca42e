/**
 * A test program in phases, graded as one: the spike vectors the spike ATPG found (on
 * the mission weights, as the chip is delivered), then the neuron phase (test weights
 * that put neurons at their edges, neuron-phase.ts), then the array phase (march tests
 * over WRITE/READ, restore and READ-verify of the mission weights), then the functional
 * phase (functional-phase.ts: a few inputs on the restored mission weights, judged by a
 * count band or class decision fitted to Monte-Carlo good chips).
 *
 *   const p = buildPhasedProgram({ loaded, net, faults, analysis, spike, marchIds: ["march-c-minus-retention"] });
 *   p.program.vectors.length; p.coverage.total.testCoverage; p.byPhase.array
 *
 * The coverage is the campaign of src/faultsim/program-campaign.ts (the one the
 * `coverage` command runs), so `generate` and `coverage` cannot disagree.
 */
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { Fault } from "../faults/fault.ts";
import { coverageOfResultAsync, type CoverageRecord } from "../faultsim/coverage.ts";
import { gradeArrayStepsChunked, type ArrayStep } from "../faultsim/array-grader.ts";
import { arrayReadOnPool } from "../characterise/campaign-runs.ts";
import { createJobPool } from "../parallel/job-pool.ts";
import { InterruptedError } from "../formats/errors.ts";
import { faultEngines } from "../faultsim/engine-registry.ts";
import type { FaultSimResult, FaultSimVector } from "../faultsim/fault-engine.ts";
import { ClassCode, createOutcomeTableSteps, outcomeTableOf, reasonSetter, withOutcomes, withoutOutcomes } from "../faultsim/outcome-table.ts";
import { joinResults } from "../faultsim/parallel-campaign.ts";
import { checkpoint, drainStepsAsync } from "../formats/interrupt-checkpoint.ts";
import { detectionsByPhase, gradeTestWeightSegments, mergeOutcomesAsync, readCanSee, splitProgram } from "../faultsim/program-campaign.ts";
import { MERGE_STEP_FAULTS } from "../faultsim/program-outcomes.ts";
import { faultSimVectors } from "../faultsim/program-vectors.ts";
import type { Program, ProgramVector, TestPhase } from "../formats/program-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { buildArrayPhaseAsync, missionWeightsHash, type ArrayPhase } from "./array-phase.ts";
import { readSchemeOf } from "../sim/read-sense.ts";
import { buildNeuronPhase, type NeuronPhase, type NeuronPhaseInput } from "./neuron-phase.ts";
import { neuronPhaseInWorker, type NeuronPhaseJob } from "./neuron-phase-job.ts";
import { buildFunctionalPhase, type FunctionalPhase, type FunctionalPhaseOptions } from "./functional-phase.ts";

export interface PhasedProgramInput {
  loaded: LoadedTestbench;
  net: CompiledNetwork;
  faults: readonly Fault[];
  analysis: FaultAnalysis;
  /** The spike ATPG's program (its vectors come first), or null for an array-only program. */
  spike: Program | null;
  marchIds: readonly string[];
  /** Build the neuron phase (test weights) before the array phase, with these settings. */
  neuron?: boolean | (Pick<NeuronPhaseInput, "failBound" | "chips" | "budgetMs" | "maxCandidates"> & { worker?: Omit<NeuronPhaseJob, "settings">; started?: Promise<NeuronPhase> });
  /** Seed of the neuron phase's Monte-Carlo good chips. */
  seed?: number;
  /** Build the array phase (default true; false: no march, no restore — nothing is written). */
  arrayPhase?: boolean;
  /** The functional phase's options (absent: no functional phase). */
  functional?: Omit<FunctionalPhaseOptions, "signal">;
  pdCredit?: number;
  signal?: AbortSignal;
  onPhase?: (name: string) => void;
  /** Work done in the current phase, where it is counted (the READ fault simulation: faults). */
  onProgress?: (done: number, total: number) => void;
  /** Pool threads for the READ fault simulation (default 1: this thread); the outcomes do not depend on it. */
  jobs?: number;
}

/** Universes below this many faults are READ-graded in this thread (a second or less; not worth a thread's start-up). */
const READ_ON_POOL_FAULTS = 200_000;

/** The READ outcomes of every fault: on `jobs` pool threads for a large universe, else in this thread (the same outcomes). */
async function gradeReads(o: PhasedProgramInput, steps: ArrayStep[]): Promise<Int32Array> {
  const jobs = o.jobs ?? 1;
  if (jobs >= 2 && o.faults.length >= READ_ON_POOL_FAULTS) {
    const pool = createJobPool(jobs);
    try {
      const graded = await arrayReadOnPool(pool, o.loaded.bench, o.faults, steps, { signal: o.signal, onProgress: o.onProgress });
      if (graded) return graded;
    } finally {
      await pool.close();
    }
  }
  return gradeArrayStepsChunked(o.net, o.faults, steps, { signal: o.signal, onProgress: o.onProgress });
}

export interface PhasedProgram {
  program: Program;
  array: ArrayPhase;
  neuron: NeuronPhase | null;
  functional: FunctionalPhase | null;
  result: FaultSimResult;
  coverage: CoverageRecord;
  byPhase: Record<TestPhase, number>;
  stepsByPhase: Record<TestPhase, number>;
}

const turn = async (signal?: AbortSignal) => {
  await new Promise((r) => setImmediate(r));
  if (signal?.aborted) throw new InterruptedError();
};

/** Build and grade the phased program (yields between phases and chunks: Ctrl-C is seen quickly). */
export async function buildPhasedProgram(o: PhasedProgramInput): Promise<PhasedProgram> {
  o.onPhase?.("array phase: expanding march tests and the mission-weight restore");
  const array = o.arrayPhase === false ? noArrayPhase(o.net) : await buildArrayPhaseAsync(o.net, o.loaded.bench, o.marchIds, () => checkpoint(o.signal));
  let neuron: NeuronPhase | null = null;
  if (o.neuron) {
    const { worker, started, ...settings } = typeof o.neuron === "object" ? o.neuron : {};
    // a job started by the caller has said so, and its lines are arriving
    if (!started) o.onPhase?.("neuron phase: test weights at the threshold edge, guard-banded on Monte-Carlo good chips");
    // on a worker thread when the caller names the job (the CLI): Ctrl-C then ends it at once; `started`: the caller started that job already
    neuron = started
      ? await started
      : worker
      ? await neuronPhaseInWorker({ ...worker, settings: { ...settings, seed: o.seed } }, { signal: o.signal, onProgress: o.onPhase })
      : await buildNeuronPhase({ ...settings, loaded: o.loaded, net: o.net, faults: o.faults, seed: o.seed, signal: o.signal, onProgress: o.onPhase });
  }
  const neuronLoss = 1 - (neuron?.goodFailProbabilities ?? []).reduce((p, q) => p * (1 - q), 1);
  const functional = o.functional ? (o.onPhase?.("functional phase: candidates on Monte-Carlo good chips"), buildFunctionalPhase(o.net, o.loaded.bench, { ...o.functional, signal: o.signal })) : null;
  const spikeVectors: ProgramVector[] = (o.spike?.vectors ?? []).map((v) => ({ ...(v as ProgramVector), phase: "functional" as const }));
  const base: Program = o.spike ?? {
    schemaVersion: 1,
    testbench: { id: o.loaded.bench.id, sha256: o.loaded.sha256 },
    timingTolerancePs: 500,
    decision: { rule: "single" },
    metadata: {},
    vectors: [],
  };
  const program: Program = {
    ...base,
    missionWeightsSha256: array.missionWeightsSha256,
    metadata: { ...base.metadata, ...(neuron && Object.keys(neuron.undetectedReasons).length ? { generatorReasons: { ...base.metadata.generatorReasons, ...neuron.undetectedReasons } } : {}), estimatedYieldLoss: 1 - (1 - (base.metadata.estimatedYieldLoss ?? 0)) * (1 - array.readYieldLoss) * (1 - neuronLoss) * (1 - (functional?.estimatedYieldLoss ?? 0)) },
    vectors: [...spikeVectors, ...(neuron?.steps ?? []), ...array.steps, ...(functional?.steps ?? [])],
  };
  const file = "(generated program)";
  const split = splitProgram(program, file);
  await turn(o.signal);
  o.onPhase?.(`spike vectors: fault simulation of ${spikeVectors.length} vector(s)`);
  const missionVectors = split.spikeIndices.map((i) => program.vectors[i] as ProgramVector);
  const vectors = faultSimVectors({ ...program, vectors: missionVectors }, file, { timingResolutionPs: o.loaded.bench.timing.tickPs });
  // With no spike vector, only the faults READ cannot see need the spike campaign (for their UD proofs).
  const pause = () => checkpoint(o.signal);
  const unseen = vectors.length > 0 || !split.hasReads ? null : await drainStepsAsync(unseenByReadSteps(o.faults), pause);
  const spikeFaults = unseen?.faults ?? o.faults;
  const spikeRun = await spikeCampaignInChunks(o.net, spikeFaults, vectors, o.analysis, o.signal);
  const spikeResult = unseen ? await drainStepsAsync(expandOutcomesSteps(spikeRun, o.faults, unseen.at, vectors), pause) : spikeRun;
  await turn(o.signal);
  o.onPhase?.(`array phase: READ fault simulation of ${array.steps.length.toLocaleString("en-US")} step(s) × ${o.faults.length.toLocaleString("en-US")} fault(s)`);
  const graded = await gradeReads(o, split.arraySteps);
  await turn(o.signal);
  // Spike vectors after a WRITE (the neuron phase; the functional phase after the restore) run on the weights as written there.
  if (split.segments.length > 0) o.onPhase?.(`neuron phase: fault simulation of ${split.segments.length} test-weight segment(s) × ${o.faults.length.toLocaleString("en-US")} fault(s)`);
  const segments = split.segments.length > 0 ? await gradeTestWeightSegments(o.net, o.faults, program, file, split, faultEngines.fast, { timingResolutionPs: o.loaded.bench.timing.tickPs, signal: o.signal, onProgress: o.onProgress }) : [];
  await turn(o.signal);
  // each a pass over the universe (6.9 M faults on bnn): a turn between them lets Ctrl-C in
  const result = await mergeOutcomesAsync(spikeResult, graded, o.faults, split, segments, pause);
  await turn(o.signal);
  const coverage = await coverageOfResultAsync(result, o.faults, { pdCredit: o.pdCredit }, pause);
  await turn(o.signal);
  const stepsByPhase: Record<TestPhase, number> = { array: 0, neuron: 0, functional: 0 };
  for (const s of program.vectors) stepsByPhase[s.phase ?? (s.kind === undefined || s.kind === "spike" ? "functional" : "array")]++;
  return { program, array, neuron, functional, result, coverage, byPhase: detectionsByPhase(result, o.faults, split), stepsByPhase };
}

/** Faults per piece of the spike campaign (fault outcomes are independent of each other, so the pieces join into one run). */
const SPIKE_CHUNK_FAULTS = 65_536;

/**
 * The spike-vector campaign in pieces of SPIKE_CHUNK_FAULTS faults with a Ctrl-C checkpoint
 * between them: one synchronous campaign over the bnn universe ignored Ctrl-C for its length.
 */
export async function spikeCampaignInChunks(net: CompiledNetwork, faults: readonly Fault[], vectors: FaultSimVector[], analysis: PhasedProgramInput["analysis"], signal?: AbortSignal, chunkFaults = SPIKE_CHUNK_FAULTS): Promise<FaultSimResult> {
  const start = performance.now();
  const parts: FaultSimResult[] = [];
  for (let at = 0; at === 0 || at < faults.length; at += chunkFaults) {
    await checkpoint(signal);
    parts.push(faultEngines.fast.run(net, faults.slice(at, at + chunkFaults), vectors, { drop: true, analysis, signal } as Parameters<(typeof faultEngines)["fast"]["run"]>[3]));
  }
  await checkpoint(signal);
  return joinResults(parts[0].engine, parts, faults, vectors, performance.now() - start);
}

/** The faults READ cannot see (neuron sites) and their indices in `faults`: a pass over the universe that yields every MERGE_STEP_FAULTS faults. */
function* unseenByReadSteps(faults: readonly Fault[]): Generator<number, { faults: Fault[]; at: number[] }> {
  const out: { faults: Fault[]; at: number[] } = { faults: [], at: [] };
  for (let i = 0; i < faults.length; i++) {
    if (i > 0 && i % MERGE_STEP_FAULTS === 0) yield i;
    if (!readCanSee(faults[i])) out.faults.push(faults[i]), out.at.push(i);
  }
  return out;
}

/** Outcomes for every fault of `all` from a run over the faults at indices `at` (ascending): the rest are ND until the READ engine says otherwise. */
function* expandOutcomesSteps(run: FaultSimResult, all: readonly Fault[], at: readonly number[], vectors: readonly FaultSimVector[]): Generator<number, FaultSimResult> {
  const t = yield* createOutcomeTableSteps(all.length);
  const from = outcomeTableOf(run);
  const outcomes = from ? null : run.outcomes;
  if (from) t.reasonTexts = [...from.reasonTexts]; // codes copied as they are
  const setReason = reasonSetter(t);
  for (let j = 0; j < at.length; j++) {
    const i = at[j];
    if (from) {
      t.cls[i] = from.cls[j];
      t.firstVector[i] = from.firstVector[j];
      t.firstPossibleVector[i] = from.firstPossibleVector[j];
      t.reason[i] = from.reason[j];
    } else {
      const o = outcomes![j];
      t.cls[i] = ClassCode[o.cls];
      t.firstVector[i] = vectorIndex(vectors, o.firstVector);
      t.firstPossibleVector[i] = vectorIndex(vectors, o.firstPossibleVector);
      if (o.reason !== undefined) setReason(i, o.reason);
    }
  }
  return withOutcomes(withoutOutcomes(run), t, all, vectors);
}

const vectorIndex = (vectors: readonly FaultSimVector[], id: string | null | undefined) => (id ? vectors.findIndex((v) => v.id === id) : -1);

/** A program without an array phase: no steps, nothing read. */
function noArrayPhase(net: CompiledNetwork): ArrayPhase {
  return { marchTests: [], steps: [], readScheme: readSchemeOf(net).kind, readYieldLoss: 0, marginSigma: { p: Infinity, ap: Infinity }, missionWeightsSha256: missionWeightsHash(net) };
}
