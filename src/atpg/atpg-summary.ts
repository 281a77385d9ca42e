/**
 * The frozen, JSON-serialisable record of one ATPG run — what `generate` prints and
 * `--json` emits. Sinks format it; nothing reaches back into the generator.
 *
 *   { testbench: "black-pixel-4x1", strategy: "targeted", seed: 1, vectors: 2, windows: 5,
 *     totalTestTimeNs: 71.1, compaction: { before: 4, afterReverseOrder: 3, afterSetCover: 2 }, … }
 */
import type { CoverageSummary } from "../formats/program-format.ts";
import type { FaultClass } from "../faultsim/fault-engine.ts";

/** A fault the program leaves undetected, with why. */
export interface UndetectedFault {
  faultId: string;
  cls: Exclude<FaultClass, "DT">;
  reason: string;
}

/** Candidate bookkeeping per strategy phase. */
export interface PhaseStats {
  offered: number;
  accepted: number;
  /** Failed the selection population's guard band. */
  rejectedByGuardBand: number;
  /** Passed it and would detect something new, but failed the hold-out population (not kept; the search went on). */
  rejectedByHoldOut: number;
  /** Passed the guard band but detected no fault still undetected. */
  detectedNothing: number;
  duplicates: number;
  /** Refused before the guard band because the tester cannot play it (`generate --profile`; absent without one). */
  refusedByTester?: number;
}

export interface AtpgSummary {
  testbench: string;
  testbenchSha256: string;
  strategy: string;
  seed: number;
  models: string[];
  /** Vectors in the program (after compaction). */
  vectors: number;
  /** Σ windows × repetitions. */
  windows: number;
  /** Σ windows × (IW + LW) × repetitions, ns. */
  totalTestTimeNs: number;
  compaction: { before: number; afterReverseOrder: number; afterSetCover: number; setCoverSkipped: boolean } | null;
  coverage: CoverageSummary;
  /** Target test coverage, percent, and whether it was reached. */
  targetCoveragePercent: number;
  targetReached: boolean;
  guardBand: {
    failBound: number;
    monteCarloChips: number;
    scaledSigma: number;
    variability: { thicknessSigma: number; tmrSigma: number; areaSigma: number; neuronSigma: number };
    variabilitySource: string;
    /** Chips of the independent hold-out population the final vectors were re-judged on. */
    validationChips: number;
    /** Candidates the hold-out population rejected (never kept: the search looked further for their faults). */
    validationRejected: number;
    /** Largest per-vector good-chip failure estimate. */
    worstVectorFailProbability: number;
    /** 1 − Π(1 − p_v) over the program's vectors (Monte-Carlo point estimates; see docs/atpg.md for their accuracy). */
    estimatedYieldLoss: number;
    /** 1 − (1 − bound)^vectors: the yield loss the per-vector guard band allows — the stated rate. */
    yieldLossBound: number;
  };
  /** Distinct (IW, LW) pairs used, ps. */
  timings: { iwPs: number; lwPs: number; vectors: number }[];
  phases: Record<string, PhaseStats>;
  /** Why the search ended: interrupted, vector-limit, target-reached, out-of-time, nothing-left, strategy-finished. */
  stopReason: string;
  /** Every fault not DT, with its class and reason (UD proofs, AU search limits, ND). */
  undetected: UndetectedFault[];
  stochastic: boolean;
  /** Stochastic benches: how vectors are decided (`generate --decision`), and the vectors no rule within the cap reached α and β for (fixed 1/1, their P(fail) stated). */
  decisions?: { kind: "fixed" | "sprt"; alpha: number; beta: number; samples: number; undesigned: string[] };
  elapsedMs: number;
}
