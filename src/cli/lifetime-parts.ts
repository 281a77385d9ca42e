/**
 * Lifetime parts for cluster runs: a shard's (curve, trial) units written as a part file
 * (formats/lifetime-part-format.ts), and the merge of every shard's part back into the
 * sweep of one unsharded run — the same curves, bit for bit, since each trial draws from
 * its own seed and the mean is taken in trial order either way.
 *
 *   writeLifetimePart("part-0.jsonl", header, records, elapsedMs);
 *   const { result, header } = mergeLifetimeParts(parts);   // after checkMatchingParts
 */
import { lifetimeResult, lifetimeUnitId, type LifetimeResult, type LifetimeTrialSpec } from "../characterise/lifetime.ts";
import { lifetimePartKind, type LifetimePartHeader, type LifetimePartRecord } from "../formats/lifetime-part-format.ts";
import { partText, readPartFile, type PartFile } from "../formats/part-file-format.ts";
import { writeOutputFile } from "./output-file.ts";
import { recordsByUnit } from "./part-merge.ts";

export type LifetimePart = PartFile<LifetimePartHeader, LifetimePartRecord, { kind: "end"; trials: number; elapsedMs: number }>;

export function writeLifetimePart(file: string, header: LifetimePartHeader, records: readonly LifetimePartRecord[], elapsedMs: number): void {
  writeOutputFile(file, partText(header, records, { trials: records.length, elapsedMs }), "--out");
}

export const readLifetimePart = (file: string): LifetimePart => readPartFile(file, lifetimePartKind);

/** The header fields that must agree between parts. */
export function lifetimeCampaignKey(h: LifetimePartHeader): Record<string, string> {
  return {
    "tool version": h.tool,
    "testbench (sha256)": `${h.testbench.id} ${h.testbench.sha256}`,
    "sweep options (years, step, Δ curves, trials, seed, digits, reference)": JSON.stringify(h.campaign),
    curves: JSON.stringify(h.curves),
    "cells at risk": String(h.atRiskCells),
  };
}

/** The trials' spec as far as assembling curves needs it (labels, not the per-column Δ). */
function specOf(h: LifetimePartHeader): Pick<LifetimeTrialSpec, "curves" | "trials" | "stepYears" | "seed" | "reference"> {
  return { curves: h.curves.map((label) => ({ label, columnDeltaKt: new Float64Array(0) })), trials: h.campaign.trials, stepYears: h.campaign.stepYears, seed: h.campaign.seed, reference: h.campaign.reference };
}

/** Join matching parts (checkMatchingParts) into the unsharded sweep: every unit once, in its own shard. */
export function mergeLifetimeParts(parts: readonly LifetimePart[]): { header: LifetimePartHeader; result: LifetimeResult } {
  const h = parts[0].header;
  const s = specOf(h);
  const ids = Array.from({ length: h.curves.length * h.campaign.trials }, (_, u) => lifetimeUnitId(s, u));
  const byId = recordsByUnit(parts, (r) => lifetimeUnitId(s, r.unit), ids, "trial");
  const units = ids.map((id) => byId.get(id)!);
  return { header: h, result: lifetimeResult(h.testbench.id, s, h.campaign.images, h.atRiskCells, units) };
}
