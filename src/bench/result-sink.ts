/**
 * Result sinks: where the bench executor's frozen records go — the datalog, the
 * terminal, an STDF writer. Sinks take records; they never reach into the executor.
 *
 *   const printer: ResultSink = { vector: (v) => console.log(v.vectorId, v.verdict) };
 *   await executeProgram({ …, sinks: [datalog, printer, stdfSink("run.stdf")] });
 *
 * `header` is called only when a run starts (not on resume); `vector` for each newly
 * measured vector; `footer` once at the end; `finish` with every record of the run,
 * resumed ones included, in datalog order — for whole-run formats such as STDF; `abort`
 * instead of `footer`/`finish` when the run stops early (bench error, Ctrl-C), with the
 * records measured so far (no footer), so a whole-run format can still write them.
 */
import type { DatalogFooter, DatalogHeader, DatalogRecord, DatalogStep, DatalogVector } from "../formats/datalog-format.ts";

export interface ResultSink {
  header?(rec: DatalogHeader): void | Promise<void>;
  vector?(rec: DatalogVector): void | Promise<void>;
  /** A write, read or pause step finished. */
  step?(rec: DatalogStep): void | Promise<void>;
  footer?(rec: DatalogFooter): void | Promise<void>;
  finish?(records: DatalogRecord[]): void | Promise<void>;
  /** The run stopped early; `records` are the header and every finished vector and step. */
  abort?(records: DatalogRecord[]): void | Promise<void>;
}
