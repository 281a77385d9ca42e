/**
 * A test program in phases, graded as one: the spike vectors the spike ATPG found (on
 * the mission weights, as the chip is delivered), then the array phase (march tests over
 * WRITE/READ, restore and READ-verify of the mission weights).
 *
 *   const p = buildPhasedProgram({ loaded, net, faults, analysis, spike, marchIds: ["march-c-minus-retention"] });
 *   p.program.vectors.length; p.coverage.total.testCoverage; p.byPhase.array
 *
 * The coverage is the campaign of src/faultsim/program-campaign.ts (the one the
 * `coverage` command runs), so `generate` and `coverage` cannot disagree.
 */
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { Fault } from "../faults/fault.ts";
import { computeCoverage, type CoverageRecord } from "../faultsim/coverage.ts";
import { gradeArraySteps } from "../faultsim/array-grader.ts";
import { faultEngines } from "../faultsim/engine-registry.ts";
import type { FaultSimResult } from "../faultsim/fault-engine.ts";
import { detectionsByPhase, mergeOutcomes, splitProgram } from "../faultsim/program-campaign.ts";
import { faultSimVectors } from "../faultsim/program-vectors.ts";
import type { Program, ProgramVector, TestPhase } from "../formats/program-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { buildArrayPhase, type ArrayPhase } from "./array-phase.ts";

export interface PhasedProgramInput {
  loaded: LoadedTestbench;
  net: CompiledNetwork;
  faults: readonly Fault[];
  analysis: FaultAnalysis;
  /** The spike ATPG's program (its vectors come first), or null for an array-only program. */
  spike: Program | null;
  marchIds: readonly string[];
  pdCredit?: number;
  signal?: AbortSignal;
  onPhase?: (name: string) => void;
}

export interface PhasedProgram {
  program: Program;
  array: ArrayPhase;
  result: FaultSimResult;
  coverage: CoverageRecord;
  byPhase: Record<TestPhase, number>;
  stepsByPhase: Record<TestPhase, number>;
}

/** Build and grade the phased program. */
export function buildPhasedProgram(o: PhasedProgramInput): PhasedProgram {
  o.onPhase?.("array phase: expanding march tests and the mission-weight restore");
  const array = buildArrayPhase(o.net, o.loaded.bench, o.marchIds);
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
    metadata: { ...base.metadata, estimatedYieldLoss: 1 - (1 - (base.metadata.estimatedYieldLoss ?? 0)) * (1 - array.readYieldLoss) },
    vectors: [...spikeVectors, ...array.steps],
  };
  const file = "(generated program)";
  const split = splitProgram(program, file);
  o.onPhase?.(`spike vectors: fault simulation of ${spikeVectors.length} vector(s)`);
  const vectors = faultSimVectors({ ...program, vectors: spikeVectors }, file, { timingResolutionPs: o.loaded.bench.timing.tickPs });
  const spikeResult = faultEngines.fast.run(o.net, o.faults, vectors, { drop: true, analysis: o.analysis, signal: o.signal } as Parameters<(typeof faultEngines)["fast"]["run"]>[3]);
  o.onPhase?.(`array phase: READ fault simulation of ${array.steps.length.toLocaleString("en-US")} step(s) × ${o.faults.length.toLocaleString("en-US")} fault(s)`);
  const graded = gradeArraySteps(o.net, o.faults, split.arraySteps, "fast", o.signal);
  const result = mergeOutcomes(spikeResult, graded, o.faults, split);
  const coverage = computeCoverage(result.outcomes, o.faults, { pdCredit: o.pdCredit });
  const stepsByPhase: Record<TestPhase, number> = { array: 0, neuron: 0, functional: 0 };
  for (const s of program.vectors) stepsByPhase[s.phase ?? (s.kind === undefined || s.kind === "spike" ? "functional" : "array")]++;
  return { program, array, result, coverage, byPhase: detectionsByPhase(result, o.faults, split), stepsByPhase };
}
