/**
 * Public surface of the fault layer (stable API for faultsim/, atpg/, the CLI).
 *
 *   const models = loadFaultModels();                       // fault-models/*.json (or loadFaultModels(dir, ids))
 *   const { faults, counts } = enumerateFaults(net, bench, models, { collapse: true });
 *   const counts2 = countFaults(net, bench, models);        // same counts, no Fault objects (bnn: ~1.5 s)
 *   const a = createFaultAnalysis(net);                     // UD proofs, element effects
 *   const f = resolveInjection(loaded, "dead-synapse@l0.r2.c0");  // an --inject argument → its Fault
 */
export type { Fault } from "./fault.ts";
export { defaultFaultModelDir, loadFaultModelFile, loadFaultModels, type LoadedFaultModel } from "./fault-model-loader.ts";
export { checkParamOverrides, FaultParamError, parseMagnitude, parseParamAssignments, resolveModelParams, type ParamOverrides } from "./fault-params.ts";
export { faultSiteKindOf, faultSiteKinds, simKindsOfModel, type FaultSiteKindInfo, type FaultSiteKindRegistry } from "./fault-site-kinds.ts";
export { createEffectCalculator, type CellEffect, type EffectCalculator, type ElementEffect, type NeuronEffect, type SegmentEffect } from "./fault-effect.ts";
export { createFaultAnalysis, type FaultAnalysis } from "./fault-analysis.ts";
export { collapseRules, type CollapseRuleId } from "./fault-collapse.ts";
export { countFaults, countFaultsAsync, enumerateFaults, enumerateFaultsAsync, type EnumerateOptions, type FaultCount, type FaultUniverse, type UniverseCounts } from "./fault-universe.ts";
export { InjectionError, resolveInjection } from "./fault-injection.ts";
export { formatParamValue, perturbationsAt, resolveFaultModel, SiteFault, type ResolvedFaultModel } from "./site-fault.ts";
