/**
 * Public surface of fault simulation (stable API for atpg/, bench/, the CLI).
 *
 *   const r = faultEngines.fast.run(net, faults, vectors, { drop: true, analysis });
 *   const cov = computeCoverage(r.outcomes, faults, { pdCredit: 0.5 });
 *   const d = compareSpikes(good, faulty, { toleranceBandPs });  // missing / extra / shifted / withinBand
 *   passCriteria["exact-train"].judge(expected, observed)       // pass / possibly / fail + signature
 *   const g = goodResponse(net, vector, repetition);          // expected observable spikes
 */
export type { FaultClass, FaultEngine, FaultOutcome, FaultSimOptions, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
export { faultEngines, type FaultEngineId } from "./engine-registry.ts";
export { fastEngine } from "./fast-engine.ts";
export { referenceEngine } from "./reference-engine.ts";
export { createCampaign, vectorVerdict, type CampaignOptions } from "./campaign.ts";
export { goodResponse, isStochastic, repetitionsOf, type GoodResponse } from "./good-response.ts";
export { compareSpikes, compareTrains, verdictOf, worstShiftPs, type CompareVerdict, type ResponseDiff, type SpikeShift, type TimingBand } from "./response-rule.ts";
export { defaultPassCriterion, isExactTrain, judgeResponse, passCriteria, responseVerdict, verdictCode, type CriterionVerdict, type Judgement, type ObservedResponse, type PassCriterion, type PassCriterionId, type VectorExpectation } from "./pass-criteria.ts";
export { computeCoverage, coverageOfResult, DEFAULT_PD_CREDIT, emptyCounts, faultClasses, finishCounts, modelOfFaultId, type CoverageCounts, type CoverageOptions, type CoverageRecord } from "./coverage.ts";
export { buildCoverageReport, coverageReportSteps, entryArraySteps, FaultEntries, type FaultEntryList, type BuildReportInput, type CoverageReport, type CrossbarHeatmap, type CumulativePoint, type FaultReportEntry } from "./coverage-report.ts";
export { faultSimVectors, type ProgramVectorOptions } from "./program-vectors.ts";
export { campaignPlan, campaignThreads, faultSimTask, joinSliceResults, MIN_FAULTS_PER_JOB, runParallelCampaign, type CampaignSpec, type FaultSimSlice, type ParallelOptions } from "./parallel-campaign.ts";
export { classOfCode, ClassCode, outcomeTableOf, type OutcomeTable } from "./outcome-table.ts";
export { fnv1a32, inShard, parseShard, shardFromEnv, ShardError, type Shard } from "./fault-shard.ts";
