/**
 * `snn-atpg run <program>`: apply a test program to a device — the simulator, a
 * board on a serial port (PROTOCOL.md), or SCPI instruments — with a crash-safe
 * JSON Lines datalog, optional STDF, and the verdict as exit code.
 *
 *   snn-atpg run fixtures/bench/black-pixel-4x1.program.json
 *   snn-atpg run p.json --target serial --port /dev/ttyUSB0 --dut-id chip-7 --datalog chip-7.jsonl
 *   snn-atpg run p.json --target serial --port /dev/ttyUSB0 --dut-id chip-7 --datalog chip-7.jsonl --resume
 *   snn-atpg run programs/hou-itc22-90n.json --inject sif-r-w1@l0.r2.c0   # a ternary-array program (cli/ternary-chip.ts)
 */
import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { Command } from "commander";
import { executeProgram, type BenchRunResult } from "../../bench/bench-executor.ts";
import { checkDatalogProgram } from "../../bench/datalog-reader.ts";
import type { ResumeState } from "../../bench/resume-state.ts";
import { lockDatalog, type DatalogLock } from "../../bench/datalog-lock.ts";
import { DatalogWriteError, DatalogWriter } from "../../bench/datalog-writer.ts";
import { InputError } from "../../formats/errors.ts";
import type { TargetInfo } from "../../targets/target.ts";
import { resolveInjection } from "../../faults/fault-injection.ts";
import { storageFaultOf } from "../../faults/site-fault.ts";
import type { ResultSink } from "../../bench/result-sink.ts";
import { stdfSink, writeStdfOfDatalog } from "../../bench/stdf-sink.ts";
import type { DatalogHeader, DatalogResume, DatalogVector } from "../../formats/datalog-format.ts";
import { FormatError } from "../../formats/format-error.ts";
import { checkProgramForBench, loadProgram } from "../../formats/program-loader.ts";
import { programLayoutOf } from "../../formats/program-stream-writer.ts";
import { loadProgramStreamed, readProgramStream } from "../../formats/program-stream-reader.ts";
import { inMemoryProgram, scanProgram, type StreamedProgram } from "../../formats/streamed-program.ts";
import type { LoadedTestbench } from "../../formats/testbench-loader.ts";
import { stdfText } from "../../report/stdf-text.ts";
import { targets, type TargetId } from "../../targets/target-registry.ts";
import { loadBenchArg, loadProgramBench } from "../bench-file.ts";
import { OptionError, parseIntOption, parsePositiveIntOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { exitCodeOf, exitCodes } from "../exit-codes.ts";
import { checkOutputPath } from "../output-file.ts";
import { diagnoseVectors } from "../../bench/fault-diagnosis.ts";
import { judgeRepetition } from "../../bench/response-comparison.ts";
import { diagnoseArray } from "../../bench/array-diagnosis.ts";
import { diagnosisLines } from "../diagnosis-lines.ts";
import { shellCommand } from "../shell-quote.ts";
import { isTernaryProgramFile, ternaryRunCli } from "../ternary-chip.ts";

export interface RunOptions {
  target: string;
  testbench?: string;
  port?: string;
  baud: number;
  profile?: string;
  inject?: string;
  chipSeed?: number;
  dutId?: string;
  datalog?: string;
  overwrite?: boolean;
  stdf?: string;
  lotId?: string;
  station?: string;
  operator?: string;
  resume?: boolean;
  forceResume?: boolean;
  json?: boolean;
  timeoutMs: number;
  attempts: number;
  /** commander's --no-diagnose */
  diagnose: boolean;
  cacheDir?: string;
}

/** Benches above this many crossbar cells are not diagnosed automatically (the dictionary takes long). */
const autoDiagnoseMaxCells = 20_000;
/** Programs above this many steps are not diagnosed automatically, and a streamed run keeps no records. */
const autoDiagnoseMaxSteps = 10_000;

/**
 * Open the program: a `.jsonl` program is validated in a first pass and then streamed
 * (never held whole: 10⁶ vectors run in bounded memory); a `.json` program, or any program
 * for a target that checks it as a whole (scpi), is loaded.
 */
async function openProgram(programFile: string, o: RunOptions, ctx: CliContext): Promise<StreamedProgram & { bench: LoadedTestbench }> {
  if (programLayoutOf(programFile) === "jsonl" && o.target !== "scpi") {
    const stream = await readProgramStream(programFile);
    const bench = loadProgramBench(stream.header, programFile, o.testbench);
    return { ...(await scanProgram(stream, bench, ctx.signal)), bench };
  }
  const program = programLayoutOf(programFile) === "jsonl" ? await loadProgramStreamed(programFile) : loadProgram(programFile);
  const bench = loadProgramBench(program, programFile, o.testbench);
  checkProgramForBench(program, programFile, bench);
  return { ...inMemoryProgram(program, programFile), bench };
}

/** A resume on another device under test than the datalog header's (without --force-resume). */
export class ResumeMismatchError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "ResumeMismatchError";
  }
}

type Difference = DatalogResume["differences"][number];
const none = "(none)";

/**
 * How the device of this run differs from the one in the datalog header. `info` is the
 * opened target (null before it is opened: kind, injected fault and dut id only).
 */
function deviceDifferences(h: DatalogHeader, run: { kind: string; injectedFault?: string; dutId?: string }, info: TargetInfo | null): Difference[] {
  const pairs: [string, string | undefined, string | undefined][] = [
    ["target.kind", h.target.kind, info?.kind ?? run.kind],
    ["target.injectedFault", h.target.injectedFault, run.injectedFault],
    ...(run.dutId !== undefined ? [["dutId", h.dutId, run.dutId] as [string, string, string]] : []),
    ...(info ? ([["target.identity", h.target.identity, info.identity], ["target.firmware", h.target.firmware, info.firmware]] as [string, string | undefined, string | undefined][]) : []),
  ];
  return pairs.filter(([, a, b]) => (a ?? none) !== (b ?? none)).map(([field, a, b]) => ({ field, header: a ?? none, resumed: b ?? none }));
}

function refuseResume(file: string, diffs: Difference[]): ResumeMismatchError {
  const what = diffs.map((d) => `${d.field} is "${d.header}" in the datalog but "${d.resumed}" for this run`).join("; ");
  return new ResumeMismatchError(
    `${file}: --resume on another device under test: ${what} (resume with the same --target, --inject and --dut-id on the same board, start a new --datalog, or pass --force-resume to mix them anyway — it is recorded in the datalog)`,
  );
}

async function checkResumable(log: ResumeState, program: StreamedProgram, programFile: string): Promise<void> {
  await checkDatalogProgram(log, program, programFile, "resume with the program the datalog was started with");
}

/**
 * Refuse a program in which nothing can fail a chip (no spike vector, no read step):
 * running it would print PASS for any device.
 */
function checkCanFail(program: StreamedProgram, programFile: string): void {
  if (program.kinds.has("spike") || program.kinds.has("read")) return;
  throw new FormatError({
    file: programFile,
    where: "vectors",
    expected: "at least one spike vector or read step",
    found: program.count === 0 ? "no steps at all" : `only ${[...program.kinds].join("/")} steps (${program.count})`,
    hint: "a program with no vectors never passes a chip: nothing in it can fail one, so its PASS would mean nothing; regenerate it with `snn-atpg generate`",
  });
}

function vectorLine(v: DatalogVector): string {
  const reps = v.repetitions.length > 1 ? `  ${v.matches}/${v.repetitions.length} repetitions matched (${v.decision})` : "";
  const failed = v.repetitions.find((r) => !r.match);
  // A count band or class decision says what it judged (e.g. "count-band c2=0"); exact trains give the spike counts.
  const judged = v.criterion && failed ? `  ${v.criterion.kind} ${judgeRepetition(v, failed).signature.join(" ")}` : "";
  const what = v.verdict === "fail" ? `${judged}  missing ${v.mismatch.missing}, extra ${v.mismatch.extra}, shifted ${v.mismatch.shifted}` : "";
  return `${v.verdict === "pass" ? "PASS" : "FAIL"}  ${v.vectorId}${what}${reps}`;
}

function summary(run: BenchRunResult): string {
  const f = run.footer;
  const t = run.header.target;
  const where = t.port ? ` on ${t.port}` : "";
  return (
    `${run.header.testbench.id}: ${t.kind}${where} (${t.identity}${t.firmware ? ` fw ${t.firmware}` : ""}${t.injectedFault ? `, injected ${t.injectedFault}` : ""}), dut ${run.header.dutId}: ` +
    `${f.vectors} vectors, ${f.passed} passed, ${f.failed} failed, ${f.retries} link retries — ${f.verdict.toUpperCase()}`
  );
}

/** The best diagnosis of a failing run, as printable lines (never throws: diagnosis is a bonus). */
async function topDiagnosis(streamed: StreamedProgram, programFile: string, bench: ReturnType<typeof loadBenchArg>, run: BenchRunResult, o: RunOptions): Promise<{ lines: string[]; json: unknown }> {
  const cells = bench.bench.layers.reduce((s, l) => s + l.rows * l.cols, 0);
  const how = o.datalog ? shellCommand(["snn-atpg", "diagnose", programFile, o.datalog]) : `${shellCommand(["snn-atpg", "diagnose", programFile])} <datalog>`;
  if (cells > autoDiagnoseMaxCells) return { lines: [`diagnosis: skipped for a bench of ${cells} cells; run \`${how}\``], json: null };
  if (streamed.count > autoDiagnoseMaxSteps) return { lines: [`diagnosis: skipped for a program of ${streamed.count} steps; run \`${how}\``], json: null };
  try {
    const program = streamed.loaded ?? (await loadProgramStreamed(programFile));
    if (program.vectors.some((v) => v.kind === "read")) {
      const d = diagnoseArray(program, programFile, bench, run.steps, 1);
      const top = d.candidates[0];
      return {
        lines: [...d.bitmap.map((b) => `fail bitmap, layer ${b.layer}: ${b.shape}`), ...(top ? [`most likely fault: ${top.faultId} (score ${top.score.toFixed(2)})`] : []), ...(o.datalog ? [`more candidates: ${how}`] : [])],
        json: top ?? null,
      };
    }
    const { diagnosis, notCached } = diagnoseVectors(program, programFile, bench, run.vectors, { limit: 1, cacheDir: o.cacheDir });
    const top = diagnosis.groups[0];
    const uncached = notCached ? [`(the fault dictionary was not cached: ${notCached})`] : [];
    return { lines: ["most likely fault (from the program's fault dictionary):", ...diagnosisLines(diagnosis, 1), ...uncached, ...(o.datalog ? [`more candidates: ${how}`] : [])], json: top ?? null };
  } catch (err) {
    return { lines: [`diagnosis unavailable: ${(err as Error).message}`], json: null };
  }
}

export async function runRun(programFile: string, o: RunOptions, ctx: CliContext): Promise<BenchRunResult> {
  if (!(o.target in targets)) throw new OptionError(`--target must be one of ${Object.keys(targets).join(", ")}; got "${o.target}"`);
  if (o.resume && !o.datalog) throw new OptionError("--resume needs --datalog <file>: the datalog to continue");
  if (o.forceResume && !o.resume) throw new OptionError("--force-resume goes with --resume: it continues a datalog on a device that differs from its header");
  if (o.timeoutMs < 1) throw new OptionError("--timeout-ms must be at least 1");
  if (o.attempts < 1) throw new OptionError("--attempts must be at least 1");
  if (!o.resume) checkOutputPath(o.datalog, "--datalog");
  checkOutputPath(o.stdf, "--stdf");
  // The STDF is rewritten whole from the datalog, so --resume may replace it too.
  if (o.stdf && existsSync(o.stdf) && !o.overwrite && !o.resume) throw new OptionError(`--stdf ${o.stdf}: file already exists; pass --overwrite to replace it`);
  if (o.stdf) warnStdfText(o, programFile, ctx);
  const program = await openProgram(programFile, o, ctx);
  const bench = program.bench;
  checkCanFail(program, programFile);
  const fault = o.inject ? resolveInjection(bench, o.inject) : null;

  const lock = o.datalog ? lockDatalog(o.datalog) : null;
  try {
    return await runLocked(program, programFile, bench, fault, o, ctx);
  } finally {
    lock?.release();
  }
}

/** Say how STDF will show a dut id, lot id or program name it cannot hold as given (the datalog keeps them as given). */
function warnStdfText(o: RunOptions, programFile: string, ctx: CliContext): void {
  const fields: [string, string | undefined][] = [["--dut-id", o.dutId], ["--lot-id", o.lotId], ["program name", basename(programFile)]];
  for (const [what, value] of fields) {
    if (value === undefined) continue;
    const { text, changes } = stdfText(value);
    if (changes.length) ctx.err(`warning: --stdf: ${what} ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)} is written as ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)} in ${o.stdf} (${changes.join("; ")}); the datalog keeps it as given`);
  }
}

/** The run itself, while this process holds the datalog's lock. */
async function runLocked(
  program: StreamedProgram,
  programFile: string,
  bench: ReturnType<typeof loadProgramBench>,
  fault: ReturnType<typeof resolveInjection> | null,
  o: RunOptions,
  ctx: CliContext,
): Promise<BenchRunResult> {
  const injectedFault = fault?.id;
  const station = o.station ?? (process.env.SNN_ATPG_STATION || undefined);
  const operator = o.operator ?? (process.env.SNN_ATPG_OPERATOR || undefined);
  let writer: DatalogWriter | null = null;
  let previous: ResumeState | null = null;
  // Records are kept for the diagnosis; a long streamed run keeps tallies only (resumed ones too). The STDF is streamed.
  const keepRecords = program.loaded !== undefined || program.count <= autoDiagnoseMaxSteps;
  if (o.resume) {
    const r = DatalogWriter.resume(o.datalog!, { keepRecords });
    writer = r.writer;
    previous = r.existing;
    if (previous) {
      await checkResumable(previous, program, programFile);
      const diffs = deviceDifferences(previous.header, { kind: o.target, injectedFault, dutId: o.dutId }, null);
      if (diffs.length && !o.forceResume) throw refuseResume(o.datalog!, diffs);
    }
  } else if (o.datalog) writer = DatalogWriter.create(o.datalog, { overwrite: o.overwrite });
  const who = { ...(station ? { station } : {}), ...(operator ? { operator } : {}) };
  /** Once the target is open: refuse (or record, with --force-resume) a different device; every resume is a record. */
  const onOpen = (info: TargetInfo) => {
    if (!previous) return;
    const diffs = deviceDifferences(previous.header, { kind: o.target, injectedFault, dutId: o.dutId }, info);
    if (diffs.length && !o.forceResume) throw refuseResume(o.datalog!, diffs);
    writer?.append({ type: "resume", forced: diffs.length > 0, differences: diffs, atIndex: previous.records, ...who, resumedAt: new Date().toISOString() });
    if (diffs.length) ctx.err(`warning: --force-resume: ${diffs.map((d) => `${d.field} "${d.header}" → "${d.resumed}"`).join(", ")} (recorded in ${o.datalog})`);
  };

  const many = program.count > 64;
  let done = previous?.vectorsDone ?? 0;
  let failed = previous?.vectorsFailed ?? 0;
  const printer: ResultSink = {
    vector: (v) => {
      done++;
      if (!o.json && (!many || v.verdict === "fail")) ctx.out(vectorLine(v));
      if (v.verdict === "fail") failed++;
      const step = Math.ceil(program.count / 10);
      if (!o.json && many && (done % step === 0 || done === program.count)) ctx.err(`progress: ${done}/${program.count} vectors, ${failed} failed`);
    },
  };
  const sinks: ResultSink[] = [...(writer ? [writer] : []), printer, ...(o.stdf ? [stdfSink(o.stdf, { lotId: o.lotId }, previous ? { header: previous.header, datalog: o.datalog!, records: previous.records } : undefined)] : [])];

  try {
    let run: BenchRunResult;
    if (previous?.footer) {
      // Already complete: nothing to measure; report what the datalog holds.
      run = { header: previous.header, vectors: previous.vectors, steps: previous.steps, footer: previous.footer };
      if (!o.json) ctx.out(`${o.datalog} is already complete (footer present); nothing left to run`);
      if (o.stdf) writeStdfOfDatalog(o.stdf, previous.header, previous.footer, o.datalog!, previous.records, { lotId: o.lotId });
    } else {
      if (previous && !o.json) ctx.out(`resuming ${o.datalog}: ${previous.records} of ${program.count} vectors already done${previous.partialTail ? " (a cut-off last record was dropped)" : ""}`);
      const target = targets[o.target as TargetId]({
        bench: bench.bench,
        port: o.port,
        baud: o.baud,
        profile: o.profile,
        perturbations: fault?.perturbations,
        storage: fault ? storageFaultOf(fault) : undefined,
        chipSeed: o.chipSeed,
        replyTimeoutMs: o.timeoutMs,
        maxAttempts: o.attempts,
        signal: ctx.signal,
      });
      run = await executeProgram({
        program,
        programFile,
        bench,
        target,
        targetLabel: o.port ?? o.target,
        port: o.port,
        injectedFault: fault?.id,
        dutId: previous?.header.dutId ?? o.dutId ?? "dut-1",
        ...who,
        sinks,
        previous: previous ?? undefined,
        onOpen,
        signal: ctx.signal,
        keepRecords,
      });
    }
    const diagnosis = run.footer.verdict === "fail" && o.diagnose ? await topDiagnosis(program, programFile, bench, run, o) : null;
    if (o.json) {
      ctx.out(JSON.stringify({ verdict: run.footer.verdict, header: run.header, footer: run.footer, datalog: o.datalog ?? null, diagnosis: diagnosis?.json ?? null }));
    } else {
      ctx.out(summary(run));
      if (o.datalog) ctx.out(`datalog: ${o.datalog}`);
      if (o.stdf) ctx.out(`stdf: ${o.stdf}`);
      if (diagnosis) for (const line of diagnosis.lines) ctx.out(line);
    }
    ctx.setExit(run.footer.verdict === "pass" ? exitCodes.ok : exitCodes.deviceFailed);
    return run;
  } catch (err) {
    const code = exitCodeOf(err);
    if ((code === exitCodes.benchError || code === exitCodes.interrupted) && !(err instanceof DatalogWriteError)) {
      // the datalog says where and why the run stopped (a later --resume adds a resume record after it)
      if (writer?.started) {
        const cause = code === exitCodes.interrupted ? "interrupted" : "bench-error";
        try {
          writer.append({ type: "interruption", cause, message: (err as Error).message, atIndex: writer.records, at: new Date().toISOString() });
        } catch {
          // the disk refused even this record: the error being reported matters more
        }
      }
      // A run that stopped early says where the finished vectors are; the error keeps its class, so its exit code.
      const kept = !o.datalog
        ? ""
        : done > 0
          ? `; ${o.datalog} keeps the ${done} finished vector(s) — ${code === exitCodes.interrupted ? "rerun" : "fix the cause and rerun"} with --resume to continue`
          : "; no vector was measured";
      const stdf = o.stdf && existsSync(o.stdf) ? `; ${o.stdf} holds the finished vector(s) as a partial STDF (PRR: abnormal end)` : "";
      (err as Error).message += kept + stdf;
    }
    throw err;
  } finally {
    writer?.close();
  }
}

export const runCommand: CommandDefinition = {
  name: "run",
  register(program: Command, ctx: CliContext) {
    program
      .command("run")
      .description(
        "Apply a test program to a device under test and decide pass/fail. " +
          "Targets: sim (the in-process simulator, optionally with --inject), serial (a PROTOCOL.md v1 test board on --port), " +
          "scpi (lab instruments described by --profile).\n\n" +
          "Every finished vector is appended to the --datalog (JSON Lines) and flushed to disk before the next one starts; " +
          "--resume continues an unfinished datalog. When the device fails, the most likely fault is printed (see `snn-atpg diagnose`).",
      )
      .argument("<program>", "test program (.json, or .jsonl: header + one vector per line)")
      .option("--target <id>", `device to run on: ${Object.keys(targets).join(", ")}`, "sim")
      .option("--testbench <file|id>", "testbench the program was made for (default: the shipped bench named in the program)")
      .option("--port <path>", "serial device of the board or instrument (see `snn-atpg ports`)")
      .option("--baud <n>", "baud rate", parsePositiveIntOption("--baud", "115200"), 115200)
      .option("--profile <file>", "instrument profile (scpi target), e.g. instruments/generic-scpi-bench.json")
      .option("--inject <fault>", "sim target: inject a fault, <model>@<site>[:<value>] (e.g. dead-synapse@l0.r2.c0)")
      .option("--chip-seed <n>", "sim target, stochastic bench: seed of the chip's thermal noise, so runs with different seeds are independent (default: repetition k draws stream k in every run)", parseSeedOption("--chip-seed"))
      .option("--dut-id <id>", "device under test id recorded in every datalog record (default dut-1)")
      .option("--datalog <file>", "JSON Lines datalog: header, one record per vector, footer")
      .option("--overwrite", "replace an existing --datalog / --stdf instead of refusing")
      .option("--resume", "continue the unfinished --datalog after its last complete record (same target, fault and dut only)")
      .option("--force-resume", "with --resume: continue even on a device that differs from the datalog header (recorded in the datalog)")
      .option("--stdf <file>", "also write the results as a binary STDF V4 file (partial if the run stops early)")
      .option("--lot-id <id>", "STDF LOT_ID (default: empty)")
      .option("--station <id>", "test station id, recorded in the datalog header and resume records and as STDF NODE_NAM (default: $SNN_ATPG_STATION, else not recorded; STDF then takes the host name)")
      .option("--operator <id>", "operator id, recorded in the datalog header and resume records and as STDF OPER_NAM (default: $SNN_ATPG_OPERATOR)")
      .option("--timeout-ms <ms>", "reply timeout per command, ms (serial; PROTOCOL.md: 1000)", parseIntOption("--timeout-ms"), 1000)
      .option("--attempts <n>", "attempts per command before giving up (serial)", parseIntOption("--attempts"), 6)
      .option("--no-diagnose", "do not print the most likely fault when the device fails")
      .option("--cache-dir <dir>", "where fault dictionaries are cached (default ~/.cache/snn-atpg/dictionaries)")
      .option("--json", "print one JSON object with the verdict, header, footer and top diagnosis")
      .addHelpText(
        "after",
        "\nExit codes: 0 every vector passed, 1 the device failed, 2 bad input, 3 bench error (port,\n" +
          "board, timeout; the datalog keeps the finished vectors), 130 interrupted (after flushing).\n" +
          "\nExamples:\n" +
          "  snn-atpg run fixtures/bench/black-pixel-4x1.program.json --inject dead-synapse@l0.r1.c0\n" +
          "  snn-atpg emulate black-pixel-4x1 --port /tmp/snn/a &   # or a real board on /dev/ttyUSB0\n" +
          "  snn-atpg run fixtures/bench/black-pixel-4x1.program.json --target serial --port /tmp/snn/b --datalog run.jsonl",
      )
      .action(async (p: string, o: RunOptions) => {
        if (isTernaryProgramFile(p)) return ternaryRunCli(p, o, ctx); // a ternary-array chip (cli/ternary-chip.ts)
        await runRun(p, o, ctx);
      });
  },
};
