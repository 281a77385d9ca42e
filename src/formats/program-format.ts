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
 * `vectors`) on line 1, then one vector per line (program-stream-writer.ts /
 * program-stream-reader.ts stream them; 10⁶ vectors never sit in memory at once).
 * `metadata` has typed optional keys (tool version, seed, coverage summary, …) and
 * keeps unknown ones.
 */
import { z } from "zod";
import { limitMax } from "./limits.ts";
import { spikeSchema } from "./spike-format.ts";


export const decisionRuleSchema = z.discriminatedUnion("rule", [
  z.strictObject({
    rule: z.literal("single").describe("apply once; pass when the response matches"),
  }),
  z.strictObject({
    rule: z.literal("fixed"),
    repetitions: z.number().int().positive().max(...limitMax("repetitions")),
    minMatches: z.number().int().nonnegative().describe("pass when at least this many repetitions match the expected response"),
  }).superRefine((r, ctx) => {
    // more than the repetitions given would fail every chip
    if (r.minMatches > r.repetitions) ctx.addIssue({ code: "custom", path: ["minMatches"], input: r.minMatches, message: `at most repetitions (${r.repetitions}); more would fail every chip` });
  }),
  z.strictObject({
    rule: z.literal("sprt").describe("Wald sequential probability ratio test on match / mismatch outcomes"),
    pGood: z.number().min(0).max(1).describe("probability a good chip's repetition matches"),
    pBad: z.number().min(0).max(1).describe("probability a faulty chip's repetition matches"),
    alpha: z.number().positive().max(0.5).describe("bound on failing a good chip"),
    beta: z.number().positive().max(0.5).describe("bound on passing a bad chip"),
    maxRepetitions: z.number().int().positive().max(...limitMax("repetitions")),
  }).superRefine((r, ctx) => {
    // a match must be likelier on a good chip than on a faulty one, or the test tells them apart by nothing
    if (!(r.pGood > r.pBad)) ctx.addIssue({ code: "custom", path: ["pGood"], input: r.pGood, message: `greater than pBad (${r.pBad}); a match must be likelier on a good chip` });
  }),
]);

export const weightWriteSchema = z.strictObject({
  layer: z.number().int().nonnegative(),
  row: z.number().int().nonnegative(),
  bits: z.string().regex(/^[01]+$/).describe("one bit per column, as PROTOCOL.md WRITE"),
});

/** The phase of a production test a step belongs to (docs/atpg.md "Programs with phases"). */
export const testPhaseSchema = z.enum(["array", "neuron", "functional"]).describe("array: the crossbar as a memory (WRITE/READ); neuron: test weights; functional: the mission weights");

/**
 * How a spike vector's observed response is judged (one entry per criterion of the
 * registry in src/faultsim/): `exact-train` — every expected spike within the timing
 * band and nothing else (the default); `count-band` — each listed output's spike count
 * within [min, max] (variation-tolerant); `class-decision` — the winning output (most
 * spikes, or with `rule: "first-spike"` the earliest spike) is `expectedClass` and leads
 * the runner-up by at least `marginSpikes` (spikes) or `marginPs` (time);
 * `first-spike-window` — each listed output spikes first in a window within
 * [firstWindow, lastWindow] (Hou's `S a b`); `no-spike` — no listed output spikes in
 * windows 0 … windows − 1 (Hou's `SZ n`).
 */
export const passCriterionSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("exact-train").describe("exact spike train within the timing band (toleranceBandPs)") }),
  z.strictObject({
    kind: z.literal("count-band"),
    bands: z
      .array(
        z.strictObject({
          output: z.number().int().nonnegative(),
          min: z.number().int().nonnegative().describe("fewest spikes a good chip gives"),
          max: z.number().int().nonnegative().describe("most spikes a good chip gives"),
        }),
      )
      .min(1),
  }),
  z
    .strictObject({
      kind: z.literal("class-decision"),
      expectedClass: z.number().int().nonnegative().describe("the output that must win"),
      rule: z.enum(["most-spikes", "first-spike"]).optional().describe("most-spikes (default): the output with the most spikes wins; first-spike: the output that spikes first (testbench `readout`)"),
      marginSpikes: z.number().int().nonnegative().optional().describe("most-spikes: its lead over the runner-up must be at least this many spikes"),
      marginPs: z.number().int().nonnegative().optional().describe("first-spike: the runner-up's first spike must come at least this much later, ps"),
    })
    .superRefine((c, ctx) => {
      const first = c.rule === "first-spike";
      if (first && c.marginPs === undefined) ctx.addIssue({ code: "custom", path: ["marginPs"], message: "a first-spike class decision needs marginPs" });
      if (!first && c.marginSpikes === undefined) ctx.addIssue({ code: "custom", path: ["marginSpikes"], message: "a most-spikes class decision needs marginSpikes" });
    }),
  z
    .strictObject({
      kind: z.literal("first-spike-window"),
      firstWindow: z.number().int().nonnegative().describe("earliest window (from 0) the first spike may fall in; Hou's S a b: a − 1"),
      lastWindow: z.number().int().nonnegative().describe("latest window (from 0) the first spike may fall in; Hou's S a b: b − 1 (no spike at all fails)"),
      outputs: z.array(z.number().int().nonnegative()).min(1).optional().describe("outputs judged (default: every observable output)"),
    })
    .refine((c) => c.firstWindow <= c.lastWindow, { path: ["lastWindow"], message: "lastWindow ≥ firstWindow" }),
  z.strictObject({
    kind: z.literal("no-spike"),
    windows: z.number().int().positive().describe("no judged output may spike in windows 0 … windows − 1; Hou's SZ n: n"),
    outputs: z.array(z.number().int().nonnegative()).min(1).optional().describe("outputs judged (default: every observable output)"),
  }),
]);

const stepId = z.string().min(1).describe("unique id of the step (datalog records and diagnosis name it)");
const bitsString = z.string().regex(/^[01]+$/);

const levelArray = z.array(z.number().int().nonnegative().max(255)).min(1);

/**
 * WRITE one crossbar row (PROTOCOL.md WRITE): `bits` (a binary cell), or `levels` — one
 * level per column, 0 … levels − 1 of a multi-level (domain-wall) cell, testbench
 * `device.domainWall`. Exactly one of the two. PROTOCOL.md v1 carries bits only: the
 * serial and SCPI targets refuse a level WRITE before opening the port.
 */
export const writeStepSchema = z
  .strictObject({
    kind: z.literal("write"),
    id: stepId,
    phase: testPhaseSchema.optional(),
    layer: z.number().int().nonnegative(),
    row: z.number().int().nonnegative(),
    bits: bitsString.optional().describe("one bit per column"),
    levels: levelArray.optional().describe("one level per column (multi-level cell: wall at x/L = level/(levels − 1)); instead of bits"),
  })
  .refine((s) => (s.bits === undefined) !== (s.levels === undefined), { message: "exactly one of bits and levels" });

/** READ one crossbar row and compare with the expected bits, or levels of a multi-level cell (PROTOCOL.md READ: bits only). */
export const readStepSchema = z
  .strictObject({
    kind: z.literal("read"),
    id: stepId,
    phase: testPhaseSchema.optional(),
    layer: z.number().int().nonnegative(),
    row: z.number().int().nonnegative(),
    expected: bitsString.optional().describe("bits a good chip reads, one per column"),
    expectedLevels: levelArray.optional().describe("levels a good multi-level chip reads, one per column; instead of expected"),
  })
  .refine((s) => (s.expected === undefined) !== (s.expectedLevels === undefined), { message: "exactly one of expected and expectedLevels" });

/** Wait (e.g. between writing 0 and reading it, for a retention check). */
export const pauseStepSchema = z.strictObject({
  kind: z.literal("pause"),
  id: stepId,
  phase: testPhaseSchema.optional(),
  dwellNs: z.number().positive().max(1e15).describe("dwell time, ns"),
});

export const programVectorSchema = z.strictObject({
  kind: z.literal("spike").optional().describe("a spike vector (the default when absent)"),
  id: z.string().min(1),
  phase: testPhaseSchema.optional(),
  criterion: passCriterionSchema.optional().describe("how the response is judged (default exact-train)"),
  iwPs: z.number().int().positive(),
  lwPs: z.number().int().positive(),
  windows: z.number().int().positive().max(...limitMax("windows")),
  pattern: z.array(z.string().regex(/^[01]+$/)).min(1).optional().describe("bits per first-layer row, one string per window (last repeats)"),
  events: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])).optional().describe("[input, timePs] pairs"),
  writes: z.array(weightWriteSchema).optional().describe("weights to program (WRITE) before this vector"),
  repetitions: z.number().int().positive().max(...limitMax("repetitions")).default(1),
  decision: decisionRuleSchema.optional().describe("overrides the program's decision rule"),
  expected: z.array(spikeSchema).describe("every observable spike of the good chip"),
  toleranceBandPs: z.number().int().nonnegative().optional().describe("overrides timingTolerancePs for this vector"),
  targets: z.array(z.string()).optional().describe("fault ids this vector was generated for"),
  goodFailProbability: z.number().min(0).max(1).optional().describe("Monte-Carlo estimate that a good chip fails this vector"),
});

/** Counts and coverage of one group of faults (a fault model, or all of them). */
export const coverageCountsSchema = z.strictObject({
  all: z.number().int().nonnegative().describe("faults in the group (uncollapsed: a collapsed representative counts for every fault it stands for)"),
  DT: z.number().int().nonnegative(),
  PD: z.number().int().nonnegative(),
  ND: z.number().int().nonnegative(),
  AU: z.number().int().nonnegative(),
  UD: z.number().int().nonnegative(),
  faultCoveragePercent: z.number().min(0).max(100).describe("(DT + c·PD) / all"),
  testCoveragePercent: z.number().min(0).max(100).describe("(DT + c·PD) / (all − UD)"),
});

/** Coverage summary a generator records in the program. */
export const coverageSummarySchema = z.strictObject({
  pdCredit: z.number().min(0).max(1).describe("credit c given to a possibly-detected fault"),
  formulas: z.array(z.string()).optional().describe("the formulas used, as text"),
  byModel: z.record(z.string(), coverageCountsSchema).describe("keyed by fault-model id"),
  total: coverageCountsSchema,
  collapsed: coverageCountsSchema.optional().describe("the same over collapsed representatives only"),
});

/**
 * Known metadata keys (all optional; other keys are kept, so older and foreign
 * programs still load).
 */
export const programMetadataSchema = z.looseObject({
  toolVersion: z.string().optional().describe("version of the tool that wrote the program"),
  generator: z.string().optional().describe("what produced it, e.g. \"snn-atpg generate --strategy targeted\""),
  strategy: z.string().optional().describe("ATPG strategy id"),
  seed: z.number().int().optional().describe("seed of every random choice the generator made"),
  models: z.array(z.string()).optional().describe("fault-model ids the program was generated for"),
  testbenchSha256: z.string().regex(/^[0-9a-f]{64}$/).optional().describe("same as testbench.sha256, repeated for tools that only read metadata"),
  coverage: coverageSummarySchema.optional(),
  totalWindows: z.number().int().nonnegative().optional().describe("sum of windows × repetitions over all vectors"),
  totalTestTimeNs: z.number().nonnegative().optional().describe("sum of windows × (IW + LW) × repetitions, ns"),
  estimatedYieldLoss: z.number().min(0).max(1).optional().describe("Monte-Carlo estimate of the fraction of good chips the program fails"),
  yieldLossBound: z.number().min(0).max(1).optional().describe("fraction of good chips the program may fail if every vector meets its guard-band bound"),
  generatorReasons: z.record(z.string(), z.string()).optional().describe("fault id → why the generator left it undetected (coverage prints it beside its own reason)"),
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
  metadata: programMetadataSchema.default({}).describe("tool version, seed, generator, coverage summary"),
  missionWeightsSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional()
    .describe("hash of the chip's mission weights (missionWeightsHash); a program that writes weights must restore and READ-verify them"),
});

/** One step of a program: a spike vector (no `kind`, or kind "spike"), a write, a read or a pause. */
export const programStepSchema = z.union([programVectorSchema, writeStepSchema, readStepSchema, pauseStepSchema]);

export const programSchema = programHeaderSchema.extend({
  vectors: z.array(programStepSchema).describe("the steps in the order a tester applies them (historically named vectors)"),
});

export type Program = z.output<typeof programSchema>;
export type ProgramHeader = z.output<typeof programHeaderSchema>;
/** A spike vector. */
export type ProgramVector = z.output<typeof programVectorSchema>;
export type WriteStep = z.output<typeof writeStepSchema>;
export type ReadStep = z.output<typeof readStepSchema>;
export type PauseStep = z.output<typeof pauseStepSchema>;
/** Any step of a program. */
export type ProgramStep = z.output<typeof programStepSchema>;
export type PassCriterion = z.output<typeof passCriterionSchema>;
export type TestPhase = z.output<typeof testPhaseSchema>;

/** A program of spike vectors only (what the spike ATPG strategies write). */
export type SpikeProgram = Omit<Program, "vectors"> & { vectors: ProgramVector[] };

/** Whether a step is a spike vector. */
export function isSpikeVector(s: ProgramStep): s is ProgramVector {
  return s.kind === undefined || s.kind === "spike";
}

/** The schema a step's data must follow, chosen by its `kind` (absent: a spike vector). */
export function stepSchemaFor(data: unknown): z.ZodType<ProgramStep> {
  const kind = data && typeof data === "object" ? (data as { kind?: unknown }).kind : undefined;
  return kind === "write" ? writeStepSchema : kind === "read" ? readStepSchema : kind === "pause" ? pauseStepSchema : (programVectorSchema as z.ZodType<ProgramStep>);
}
export type DecisionRule = z.output<typeof decisionRuleSchema>;
export type ProgramMetadata = z.output<typeof programMetadataSchema>;
export type CoverageSummary = z.output<typeof coverageSummarySchema>;
export type CoverageCounts = z.output<typeof coverageCountsSchema>;
