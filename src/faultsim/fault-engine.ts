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

/** Industry fault classes: detected, possibly detected, undetectable, not detected, aborted. */
export type FaultClass = "DT" | "PD" | "UD" | "ND" | "AU";

/** One vector as the fault simulator sees it. */
export interface FaultSimVector {
  id: string;
  stimulus: Stimulus;
  /** A spike within ± this of the good spike time still matches, ps. */
  toleranceBandPs: number;
  /** Repetitions for stochastic neurons (each with its own rng salt). */
  repetitions?: number;
}

export interface FaultSimOptions {
  /** Drop a fault at its first detection (default true). */
  drop?: boolean;
  /** Progress callback (faults done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Stop early; the result then holds what was classified so far. */
  signal?: AbortSignal;
}

/** Per-fault outcome. */
export interface FaultOutcome {
  faultId: string;
  cls: FaultClass;
  /** First vector whose response differs (DT) or may differ (PD). */
  firstVector: string | null;
  /** With drop = false: every vector that detects it. */
  detectingVectors?: string[];
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
  elapsedMs: number;
}

export interface FaultEngine {
  readonly id: string;
  run(net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], opts?: FaultSimOptions): FaultSimResult;
}
