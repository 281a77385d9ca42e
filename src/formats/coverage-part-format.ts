/**
 * A coverage part (`coverage --shard i/N --out part-i.jsonl`): one shard's per-fault
 * outcomes as JSON Lines. Line 1 is the header — what the part belongs to (bench and
 * program sha256, tool version, fault models with parameters, the campaign options) and
 * which shard it is; then one outcome per fault of the shard, in universe order; the
 * last line is the end record with the outcome count and the shard's evaluation counts,
 * so a truncated part is told from a short one.
 *
 *   {"kind":"header","format":"snn-atpg-coverage-part","schemaVersion":1,"tool":"snn-atpg 0.1.0",…,"shard":{"index":0,"count":3}}
 *   {"faultId":"dead-synapse@l0.r0.c0","cls":"DT","firstVector":"v1"}
 *   {"kind":"end","outcomes":1,"evaluations":12,"fastPathEvaluations":12}
 *
 * With `--criticality`, the header also holds the scoring options and the good chip, and
 * each sampled fault's outcome its effect on the held-out digits, so `merge` rebuilds the
 * critical-fault coverage of the unsharded run.
 *
 * `readCoveragePart` validates every line with a located error (file:line).
 */
import { z } from "zod";
import { partText, readPartFile, type PartFormat } from "./part-file-format.ts";

export const coveragePartFormat = "snn-atpg-coverage-part";

const count = z.number().int().min(0);

/** Everything two parts must agree on to be merged (all of the header but the shard index). */
export const coveragePartHeaderSchema = z.strictObject({
  kind: z.literal("header"),
  format: z.literal(coveragePartFormat),
  schemaVersion: z.literal(1),
  tool: z.string().describe("tool name and version that wrote the part"),
  testbench: z.strictObject({ id: z.string(), file: z.string(), sha256: z.string() }),
  program: z.strictObject({ file: z.string(), sha256: z.string().describe("programHash of the program") }),
  models: z.array(z.strictObject({ id: z.string(), params: z.record(z.string(), z.number().nullable().describe("null = infinite") ) })),
  campaign: z.strictObject({
    engine: z.string(),
    drop: z.boolean(),
    pdCredit: z.number(),
    universe: z
      .strictObject({
        models: z.string().optional(),
        modelsDir: z.array(z.string()),
        sites: z.string().optional(),
        param: z.array(z.string()),
        arrayModels: z.boolean().optional(),
      })
      .describe("the fault-universe options as given (--models, --models-dir, --sites, --param, --array-models)"),
  }),
  universe: z.strictObject({ collapsed: count }).describe("faults in the whole (unsharded) collapsed universe"),
  criticality: z
    .strictObject({
      criticalShare: z.number().min(0).max(1),
      criticalImages: z.number().int().min(1),
      criticalSample: z.number().int().min(1),
      goodImages: count.describe("held-out digits the good chip was scored on"),
      goodAccuracy: z.number().min(0).max(1),
    })
    .optional()
    .describe("coverage --criticality: the scoring options and the good chip (every shard scores the sampled faults of its own slice)"),
  shard: z.strictObject({ index: count, count: z.number().int().min(1) }),
});

export const coveragePartOutcomeSchema = z.strictObject({
  faultId: z.string(),
  cls: z.enum(["DT", "PD", "UD", "ND", "AU"]),
  firstVector: z.string().nullable(),
  firstPossibleVector: z.string().nullable().optional(),
  detectingVectors: z.array(z.string()).optional(),
  detectedVectors: z.array(z.string()).optional(),
  reason: z.string().optional(),
  criticality: z
    .strictObject({
      classChanged: z.array(count).describe("held-out digits whose class the fault changes"),
      detectedOn: z.array(count).describe("held-out digits whose observable output the fault changes"),
      accuracyDrop: z.number(),
    })
    .optional()
    .describe("coverage --criticality: the fault's effect on the held-out digits (sampled faults only)"),
});

export const coveragePartEndSchema = z.strictObject({
  kind: z.literal("end"),
  outcomes: count,
  evaluations: count,
  fastPathEvaluations: count,
  elapsedMs: z.number().min(0),
});

export type CoveragePartHeader = z.output<typeof coveragePartHeaderSchema>;
export type CoveragePartOutcome = z.output<typeof coveragePartOutcomeSchema>;
export type CoveragePartEnd = z.output<typeof coveragePartEndSchema>;

export interface CoveragePart {
  file: string;
  header: CoveragePartHeader;
  outcomes: CoveragePartOutcome[];
  end: CoveragePartEnd;
}

/** The coverage kind of part file (part-file-format.ts). */
export const coveragePartKind = {
  format: coveragePartFormat,
  noun: "coverage part",
  writtenBy: "snn-atpg coverage --shard i/N --out FILE",
  header: coveragePartHeaderSchema,
  record: coveragePartOutcomeSchema,
  end: coveragePartEndSchema,
  countField: "outcomes",
} as const satisfies PartFormat<typeof coveragePartHeaderSchema, typeof coveragePartOutcomeSchema, typeof coveragePartEndSchema>;

/** The text of a part: header, outcomes, end record, one JSON object per line. */
export function coveragePartText(header: CoveragePartHeader, outcomes: readonly CoveragePartOutcome[], end: Omit<CoveragePartEnd, "kind" | "outcomes">): string {
  return partText(header, outcomes, { outcomes: outcomes.length, ...end });
}

/** Read and validate a part file; every error names the file and line. */
export function readCoveragePart(file: string): CoveragePart {
  const p = readPartFile(file, coveragePartKind);
  return { file, header: p.header, outcomes: p.records, end: p.end };
}
