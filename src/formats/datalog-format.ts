/**
 * Datalog format: what a bench run measured, as JSON Lines — a header record, one
 * record per vector appended (and fsync'd) as the vector completes, and a footer
 * record when the run finishes. A datalog without a footer is an unfinished run that
 * `snn-atpg run --resume` continues.
 *
 *   {"type":"header","schemaVersion":1,"dutId":"chip-7","program":{…},"testbench":{…},"target":{…},…}
 *   {"type":"vector","index":0,"vectorId":"v1","verdict":"pass","repetitions":[{"spikes":[…],"match":true,…}],…}
 *   {"type":"footer","verdict":"pass","vectors":16,"passed":16,"failed":0,…}
 *
 * A `resume` record marks every place `--resume` continued the run (with `forced` and
 * the differences when `--force-resume` continued it on a device whose identity —
 * target, injected fault, dut id — differs from the header's); an `interruption`
 * record marks where a run stopped early (Ctrl-C, or a bench error such as a pulled
 * cable), so the datalog tells the whole story of a run that was stopped and resumed.
 * The header and resume records name the test station and operator when known
 * (`--station`, `--operator`, or SNN_ATPG_STATION / SNN_ATPG_OPERATOR).
 *
 * Volatile fields — timestamps (`startedAt`, `finishedAt`) and link diagnostics
 * (`retries`, `link`) — differ between runs of the same device; everything else is
 * a function of the program and the device's responses.
 */
import { z } from "zod";
import { spikeSchema } from "./spike-format.ts";
import { passCriterionSchema } from "./program-format.ts";

const isoTime = z.string().describe("ISO 8601 timestamp (volatile)");

export const mismatchSchema = z.strictObject({
  missing: z.number().int().nonnegative().describe("expected spikes with no observed spike on their output and window"),
  extra: z.number().int().nonnegative().describe("observed spikes with no expected spike on their output and window"),
  shifted: z.number().int().nonnegative().describe("spikes on the expected output and window but outside the tolerance band"),
});

export const linkDiagnosticsSchema = z.strictObject({
  retries: z.number().int().nonnegative().describe("resends and RESET + replays the transport needed (volatile)"),
  logs: z.array(z.string()).describe("`! LOG` lines or instrument messages seen meanwhile, the first and last few of them (volatile; docs/limits.md)"),
  logsOmitted: z.number().int().nonnegative().optional().describe("lines seen but not kept in logs (over the bound)"),
});

export const repetitionSchema = z.strictObject({
  repetition: z.number().int().nonnegative(),
  spikes: z.array(spikeSchema).describe("raw response: every observed output spike"),
  match: z.boolean().describe("the response matches the expected one within the tolerance band"),
  mismatch: mismatchSchema,
  link: linkDiagnosticsSchema,
  startedAt: isoTime,
  finishedAt: isoTime,
});

export const datalogHeaderSchema = z.strictObject({
  type: z.literal("header"),
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  dutId: z.string().describe("device under test id (--dut-id)"),
  station: z.string().min(1).optional().describe("test station id (--station or SNN_ATPG_STATION); STDF MIR NODE_NAM"),
  operator: z.string().min(1).optional().describe("operator id (--operator or SNN_ATPG_OPERATOR); STDF MIR OPER_NAM"),
  program: z.strictObject({
    file: z.string().describe("program path as given"),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("canonical hash of the validated program"),
    vectors: z.number().int().nonnegative(),
  }),
  testbench: z.strictObject({ id: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  target: z.strictObject({
    kind: z.string().describe("sim, serial, scpi"),
    identity: z.string().describe("HELLO board=, *IDN?, or sim:<bench>"),
    firmware: z.string().optional(),
    inputs: z.number().int().nonnegative(),
    outputs: z.number().int().nonnegative(),
    tickPs: z.number().int().positive(),
    port: z.string().optional(),
    injectedFault: z.string().optional().describe("fault injected into a simulated target"),
  }),
  startedAt: isoTime,
});

export const datalogVectorSchema = z.strictObject({
  type: z.literal("vector"),
  index: z.number().int().nonnegative().describe("position of the vector in the program, from 0"),
  vectorId: z.string(),
  dutId: z.string(),
  stimulusSha256: z.string().regex(/^[0-9a-f]{64}$/).describe("canonical hash of the vector's timing, windows, events and writes"),
  requestedTiming: z.strictObject({ iwPs: z.number().int().positive(), lwPs: z.number().int().positive() }),
  timing: z.strictObject({ iwPs: z.number().int().positive(), lwPs: z.number().int().positive() }).describe("timing the target reported it used"),
  windows: z.number().int().positive(),
  decision: z.enum(["single", "fixed", "sprt"]),
  toleranceBandPs: z.number().int().nonnegative(),
  criterion: passCriterionSchema.optional().describe("the vector's pass criterion when not exact-train (diagnosis and STDF judge the record by it)"),
  expected: z.array(spikeSchema),
  repetitions: z.array(repetitionSchema).min(1).describe("every repetition applied"),
  matches: z.number().int().nonnegative(),
  verdict: z.enum(["pass", "fail"]),
  mismatch: mismatchSchema.describe("summed over the repetitions that did not match"),
  retries: z.number().int().nonnegative().describe("sum over repetitions (volatile)"),
  startedAt: isoTime,
  finishedAt: isoTime,
});

/** The result of a write, read or pause step (array phase, weight programming). */
export const datalogStepSchema = z.strictObject({
  type: z.literal("step"),
  index: z.number().int().nonnegative().describe("position of the step in the program, from 0"),
  stepId: z.string(),
  dutId: z.string(),
  kind: z.enum(["write", "read", "pause"]),
  phase: z.enum(["array", "neuron", "functional"]).optional(),
  layer: z.number().int().nonnegative().optional(),
  row: z.number().int().nonnegative().optional(),
  bits: z.string().regex(/^[01]*$/).optional().describe("bits written (write) or read back (read)"),
  expected: z.string().regex(/^[01]*$/).optional().describe("bits a good chip reads (read)"),
  levels: z.array(z.number().int().nonnegative()).optional().describe("levels written (write) or read back (read) of a multi-level cell, one per column"),
  expectedLevels: z.array(z.number().int().nonnegative()).optional().describe("levels a good multi-level chip reads (read)"),
  failingColumns: z.array(z.number().int().nonnegative()).optional().describe("columns whose read bit differs from the expected one (read): the fail bitmap row"),
  dwellNs: z.number().positive().optional(),
  verdict: z.enum(["pass", "fail"]),
  retries: z.number().int().nonnegative().describe("(volatile)"),
  startedAt: isoTime,
  finishedAt: isoTime,
});

export const datalogFooterSchema = z.strictObject({
  type: z.literal("footer"),
  verdict: z.enum(["pass", "fail"]),
  vectors: z.number().int().nonnegative(),
  passed: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  failingVectors: z.array(z.string()).describe("ids of the failing vectors, in program order"),
  retries: z.number().int().nonnegative().describe("total over the run (volatile)"),
  finishedAt: isoTime,
});

/** Where `--resume` continued the run; with `forced`, on a device whose identity differs from the header's. */
export const datalogResumeSchema = z.strictObject({
  type: z.literal("resume"),
  forced: z.boolean().describe("true when --force-resume overrode a refused resume (then `differences` says what differs)"),
  differences: z.array(z.strictObject({ field: z.string(), header: z.string(), resumed: z.string() })).describe("what differs from the header: field, header value, value of the resumed run (empty: the same device)"),
  atIndex: z.number().int().nonnegative().describe("index of the first vector or step measured after the resume"),
  station: z.string().min(1).optional().describe("test station of the resumed run"),
  operator: z.string().min(1).optional().describe("operator of the resumed run"),
  resumedAt: isoTime,
});

/** Where a run stopped early: Ctrl-C (`interrupted`) or a bench error (timeout, pulled cable, instrument error). */
export const datalogInterruptionSchema = z.strictObject({
  type: z.literal("interruption"),
  cause: z.enum(["interrupted", "bench-error"]),
  message: z.string().describe("what stopped it, as the run printed it"),
  atIndex: z.number().int().nonnegative().describe("index of the first vector or step not measured"),
  at: isoTime,
});

export const datalogRecordSchema = z.discriminatedUnion("type", [datalogHeaderSchema, datalogVectorSchema, datalogStepSchema, datalogFooterSchema, datalogResumeSchema, datalogInterruptionSchema]);

export type DatalogHeader = z.output<typeof datalogHeaderSchema>;
export type DatalogVector = z.output<typeof datalogVectorSchema>;
export type DatalogFooter = z.output<typeof datalogFooterSchema>;
export type DatalogStep = z.output<typeof datalogStepSchema>;
export type DatalogResume = z.output<typeof datalogResumeSchema>;
export type DatalogInterruption = z.output<typeof datalogInterruptionSchema>;
export type DatalogRecord = z.output<typeof datalogRecordSchema>;
export type Mismatch = z.output<typeof mismatchSchema>;
export type RepetitionRecord = z.output<typeof repetitionSchema>;
