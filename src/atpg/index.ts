/**
 * Public surface of test generation (stable API for the CLI, the benchmark and tests).
 *
 *   const { input } = createGenerateInput(loadTestbench("testbenches/black-pixel-4x1.json"));
 *   const r = generateProgram(input, { seed: 1 });
 *   const { program, summary } = buildProgram(input, r, { toolVersion: "0.1.0" });
 *   await writeProgramFile("p.json", program);  await exporters.stil.write(header, program.vectors, ctx, sink);
 */
export type { AtpgStrategy, OfferResult, StrategyContext, StrategySettings } from "./atpg-strategy.ts";
export type { AtpgSummary, PhaseStats, UndetectedFault } from "./atpg-summary.ts";
export { candidateStimulus, candidateSimVector, type CandidateVector } from "./candidate-vector.ts";
export { compactVectors, type CompactionOptions, type CompactionResult } from "./compaction.ts";
export { chooseDecisionRule, type DecisionOptions } from "./decision-rule.ts";
export { placeEdge, guardZ, type PlacedEdge } from "./edge-placement.ts";
export { createGuardBand, DEFAULT_FAIL_BOUND, DEFAULT_MC_CHIPS, evaluateGuardBand, programYieldLoss, type GuardBand, type GuardBandOptions, type VectorGuardBand } from "./guard-band.ts";
export { buildProgram, writeProgramFile, type BuildOptions } from "./program-builder.ts";
export { generateInWorker, GenerationInterruptedError, runGenerationJob, type GenerationJob, type GenerationOutput } from "./generation-job.ts";
export { createGenerateInput, type GenerateInputOptions, type PreparedGeneration } from "./generate-input.ts";
export { DEFAULT_TARGET_COVERAGE_PERCENT, defaultStrategySettings, generateProgram, type GenerateInput, type GenerateOptions, type GenerateResult, type KeptVector } from "./program-generator.ts";
export { atpgStrategies, isStrategyId, type StrategyId } from "./strategy-registry.ts";
export { randomCandidate } from "./strategies/random-strategy.ts";
export { findEdge, type EdgeConfig, type EdgeVector } from "./threshold-edge.ts";
export { createMonteCarloChips, monteCarloChip, seed003Variability, variabilityOf, type VariabilitySigmas } from "./variability-model.ts";
export { timingRangeOf, type TimingRange } from "./window-timing.ts";
export { windowMargins, type WindowMargins } from "./window-margins.ts";
export { exporters, type ExportContext, type ExporterId, type ProgramExporter } from "./exporters/index.ts";
