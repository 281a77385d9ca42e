/**
 * Coverage parts for cluster runs: the header a shard writes (what its outcomes belong
 * to), and the merge of every shard's part back into the result of one unsharded run,
 * with a located error for a part of another bench, program, tool version or campaign,
 * a missing or duplicated shard, or a fault in the wrong shard.
 *
 *   writeCoveragePart("part-0.jsonl", partHeader(prep, o, { index: 0, count: 3 }), result);
 *   const { header, result } = mergeCoverageParts(["part-0.jsonl", "part-1.jsonl", "part-2.jsonl"], prep);
 */
import { coveragePartText, readCoveragePart, type CoveragePart, type CoveragePartHeader } from "../formats/coverage-part-format.ts";
import { programHash } from "../formats/program-hash.ts";
import { toolVersionString } from "../formats/tool-version.ts";
import type { Shard } from "../faultsim/fault-shard.ts";
import { checkMatchingParts, MergeError, recordsByUnit } from "./part-merge.ts";
import type { FaultOutcome, FaultSimResult } from "../faultsim/fault-engine.ts";
import type { FaultEffect } from "../characterise/criticality.ts";
import type { CoverageCampaignOptions, PreparedCoverage } from "./coverage-run.ts";
import { writeOutputFile } from "./output-file.ts";

export { MergeError };

/** The header of a shard's part. */
export function partHeader(prep: PreparedCoverage, o: CoverageCampaignOptions, shard: Shard, criticality?: CoveragePartHeader["criticality"]): CoveragePartHeader {
  return {
    kind: "header",
    format: "snn-atpg-coverage-part",
    schemaVersion: 1,
    tool: toolVersionString,
    testbench: { id: prep.loaded.bench.id, file: prep.loaded.file, sha256: prep.loaded.sha256 },
    program: { file: prep.programFile, sha256: programHash(prep.program) },
    models: prep.universe.models.map((m) => ({ id: m.id, params: Object.fromEntries(Object.entries(m.params).map(([k, v]) => [k, Number.isFinite(v) ? v : null])) })),
    campaign: {
      engine: o.engine,
      drop: o.drop,
      pdCredit: o.pdCredit,
      universe: { models: o.models, modelsDir: o.modelsDir, sites: o.sites, param: o.param, arrayModels: o.arrayModels },
    },
    universe: { collapsed: prep.universe.faults.length },
    ...(criticality ? { criticality } : {}),
    shard,
  };
}

/** Write a shard's outcomes (in universe order) as a part file, with the criticality effects of its sampled faults (coverage --criticality). */
export function writeCoveragePart(file: string, header: CoveragePartHeader, result: FaultSimResult, effects?: ReadonlyMap<string, FaultEffect>): void {
  const outcomes = result.outcomes.map(({ faultId, cls, firstVector, firstPossibleVector, detectingVectors, detectedVectors, reason }) => ({
    faultId,
    cls,
    firstVector,
    ...(firstPossibleVector !== undefined ? { firstPossibleVector } : {}),
    ...(detectingVectors ? { detectingVectors } : {}),
    ...(detectedVectors ? { detectedVectors } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(effects?.has(faultId) ? { criticality: effectRecord(effects.get(faultId)!) } : {}),
  }));
  writeOutputFile(file, coveragePartText(header, outcomes, { evaluations: result.evaluations, fastPathEvaluations: result.fastPathEvaluations, elapsedMs: result.elapsedMs }), "--out");
}

const effectRecord = (e: FaultEffect) => ({ classChanged: e.classChanged, detectedOn: e.detectedOn, accuracyDrop: e.accuracyDrop });

/** The criticality effects the parts hold, by fault id (faults of the graded universe). */
export function partEffects(parts: readonly CoveragePart[], prep: PreparedCoverage): Map<string, FaultEffect> {
  const fault = new Map(prep.universe.faults.map((f) => [f.id, f]));
  const out = new Map<string, FaultEffect>();
  for (const p of parts) {
    for (const r of p.outcomes) {
      const f = fault.get(r.faultId);
      if (r.criticality && f) out.set(r.faultId, { id: f.id, modelId: f.modelId, layer: f.layer, ...r.criticality });
    }
  }
  return out;
}

/** The header fields that must agree between parts, as one comparable text. */
export function coverageCampaignKey(h: CoveragePartHeader): Record<string, string> {
  return {
    "tool version": h.tool,
    "testbench (sha256)": `${h.testbench.id} ${h.testbench.sha256}`,
    "program (sha256)": h.program.sha256,
    "fault models and parameters": JSON.stringify(h.models),
    "campaign options (engine, fault dropping, PD credit, universe options)": JSON.stringify(h.campaign),
    "universe size": String(h.universe.collapsed),
    "criticality options and good chip": JSON.stringify(h.criticality ?? null),
  };
}

/** Read the parts and check they are the shards of one campaign, each exactly once. */
export function readMatchingParts(files: readonly string[]): CoveragePart[] {
  if (files.length === 0) throw new MergeError("merge: give the part files (e.g. snn-atpg merge out/part-*.jsonl)");
  const parts = files.map((f) => readCoveragePart(f));
  checkMatchingParts(parts, coverageCampaignKey);
  return parts;
}

/** Check the parts against the prepared universe and join their outcomes in universe order. */
export function joinParts(parts: readonly CoveragePart[], prep: PreparedCoverage): FaultSimResult {
  const h = parts[0].header;
  if (prep.loaded.sha256 !== h.testbench.sha256) throw new MergeError(`${parts[0].file}:1: the testbench ${prep.loaded.file} has changed since the parts were made (sha256 ${prep.loaded.sha256}, the parts say ${h.testbench.sha256})`);
  if (programHash(prep.program) !== h.program.sha256) throw new MergeError(`${parts[0].file}:1: the program ${prep.programFile} has changed since the parts were made`);
  if (h.tool !== toolVersionString) throw new MergeError(`${parts[0].file}:1: the parts were made by ${h.tool}, this is ${toolVersionString}; merge with the version that made them`);
  const byId = recordsByUnit(
    parts.map((p) => ({ ...p, records: p.outcomes })),
    (o) => o.faultId,
    prep.universe.faults.map((f) => f.id),
    "fault",
  );
  const outcomes = prep.universe.faults.map((f) => {
    const { criticality: _, ...outcome } = byId.get(f.id)!;
    return outcome as FaultOutcome;
  });
  return {
    engine: h.campaign.engine,
    outcomes,
    evaluations: parts.reduce((s, p) => s + p.end.evaluations, 0),
    fastPathEvaluations: parts.reduce((s, p) => s + p.end.fastPathEvaluations, 0),
    elapsedMs: parts.reduce((s, p) => s + p.end.elapsedMs, 0),
  };
}
