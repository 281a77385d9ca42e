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
 * `readCoveragePart` validates every line with a located error (file:line).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { FormatError } from "./format-error.ts";
import { issuesToErrors, parseJsonText } from "./load-json.ts";

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

/** The text of a part: header, outcomes, end record, one JSON object per line. */
export function coveragePartText(header: CoveragePartHeader, outcomes: readonly CoveragePartOutcome[], end: Omit<CoveragePartEnd, "kind" | "outcomes">): string {
  const lines = [JSON.stringify(header), ...outcomes.map((o) => JSON.stringify(o)), JSON.stringify({ kind: "end", outcomes: outcomes.length, ...end })];
  return `${lines.join("\n")}\n`;
}

function lineOf<S extends z.ZodType>(schema: S, text: string, file: string, line: number): z.output<S> {
  const where = `${file}:${line}`;
  const data = parseJsonText(text, where);
  const r = schema.safeParse(data);
  if (!r.success) throw issuesToErrors(where, data, r.error.issues)[0];
  return r.data;
}

/** Read and validate a part file; every error names the file and line. */
export function readCoveragePart(file: string): CoveragePart {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new FormatError({ file, where: "the file", expected: "a readable coverage part (.jsonl)", found: (err as NodeJS.ErrnoException).code ?? String(err), hint: "check the path; parts are written by snn-atpg coverage --shard i/N --out FILE" });
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) throw new FormatError({ file, where: "line 1", expected: "a coverage part header", found: "an empty file", hint: "the shard may not have run; run it again" });
  const header = lineOf(coveragePartHeaderSchema, lines[0], file, 1);
  let last: { kind?: unknown } | null = null;
  try {
    last = lines.length > 1 ? (JSON.parse(lines.at(-1)!) as { kind?: unknown }) : null;
  } catch {
    // a half-written last line: reported as a missing end record below
  }
  if (!last || last.kind !== "end") {
    throw new FormatError({ file, where: `line ${lines.length}`, expected: 'the end record {"kind":"end",…}', found: "no end record", hint: "the part is truncated (the shard was interrupted or its disk filled); run the shard again" });
  }
  const end = lineOf(coveragePartEndSchema, lines.at(-1)!, file, lines.length);
  const outcomes = lines.slice(1, -1).map((l, k) => lineOf(coveragePartOutcomeSchema, l, file, k + 2));
  if (outcomes.length !== end.outcomes) {
    throw new FormatError({ file, where: `line ${lines.length}`, expected: `${end.outcomes} outcome line(s), as the end record says`, found: `${outcomes.length}`, hint: "the part was edited or damaged; run the shard again" });
  }
  return { file, header, outcomes, end };
}
