/**
 * The fault-simulation extension point: engines that classify faults against a set
 * of vectors. The reference engine re-simulates everything; the fast engine reuses
 * the good simulation. Both must give the same classes (test/faultsim).
 *
 *   const result = faultEngines.fast.run(net, faults, vectors, { drop: true });
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import type { Stimulus } from "../sim/stimulus.ts";
import type { Fault } from "../faults/fault.ts";
import type { PassCriterion as CriterionSpec } from "../formats/program-format.ts";

/** Industry fault classes: detected, possibly detected, undetectable, not detected, aborted. */
export type FaultClass = "DT" | "PD" | "UD" | "ND" | "AU";

/** One vector as the fault simulator sees it. */
export interface FaultSimVector {
  id: string;
  stimulus: Stimulus;
  /** A spike within ± this of the good spike time still matches, ps. */
  toleranceBandPs: number;
  /** Repetitions for stochastic neurons (each with its own rng salt = repetition index). Ignored for deterministic networks. */
  repetitions?: number;
  /** Spike shifts smaller than this are invisible to the tester (its timing resolution), ps; default 1. */
  timingResolutionPs?: number;
  /** How a response is judged (absent: exact-train); the engines judge every response through pass-criteria.ts. */
  criterion?: CriterionSpec;
}

export interface FaultSimOptions {
  /** Drop a fault at its first detection (default true). */
  drop?: boolean;
  /** Progress callback (work done, total work; engine-specific units: faults or fault × vector pairs). */
  onProgress?: (done: number, total: number) => void;
  /** Stop early; faults not finished are then AU with reason "interrupted". */
  signal?: AbortSignal;
  /** Classify faults proved undetectable as UD before simulating (default true; tests turn it off to check the proofs). */
  proveUndetectable?: boolean;
}

/** Per-fault outcome. */
export interface FaultOutcome {
  faultId: string;
  cls: FaultClass;
  /** First vector whose response differs (DT) or may differ (PD). */
  firstVector: string | null;
  /** First vector whose response differs or may differ (DT or PD); for cumulative coverage. */
  firstPossibleVector?: string | null;
  /** With drop = false: every vector that detects it (DT) or possibly detects it (PD). */
  detectingVectors?: string[];
  /** With drop = false: the vectors among `detectingVectors` that detect it (DT). */
  detectedVectors?: string[];
  /** Why UD/AU, when known. */
  reason?: string;
}

/** Frozen, JSON-serialisable result of a fault-simulation campaign. */
export interface FaultSimResult {
  engine: string;
  outcomes: FaultOutcome[];
  /** Fault × vector evaluations performed. */
  evaluations: number;
  /** Evaluations answered by the fast path (0 for the reference engine). */
  fastPathEvaluations: number;
  /**
   * Fast engine: evaluations by the path that answered them — `cell`, `segment`, `neuron`
   * (O(1) updates of the good column), `column` (one column re-solved), `general` (whole
   * network re-simulated); `batched` counts the cell and segment evaluations a column
   * batch settled as unchanged without a neuron run of their own (not counted under
   * cell / segment; the faults a batch finds changed count there, one evaluated per
   * windows class and the rest given its verdict).
   * The counts sum to `evaluations`.
   */
  pathEvaluations?: Record<string, number>;
  elapsedMs: number;
  /**
   * Fast engine: wall time of its phases, ms — setup (UD proofs, plans, fault order), the
   * vector loop, building the outcomes — and the CPU time of the vector loop, ms (the
   * whole process's: meaningful when the campaign runs alone in its process).
   */
  phaseMs?: { setup: number; vectors: number; outcomes: number; vectorsCpu: number };
  /** Parallel runs: elapsed time of each thread's slice, ms (their sum is the thread time spent). */
  threadElapsedMs?: number[];
  /** Parallel runs: CPU time of each thread's slice, ms, where the platform tells it (Linux), else NaN — the load-independent share of each thread. */
  threadCpuMs?: number[];
  /** Fast engine: vector contexts built on a good run the caller gave (CampaignOptions.goodRun; a pooled campaign's shared good machine), not simulated again. */
  givenGoodRuns?: number;
  /** Fast engine with a claimed tail (CampaignOptions.tail): the chunks this run claimed and graded, in claim order — the outcomes of the others are not this run's. */
  claimed?: number[];
  /** Pooled campaigns: CPU ms of each thread's engine run alone (its slice's CPU less reading the spec, compiling the chip and building its faults). */
  threadEngineCpuMs?: number[];
  /** Pooled campaigns: when each thread's engine run began and ended, ms after the campaign began — what was serial before the slices graded, and how unevenly they finished. */
  threadEngineSpanMs?: [number, number][];
  /** Pooled campaigns: pieces each thread graded — its own share and the tail chunks it claimed (parallel-campaign.ts). */
  threadChunks?: number[];
  /** Pooled campaigns of the fast engine: each thread's engine phases (`phaseMs`). */
  threadPhaseMs?: { setup: number; vectors: number; outcomes: number; vectorsCpu: number }[];
}

export interface FaultEngine {
  readonly id: string;
  run(net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], opts?: FaultSimOptions): FaultSimResult;
}
