/**
 * A result sink that writes the whole run as STDF V4 (`snn-atpg run --stdf run.stdf`)
 * through src/report/stdf-writer.ts, once the run has finished: datalog records →
 * the writer's frozen `StdfRunInput` (one FTR per vector, failing outputs = outputs
 * with a missing, extra or shifted spike in a repetition that did not match).
 *
 *   await executeProgram({ …, sinks: [datalog, stdfSink("run.stdf")] });
 */
import { basename } from "node:path";
import type { DatalogFooter, DatalogHeader, DatalogRecord, DatalogVector } from "../formats/datalog-format.ts";
import { writeStdf, type StdfRunInput } from "../report/stdf-writer.ts";
import { toolInfo } from "./bench-executor.ts";
import { spikeDifferences } from "./response-comparison.ts";
import type { ResultSink } from "./result-sink.ts";

/** Outputs whose response was wrong in a non-matching repetition. */
export function failingOutputs(v: DatalogVector): number[] {
  const outs = new Set<number>();
  for (const r of v.repetitions) if (!r.match) for (const d of spikeDifferences(v.expected, r.spikes, v.toleranceBandPs)) outs.add(d.output);
  return [...outs].sort((a, b) => a - b);
}

/** Map a run's datalog records to the STDF writer's input. */
export function stdfInputOf(records: readonly DatalogRecord[], o: { aborted?: boolean } = {}): StdfRunInput {
  const header = records.find((r): r is DatalogHeader => r.type === "header");
  if (!header) throw new Error("stdfInputOf: no header record");
  const vectors = records.filter((r): r is DatalogVector => r.type === "vector");
  const footer = records.find((r): r is DatalogFooter => r.type === "footer");
  return {
    lotId: header.testbench.id,
    partType: header.testbench.id,
    dutId: header.dutId,
    programName: basename(header.program.file),
    programRevision: header.program.sha256.slice(0, 12),
    startTime: new Date(header.startedAt),
    finishTime: new Date(footer?.finishedAt ?? vectors[vectors.length - 1]?.finishedAt ?? header.startedAt),
    outputs: header.target.outputs,
    vectors: vectors.map((v) => ({ id: v.vectorId, number: v.index + 1, pass: v.verdict === "pass", failingOutputs: failingOutputs(v), repetitions: v.repetitions.length })),
    aborted: o.aborted ?? !footer,
    testerType: `${header.target.kind}:${header.target.identity}`,
    execVersion: toolInfo.version,
  };
}

export function stdfSink(path: string): ResultSink {
  return { finish: (records) => writeStdf(stdfInputOf(records), path) };
}
