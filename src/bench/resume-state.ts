/**
 * What `run --resume` needs of an unfinished datalog, folded while it streams past:
 * how many records are done, the failing ones (the footer lists them), link retries,
 * and — only when asked (an STDF rewritten whole, the diagnosis of a short run) — the
 * records themselves. Passing records are counted, not kept, so resuming a 10⁶-record
 * datalog takes memory for its failures only.
 *
 *   const state = readResumeState("run.jsonl", { keepRecords: false });
 *   state.records; state.failing; state.vectors.length === 0;
 */
import type { DatalogStep, DatalogVector } from "../formats/datalog-format.ts";
import { scanDatalog, type DatalogScan } from "./datalog-reader.ts";

export interface ResumeState extends DatalogScan {
  /** Failing vector and step records, in order (index and id). */
  failing: { index: number; id: string }[];
  /** Spike-vector records done, and how many of them failed (the progress line counts vectors). */
  vectorsDone: number;
  vectorsFailed: number;
  /** Link retries of the vectors done. */
  retries: number;
  /** The records themselves, kept only with keepRecords (else empty). */
  vectors: DatalogVector[];
  steps: DatalogStep[];
}

export function readResumeState(file: string, o: { keepRecords: boolean }): ResumeState {
  const failing: { index: number; id: string }[] = [];
  const vectors: DatalogVector[] = [];
  const steps: DatalogStep[] = [];
  let vectorsDone = 0;
  let vectorsFailed = 0;
  let retries = 0;
  const scan = scanDatalog(file, (rec) => {
    if (rec.type === "vector") {
      vectorsDone++;
      retries += rec.retries;
      if (rec.verdict === "fail") vectorsFailed++;
      if (o.keepRecords) vectors.push(rec);
    } else if (o.keepRecords) steps.push(rec);
    if (rec.verdict === "fail") failing.push({ index: rec.index, id: rec.type === "vector" ? rec.vectorId : rec.stepId });
  });
  return { ...scan, failing, vectorsDone, vectorsFailed, retries, vectors, steps };
}
