/**
 * The bench executor: applies a test program to a target and turns what comes back
 * into datalog records — program × target → header, one record per vector, footer.
 *
 *   const run = await executeProgram({ program, programFile, bench, target, dutId: "chip-7", sinks: [datalog] });
 *   run.footer.verdict   // "pass" | "fail"
 *
 * Ctrl-C (`signal`) stops it before the next vector or repetition — the event loop gets
 * a turn at least every 50 ms, so that holds on the in-process sim target too.
 *
 * Per vector: program its weights (WRITE) if it asks, set the timing when it changes
 * (and use what the target says it uses), apply the stimulus as often as the decision
 * rule wants, compare each response with the expected spikes within the tolerance
 * band, and hand the record to every sink (the datalog fsyncs it) before the next
 * vector. A resumed run first re-programs the weights earlier vectors wrote (a
 * restarted board has lost them), then continues after the last complete record.
 */
import type { DatalogFooter, DatalogHeader, DatalogRecord, DatalogStep, DatalogVector, Mismatch, RepetitionRecord } from "../formats/datalog-format.ts";
import { observableOutputCount } from "../formats/observable-outputs.ts";
import { isSpikeVector, type Program, type ProgramStep, type ProgramVector } from "../formats/program-format.ts";
import { stimulusHash } from "../formats/program-hash.ts";
import { inMemoryProgram, type StreamedProgram } from "../formats/streamed-program.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { toolInfo } from "../formats/tool-version.ts";
import type { Target, TargetInfo } from "../targets/target.ts";
import { stimulusEvents } from "../targets/stimulus-events.ts";
import { BenchError, InputError } from "../formats/errors.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import { BenchSetupError, ProtocolError } from "../transports/bench-error.ts";
import { startDecision } from "../stats/decision-rules.ts";
import { executeArrayStep } from "./array-step-executor.ts";
import { compareResponse } from "./response-comparison.ts";
import { VectorLogs } from "./vector-logs.ts";
import type { ResultSink } from "./result-sink.ts";

export interface ExecuteOptions {
  /** The program, loaded, or validated and streamed from its file (a 10⁶-vector `.jsonl`). */
  program: Program | StreamedProgram;
  /** Program path as the user gave it (for the header and messages). */
  programFile: string;
  bench: LoadedTestbench;
  /** The target, not yet opened: the executor opens and closes it. */
  target: Target;
  /** Where the target is, for messages: a port path, or "sim". */
  targetLabel: string;
  port?: string;
  injectedFault?: string;
  dutId: string;
  /** Test station and operator ids for the header (absent: not recorded). */
  station?: string;
  operator?: string;
  sinks?: ResultSink[];
  /**
   * An unfinished run to continue (resume-state.ts): its header, how many records are done,
   * the failing ones and the retries (for the footer), and the records if they were kept.
   */
  previous?: PreviousRun;
  /** Called with the target's identity once it is open, before anything is measured (resume checks it is the same device). */
  onOpen?: (info: TargetInfo) => void;
  /** Ctrl-C: stop before the next repetition with InterruptedError. */
  signal?: AbortSignal;
  /** Clock for timestamps (tests). */
  now?: () => Date;
  /**
   * Keep every record in the result (default true). False for long streamed runs: the
   * sinks still get each record, the result holds the footer's tallies only, and memory
   * stays bounded.
   */
  keepRecords?: boolean;
}

export interface PreviousRun {
  header: DatalogHeader;
  records: number;
  failing: { index: number; id: string }[];
  retries: number;
  /** Records kept from the datalog (may be empty: then the result holds this run's only). */
  vectors: DatalogVector[];
  steps: DatalogStep[];
}

export interface BenchRunResult {
  header: DatalogHeader;
  /** Spike-vector records (empty when run with keepRecords: false). */
  vectors: DatalogVector[];
  /** Records of the write, read and pause steps. */
  steps: DatalogStep[];
  footer: DatalogFooter;
}

/** Weight writes a step performs (a write step, or a spike vector's `writes`). */
function stepWrites(s: ProgramStep): { layer: number; row: number; bits?: string; levels?: number[] }[] {
  return isSpikeVector(s) ? (s.writes ?? []) : s.kind === "write" ? [s] : [];
}

/** Check the opened target fits the program's testbench. */
export function checkTargetFitsBench(info: TargetInfo, o: Pick<ExecuteOptions, "bench" | "programFile" | "targetLabel">): void {
  const inputs = o.bench.bench.layers[0].rows;
  const outputs = observableOutputCount(o.bench.bench);
  if (info.inputs !== inputs || info.outputs !== outputs) {
    throw new BenchSetupError(
      `${o.targetLabel}: the device reports inputs=${info.inputs} outputs=${info.outputs} (${info.identity}), but ${o.programFile} is for testbench ` +
        `${o.bench.bench.id} with ${inputs} inputs and ${outputs} outputs; connect the right board or run a program made for it`,
    );
  }
}

/**
 * The timing a target says it uses must be one the bench allows (its IW/LW ranges; without
 * them, within a factor 2 of the request): a board answering iw_ps=10¹⁵ would otherwise
 * set every wait of the run.
 */
function checkUsedTiming(used: { iwPs: number; lwPs: number }, v: ProgramVector, o: Pick<ExecuteOptions, "bench" | "targetLabel">): { iwPs: number; lwPs: number } {
  const t = o.bench.bench.timing;
  const ranges = [
    ["iw_ps", used.iwPs, t.iwRangePs ?? [Math.ceil(v.iwPs / 2), v.iwPs * 2]],
    ["lw_ps", used.lwPs, t.lwRangePs ?? [Math.ceil(v.lwPs / 2), v.lwPs * 2]],
  ] as const;
  for (const [key, value, [lo, hi]] of ranges) {
    if (!(value >= lo && value <= hi)) {
      throw new ProtocolError(`${o.targetLabel}: the TIMING reply has ${key}=${value} for a request of iw_ps=${v.iwPs} lw_ps=${v.lwPs}; testbench ${o.bench.bench.id} allows ${lo} to ${hi} ps — is this the right board?`);
    }
  }
  return used;
}

function sumMismatch(reps: RepetitionRecord[]): Mismatch {
  const m = { missing: 0, extra: 0, shifted: 0 };
  for (const r of reps) {
    if (r.match) continue;
    m.missing += r.mismatch.missing;
    m.extra += r.mismatch.extra;
    m.shifted += r.mismatch.shifted;
  }
  return m;
}

/** Running tallies of a run, from which its footer is made (records need not be kept). */
class FooterTally {
  private failing: { index: number; id: string }[] = [];
  private total = 0;
  private retries = 0;

  constructor(previous: Pick<PreviousRun, "records" | "failing" | "retries"> | undefined) {
    this.total = previous?.records ?? 0;
    this.failing = [...(previous?.failing ?? [])];
    this.retries = previous?.retries ?? 0;
  }

  add(index: number, id: string, verdict: "pass" | "fail", retries: number): void {
    this.total++;
    this.retries += retries;
    if (verdict === "fail") this.failing.push({ index, id });
  }

  footer(now: Date): DatalogFooter {
    return {
      type: "footer",
      verdict: this.failing.length ? "fail" : "pass",
      vectors: this.total,
      passed: this.total - this.failing.length,
      failed: this.failing.length,
      failingVectors: this.failing.map((v) => v.id),
      retries: this.retries,
      finishedAt: now.toISOString(),
    };
  }
}

export async function executeProgram(o: ExecuteOptions): Promise<BenchRunResult> {
  const now = o.now ?? (() => new Date());
  const sinks = o.sinks ?? [];
  const { target } = o;
  const program = "steps" in o.program ? o.program : inMemoryProgram(o.program, o.programFile);
  const keep = o.keepRecords ?? true;
  // Before each vector and repetition: stop on Ctrl-C, and let it arrive (the sim target never waits on I/O).
  const interrupted = () => checkpoint(o.signal);
  const { needsWrites, needsReads } = program;
  // What the target cannot play is refused before it is opened (nothing sent, nothing measured).
  const lv = program.firstLevelStep;
  if (lv && !(lv.kind === "write" ? target.writeLevels : target.readLevels)) {
    throw new InputError(
      `${o.programFile}: vectors[${lv.index}] (${lv.kind} step ${lv.id}) ${lv.kind === "write" ? "writes" : "reads"} levels of multi-level cells; ` +
        `PROTOCOL.md v1 WRITE and READ carry bits only, so ${o.targetLabel} cannot play it; nothing was sent — run it with --target sim`,
    );
  }
  if (target.checkProgram) {
    if (!program.loaded) throw new BenchSetupError(`${o.targetLabel}: this target checks a program as a whole; load ${o.programFile} instead of streaming it`);
    target.checkProgram(program.loaded, o.programFile);
  }
  try {
    const info = await target.open();
    checkTargetFitsBench(info, o);
    o.onOpen?.(info);
    if (needsWrites && !target.writeRow) {
      throw new BenchSetupError(`${o.targetLabel}: ${o.programFile} programs weights (WRITE), but this ${info.kind} target cannot`);
    }
    if (needsReads && !target.readRow) {
      throw new BenchSetupError(`${o.targetLabel}: ${o.programFile} senses weights (READ), but this ${info.kind} target cannot`);
    }
    const header: DatalogHeader = o.previous?.header ?? {
      type: "header",
      schemaVersion: 1,
      tool: { ...toolInfo },
      dutId: o.dutId,
      ...(o.station ? { station: o.station } : {}),
      ...(o.operator ? { operator: o.operator } : {}),
      program: { file: o.programFile, sha256: program.sha256, vectors: program.count },
      testbench: { id: o.bench.bench.id, sha256: o.bench.sha256 },
      target: {
        kind: info.kind,
        identity: info.identity,
        ...(info.firmware !== undefined ? { firmware: info.firmware } : {}),
        inputs: info.inputs,
        outputs: info.outputs,
        tickPs: info.tickPs,
        ...(o.port ? { port: o.port } : {}),
        ...(o.injectedFault ? { injectedFault: o.injectedFault } : {}),
      },
      startedAt: now().toISOString(),
    };
    if (!o.previous) for (const s of sinks) await s.header?.(header);
    const vectors: DatalogVector[] = keep ? [...(o.previous?.vectors ?? [])] : [];
    const steps: DatalogStep[] = keep ? [...(o.previous?.steps ?? [])] : [];
    const tally = new FooterTally(o.previous);
    const done = o.previous?.records ?? 0;
    // A restarted board has lost the weights earlier vectors wrote: program the last state of each row again.
    const rewrite = new Map<string, { layer: number; row: number; bits?: string; levels?: number[] }>();

    const where = (index: number, step: ProgramStep, err: unknown): unknown => {
      // Bench errors get the vector they happened in; the original class is kept.
      if (err instanceof BenchError) {
        err.message = `vector ${step.id} (${index + 1} of ${program.count}): ${err.message}`;
      }
      return err;
    };
    let timingKey = "";
    let used = { iwPs: 0, lwPs: 0 };
    async function measureVector(index: number, v: ProgramVector): Promise<DatalogVector> {
      const startedAt = now().toISOString();
      for (const w of v.writes ?? []) await target.writeRow!(w.layer, w.row, w.bits);
      if (timingKey !== `${v.iwPs}/${v.lwPs}`) {
        used = checkUsedTiming(await target.setTiming(v.iwPs, v.lwPs), v, o);
        timingKey = `${v.iwPs}/${v.lwPs}`;
      }
      const events = stimulusEvents(v, used);
      const rule = v.decision ?? program.header.decision;
      const toleranceBandPs = v.toleranceBandPs ?? program.header.timingTolerancePs;
      const decision = startDecision(rule, v);
      const repetitions: RepetitionRecord[] = [];
      const vectorLogs = new VectorLogs(); // the `! LOG` bound is per vector, over all its repetitions
      let verdict: "pass" | "fail" | "continue" = "continue";
      for (let rep = 0; verdict === "continue" && rep < decision.maxRepetitions; rep++) {
        await interrupted();
        const repStart = now().toISOString();
        const r = await target.apply({ events, windows: v.windows, repetition: rep });
        const cmp = compareResponse(v.expected, r.spikes, { toleranceBandPs, timingResolutionPs: info.tickPs, periodPs: used.iwPs + used.lwPs, criterion: v.criterion });
        repetitions.push({
          repetition: rep,
          spikes: cmp.spikes,
          match: cmp.match,
          mismatch: cmp.mismatch,
          link: { retries: r.retries, logs: [] },
          startedAt: repStart,
          finishedAt: now().toISOString(),
        });
        vectorLogs.add(rep, r.logs, r.logsOmitted);
        verdict = decision.next(cmp.match);
      }
      for (const rr of repetitions) rr.link = { retries: rr.link.retries, ...vectorLogs.linkFor(rr.repetition) };
      const rec: DatalogVector = {
        type: "vector",
        index,
        vectorId: v.id,
        dutId: header.dutId,
        stimulusSha256: stimulusHash(v),
        requestedTiming: { iwPs: v.iwPs, lwPs: v.lwPs },
        timing: { ...used },
        windows: v.windows,
        decision: rule.rule,
        toleranceBandPs,
        ...(v.criterion && v.criterion.kind !== "exact-train" ? { criterion: v.criterion } : {}),
        expected: v.expected.map((e) => ({ output: e.output, window: e.window, timePs: e.timePs })),
        repetitions,
        matches: repetitions.filter((r) => r.match).length,
        verdict: verdict === "pass" ? "pass" : "fail",
        mismatch: sumMismatch(repetitions),
        retries: repetitions.reduce((s, r) => s + r.link.retries, 0),
        startedAt,
        finishedAt: now().toISOString(),
      };
      return rec;
    }
    const measured = (): DatalogRecord[] => [header, ...[...vectors, ...steps].sort((a, b) => a.index - b.index)];
    try {
      let index = 0;
      for await (const step of program.steps()) {
        if (index < done) {
          if (needsWrites) for (const w of stepWrites(step)) rewrite.set(`${w.layer}.${w.row}`, w);
          index++;
          continue;
        }
        if (index === done) for (const w of rewrite.values()) await (w.levels ? target.writeLevels!(w.layer, w.row, w.levels) : target.writeRow!(w.layer, w.row, w.bits!));
        await interrupted();
        if (isSpikeVector(step)) {
          const rec = await measureVector(index, step).catch((err) => {
            throw where(index, step, err);
          });
          if (keep) vectors.push(rec);
          tally.add(index, rec.vectorId, rec.verdict, rec.retries);
          for (const s of sinks) await s.vector?.(rec);
        } else {
          const rec = await executeArrayStep(step, index, { target, dutId: header.dutId, targetLabel: o.targetLabel, now, signal: o.signal }).catch((err) => {
            throw where(index, step, err);
          });
          if (keep) steps.push(rec);
          tally.add(index, rec.stepId, rec.verdict, 0);
          for (const s of sinks) await s.step?.(rec);
        }
        index++;
      }
    } catch (err) {
      // The run stopped (bench error, Ctrl-C): whole-run sinks keep what was measured.
      for (const s of sinks) await s.abort?.(measured());
      throw err;
    }
    const footer = tally.footer(now());
    for (const s of sinks) await s.footer?.(footer);
    const records: DatalogRecord[] = [...measured(), footer];
    for (const s of sinks) await s.finish?.(records);
    return { header, vectors, steps, footer };
  } finally {
    await target.close().catch(() => undefined);
  }
}
