/**
 * A result sink that writes the run as STDF V4 (`snn-atpg run --stdf run.stdf`) as it
 * goes, through src/report/stdf-stream.ts (the bytes of stdf-writer.ts's whole-run encoder,
 * in bounded memory): datalog records → the writer's frozen `StdfRunInput` records (one FTR per vector, failing outputs = outputs
 * with a missing, extra or shifted spike in a repetition that did not match; one PTR per
 * expected spike with the time measured in the repetition that decided the verdict).
 * A run that stops early (bench error, Ctrl-C) still gets a valid file: the finished
 * vectors, PRR PART_FLG "abnormal end", MRR "aborted".
 *
 * MIR fields: LOT_ID from the caller (`--lot-id`; empty when not given), NODE_NAM the
 * datalog's test station (`--station`), else the host that ran the program, OPER_NAM
 * its operator (`--operator`), TSTR_TYP the target (`sim:black-pixel-4x1`, `serial:…`),
 * MODE_COD by target kind (a simulated run is development data, `D`, not production).
 *
 *   await executeProgram({ …, sinks: [datalog, stdfSink("run.stdf", { lotId: "L42" })] });
 */
import { hostname } from "node:os";
import { basename } from "node:path";
import type { DatalogFooter, DatalogHeader, DatalogRecord, DatalogVector } from "../formats/datalog-format.ts";
import type { StdfRunHead, StdfRunInput, StdfSpikeTime, StdfVectorResult } from "../report/stdf-writer.ts";
import { StdfStream } from "../report/stdf-stream.ts";
import { scanDatalog } from "./datalog-reader.ts";
import { toolInfo } from "../formats/tool-version.ts";
import { judgeRepetition } from "./response-comparison.ts";
import type { ResultSink } from "./result-sink.ts";

/** Outputs whose response was wrong in a non-matching repetition. */
export function failingOutputs(v: DatalogVector): number[] {
  const outs = new Set<number>();
  for (const r of v.repetitions) if (!r.match) for (const o of judgeRepetition(v, r).failingOutputs) outs.add(o);
  return [...outs].sort((a, b) => a - b);
}

/** STDF MODE_COD per target kind: simulated runs are development data; hardware runs production. */
export const stdfModeCodes: Record<string, string> = { sim: "D", serial: "P", scpi: "P" };

/**
 * The spike-time measurements of a vector: every expected spike with the observed spike
 * on the same output and window nearest to it (each observed spike used once), from the
 * first repetition whose match agrees with the verdict — the one that decided it.
 */
export function spikeTimesOf(v: DatalogVector): StdfSpikeTime[] {
  const rep = v.repetitions.find((r) => r.match === (v.verdict === "pass")) ?? v.repetitions[0];
  const used = new Set<number>();
  const expected = [...v.expected].sort((a, b) => a.output - b.output || a.timePs - b.timePs);
  return expected.map((e) => {
    let best = -1;
    rep.spikes.forEach((s, j) => {
      if (used.has(j) || s.output !== e.output || s.window !== e.window) return;
      if (best < 0 || Math.abs(s.timePs - e.timePs) < Math.abs(rep.spikes[best].timePs - e.timePs)) best = j;
    });
    if (best >= 0) used.add(best);
    return { output: e.output, window: e.window, expectedPs: e.timePs, tolerancePs: v.toleranceBandPs, measuredPs: best >= 0 ? rep.spikes[best].timePs : null };
  });
}

/** Options of the STDF mapping that the datalog does not hold. */
export interface StdfSinkOptions {
  /** LOT_ID; default empty (not known). */
  lotId?: string;
  /** NODE_NAM; default the header's station, else this host's name. */
  nodeName?: string;
}

/** The STDF head of a run from its datalog header (everything but the vectors and the end). */
export function stdfHeadOf(header: DatalogHeader, o: StdfSinkOptions = {}): StdfRunHead & { outputs: number } {
  return {
    lotId: o.lotId ?? "",
    partType: header.testbench.id,
    dutId: header.dutId,
    programName: basename(header.program.file),
    programRevision: header.program.sha256.slice(0, 12),
    startTime: new Date(header.startedAt),
    outputs: header.target.outputs,
    testerType: header.target.identity.startsWith(`${header.target.kind}:`) ? header.target.identity : `${header.target.kind}:${header.target.identity}`,
    nodeName: o.nodeName ?? header.station ?? hostname(),
    ...(header.operator ? { operatorName: header.operator } : {}),
    modeCode: stdfModeCodes[header.target.kind] ?? "P",
    execVersion: toolInfo.version,
  };
}

/** One vector record as the STDF writer takes it (FTR, PTRs, TSR). */
export function stdfVectorOf(v: DatalogVector): StdfVectorResult {
  return { id: v.vectorId, number: v.index + 1, pass: v.verdict === "pass", failingOutputs: failingOutputs(v), repetitions: v.repetitions.length, spikeTimes: spikeTimesOf(v) };
}

/** Map a run's datalog records to the whole-run STDF writer's input. */
export function stdfInputOf(records: readonly DatalogRecord[], o: { aborted?: boolean } & StdfSinkOptions = {}): StdfRunInput {
  const header = records.find((r): r is DatalogHeader => r.type === "header");
  if (!header) throw new Error("stdfInputOf: no header record");
  const vectors = records.filter((r): r is DatalogVector => r.type === "vector");
  const footer = records.find((r): r is DatalogFooter => r.type === "footer");
  return {
    ...stdfHeadOf(header, o),
    finishTime: new Date(footer?.finishedAt ?? vectors[vectors.length - 1]?.finishedAt ?? header.startedAt),
    vectors: vectors.map(stdfVectorOf),
    aborted: o.aborted ?? !footer,
  };
}

/** A resumed run's datalog: its header and how many records it held before this run appended. */
export interface StdfResumeFrom {
  header: DatalogHeader;
  datalog: string;
  records: number;
}

/**
 * Write the run to `path` as it goes (stdf-stream.ts: bounded memory for any length), in
 * the bytes the whole-run writer gives. A resumed run first streams the vectors its datalog
 * already holds (its first `records` records). The file is created at the run's first record:
 * a run refused before it measures anything writes none. A run that stops early still gets a
 * valid file: what was measured, PRR "abnormal end", MRR "aborted".
 */
export function stdfSink(path: string, o: StdfSinkOptions = {}, resume?: StdfResumeFrom): ResultSink {
  let w: StdfStream | null = null;
  let startedAt = "";
  let lastAt = "";
  const add = (v: DatalogVector) => {
    w!.vector(stdfVectorOf(v));
    lastAt = v.finishedAt;
  };
  const start = (header: DatalogHeader) => {
    if (w) return;
    w = StdfStream.open(path, stdfHeadOf(header, o));
    startedAt = header.startedAt;
    if (resume) scanDatalog(resume.datalog, (r) => r.type === "vector" && r.index < resume.records && add(r));
  };
  const resumed = () => start(resume!.header);
  return {
    header: start,
    vector: (v) => (w || resumed(), add(v)),
    footer: (f) => (w || resumed(), w!.finish({ finishTime: new Date(f.finishedAt), aborted: false })),
    abort: () => {
      if (!w && resume) resumed();
      w?.finish({ finishTime: new Date(lastAt || startedAt), aborted: true });
    },
  };
}

/** The STDF of a datalog that is already complete (`run --resume` of a finished run). */
export function writeStdfOfDatalog(path: string, header: DatalogHeader, footer: DatalogFooter, datalog: string, records: number, o: StdfSinkOptions = {}): void {
  stdfSink(path, o, { header, datalog, records }).footer!(footer);
}
