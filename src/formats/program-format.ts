/**
 * Test program format: what a tester applies and what a good chip answers.
 *
 *   { "schemaVersion": 1, "testbench": { "id": "black-pixel-4x1", "sha256": "…" },
 *     "timingTolerancePs": 200,
 *     "vectors": [{ "id": "v1", "iwPs": 1000, "lwPs": 9000, "windows": 3, "pattern": ["1111"],
 *                   "expected": [{ "output": 0, "window": 2, "timePs": 20518 }] }] }
 *
 * A vector's stimulus is either `pattern` (bits per first-layer row, applied at the start
 * of each window; one string per window, the last one repeating) or `events`
 * ([input, timePs] pairs). `expected` lists every observable output spike of the good
 * chip (PROTOCOL.md output numbering). `testbench.sha256` is the canonical hash of the
 * bench (see testbenchHash) — running a program against another bench is an error.
 * Long programs may also be stored as JSON Lines: the header object (without
 * `vectors`) on line 1, then one vector per line.
 */
import { z } from "zod";

export const expectedSpikeSchema = z.strictObject({
  output: z.number().int().nonnegative().describe("observable output number (PROTOCOL.md numbering)"),
  window: z.number().int().nonnegative().describe("coding window index, from 0"),
  timePs: z.number().int().nonnegative().describe("spike time from the start of the vector, ps"),
});

export const decisionRuleSchema = z.discriminatedUnion("rule", [
  z.strictObject({
    rule: z.literal("single").describe("apply once; pass when the response matches"),
  }),
  z.strictObject({
    rule: z.literal("fixed"),
    repetitions: z.number().int().positive(),
    minMatches: z.number().int().nonnegative().describe("pass when at least this many repetitions match the expected response"),
  }),
  z.strictObject({
    rule: z.literal("sprt").describe("Wald sequential probability ratio test on match / mismatch outcomes"),
    pGood: z.number().min(0).max(1).describe("probability a good chip's repetition matches"),
    pBad: z.number().min(0).max(1).describe("probability a faulty chip's repetition matches"),
    alpha: z.number().positive().max(0.5).describe("bound on failing a good chip"),
    beta: z.number().positive().max(0.5).describe("bound on passing a bad chip"),
    maxRepetitions: z.number().int().positive(),
  }),
]);

export const weightWriteSchema = z.strictObject({
  layer: z.number().int().nonnegative(),
  row: z.number().int().nonnegative(),
  bits: z.string().regex(/^[01]+$/).describe("one bit per column, as PROTOCOL.md WRITE"),
});

export const programVectorSchema = z.strictObject({
  id: z.string().min(1),
  iwPs: z.number().int().positive(),
  lwPs: z.number().int().positive(),
  windows: z.number().int().positive(),
  pattern: z.array(z.string().regex(/^[01]+$/)).min(1).optional().describe("bits per first-layer row, one string per window (last repeats)"),
  events: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])).optional().describe("[input, timePs] pairs"),
  writes: z.array(weightWriteSchema).optional().describe("weights to program (WRITE) before this vector"),
  repetitions: z.number().int().positive().default(1),
  decision: decisionRuleSchema.optional().describe("overrides the program's decision rule"),
  expected: z.array(expectedSpikeSchema).describe("every observable spike of the good chip"),
  toleranceBandPs: z.number().int().nonnegative().optional().describe("overrides timingTolerancePs for this vector"),
  targets: z.array(z.string()).optional().describe("fault ids this vector was generated for"),
  goodFailProbability: z.number().min(0).max(1).optional().describe("Monte-Carlo estimate that a good chip fails this vector"),
});

export const programHeaderSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  testbench: z.strictObject({
    id: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("canonical hash of the testbench (snn-atpg faults --json prints it)"),
  }),
  timingTolerancePs: z.number().int().nonnegative().default(500).describe("a spike within ± this of its expected time matches"),
  decision: decisionRuleSchema.default({ rule: "single" }),
  metadata: z.record(z.string(), z.unknown()).default({}).describe("tool version, seed, generator, coverage summary"),
});

export const programSchema = programHeaderSchema.extend({
  vectors: z.array(programVectorSchema),
});

export type Program = z.output<typeof programSchema>;
export type ProgramHeader = z.output<typeof programHeaderSchema>;
export type ProgramVector = z.output<typeof programVectorSchema>;
export type ExpectedSpike = z.output<typeof expectedSpikeSchema>;
export type DecisionRule = z.output<typeof decisionRuleSchema>;
