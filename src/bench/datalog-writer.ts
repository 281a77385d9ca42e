/**
 * The datalog sink: appends each record as one JSON line and fsyncs it before the
 * executor moves on, so a crash, Ctrl-C or pulled plug loses no finished vector.
 * The file is created with the first record, so a run that fails before measuring
 * anything (missing port, wrong board) leaves no empty datalog behind.
 *
 *   const w = DatalogWriter.create("run.jsonl");          // refuses to clobber unless overwrite
 *   const { writer, existing } = DatalogWriter.resume("run.jsonl");  // cut-off tail removed
 *   w.append(record); w.close();
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { DatalogRecord } from "../formats/datalog-format.ts";
import { InputError } from "../formats/errors.ts";
import { NotFoundError } from "../formats/format-error.ts";
import { readDatalog, type ReadDatalog } from "./datalog-reader.ts";
import type { ResultSink } from "./result-sink.ts";

/** A datalog that would be overwritten, or cannot be written. */
export class DatalogFileError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "DatalogFileError";
  }
}

export class DatalogWriter implements ResultSink {
  private fd: number | null = null;

  private constructor(
    readonly file: string,
    private flags: "w" | "a",
  ) {}

  /** Start a new datalog (the file appears with the header record). */
  static create(file: string, o: { overwrite?: boolean } = {}): DatalogWriter {
    if (existsSync(file) && !o.overwrite) {
      throw new DatalogFileError(`${file}: datalog already exists; continue it with --resume, or pass --overwrite to start over`);
    }
    return new DatalogWriter(file, "w");
  }

  /**
   * Reopen an unfinished datalog for appending; a cut-off last line is removed. A file
   * without one complete record (a crash before the header was flushed) starts over:
   * `existing` is then null.
   */
  static resume(file: string): { writer: DatalogWriter; existing: ReadDatalog | null } {
    if (!existsSync(file)) throw new NotFoundError(`${file}: no datalog to resume (run without --resume to start one)`);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DatalogFileError(`${file}: cannot read the datalog to resume (${code === "EISDIR" ? "it is a folder; give the datalog file" : (code ?? (err as Error).message)})`);
    }
    if (!text.includes("\n")) return { writer: new DatalogWriter(file, "w"), existing: null };
    const existing = readDatalog(file);
    const fd = DatalogWriter.openFd(file, "r+");
    ftruncateSync(fd, existing.completeBytes);
    fsyncSync(fd);
    closeSync(fd);
    return { writer: new DatalogWriter(file, "a"), existing };
  }

  private static openFd(file: string, flags: string): number {
    try {
      if (flags !== "r+") mkdirSync(dirname(file), { recursive: true });
      return openSync(file, flags);
    } catch (err) {
      throw new DatalogFileError(`${file}: cannot write datalog (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }

  /** Append one record and flush it to disk. */
  append(rec: DatalogRecord): void {
    this.fd ??= DatalogWriter.openFd(this.file, this.flags);
    writeSync(this.fd, `${JSON.stringify(rec)}\n`);
    fsyncSync(this.fd);
  }

  header = (rec: DatalogRecord) => this.append(rec);
  vector = (rec: DatalogRecord) => this.append(rec);
  step = (rec: DatalogRecord) => this.append(rec);
  footer = (rec: DatalogRecord) => this.append(rec);

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
