/**
 * Public surface of fault simulation (stable API for atpg/, bench/, the CLI).
 *
 *   const r = faultEngines.fast.run(net, faults, vectors, { drop: true, analysis });
 *   const cov = computeCoverage(r.outcomes, faults, { pdCredit: 0.5 });
 *   const d = responsesDiffer(good, faulty, toleranceBandPs);  // missing / extra / shifted / withinBand
 *   const g = goodResponse(net, vector, repetition);          // expected observable spikes
 */
export type { FaultClass, FaultEngine, FaultOutcome, FaultSimOptions, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
export { faultEngines, type FaultEngineId } from "./engine-registry.ts";
export { fastEngine } from "./fast-engine.ts";
export { referenceEngine } from "./reference-engine.ts";
export { createCampaign, vectorVerdict, type CampaignOptions } from "./campaign.ts";
export { goodResponse, isStochastic, repetitionsOf, type GoodResponse } from "./good-response.ts";
export { compareTrains, responsesDiffer, verdictOf, type CompareVerdict, type ObservedSpike, type ResponseDiff, type SpikeShift } from "./response-compare.ts";
export { computeCoverage, DEFAULT_PD_CREDIT, emptyCounts, faultClasses, finishCounts, modelOfFaultId, type CoverageCounts, type CoverageOptions, type CoverageRecord } from "./coverage.ts";
export { buildCoverageReport, type BuildReportInput, type CoverageReport, type CrossbarHeatmap, type CumulativePoint, type FaultReportEntry } from "./coverage-report.ts";
export { faultSimVectors, type ProgramVectorOptions } from "./program-vectors.ts";
export { defaultWorkers, runParallelCampaign, type CampaignSpec, type ParallelOptions } from "./parallel-campaign.ts";
