/**
 * The datalog sink: appends each record as one JSON line and fsyncs it before the
 * executor moves on, so a crash, Ctrl-C or pulled plug loses no finished vector.
 * The file is created with the first record, so a run that fails before measuring
 * anything (missing port, wrong board) leaves no empty datalog behind.
 *
 *   const w = DatalogWriter.create("run.jsonl");          // refuses to clobber unless overwrite
 *   const { writer, existing } = DatalogWriter.resume("run.jsonl");  // cut-off tail removed; existing: tallies (resume-state.ts)
 *   w.append(record); w.close();
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import { filePrefix } from "../formats/file-lines.ts";
import { dirname } from "node:path";
import type { DatalogRecord } from "../formats/datalog-format.ts";
import { BenchError, InputError } from "../formats/errors.ts";
import { FormatError, NotFoundError } from "../formats/format-error.ts";
import { readResumeState, type ResumeState } from "./resume-state.ts";
import type { ResultSink } from "./result-sink.ts";

/** A datalog that would be overwritten, or cannot be written. */
export class DatalogFileError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "DatalogFileError";
  }
}

/** A datalog write failed (disk full, I/O error): the message says how many vectors the file keeps. */
export class DatalogWriteError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "DatalogWriteError";
  }
}

const errnoText = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOSPC" ? "ENOSPC: no space left on device" : (code ?? (err as Error).message);
};

export class DatalogWriter implements ResultSink {
  private fd: number | null = null;

  private constructor(
    readonly file: string,
    private flags: "w" | "a",
    /** Vector and step records safely on disk. */
    private kept = 0,
  ) {}

  /** Vector and step records on disk: the index of the next one. */
  get records(): number {
    return this.kept;
  }

  /** Whether the file holds a header (this run wrote one, or it is a resumed datalog). */
  get started(): boolean {
    return this.fd !== null || this.flags === "a";
  }

  /** Throw a DatalogWriteError for `err`, saying what the file still holds. */
  private failed(err: unknown, doing: string): never {
    throw new DatalogWriteError(
      `${this.file}: cannot ${doing} (${errnoText(err)}); ${this.kept} vectors kept in ${this.file} — free space or fix the disk, then rerun with --resume to continue`,
    );
  }

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
   * `existing` is then null. The records are streamed past, not kept (tallies only), unless
   * `keepRecords` (the default, for callers that want the measured records back).
   */
  static resume(file: string, o: { keepRecords?: boolean } = {}): { writer: DatalogWriter; existing: ResumeState | null } {
    if (!existsSync(file)) throw new NotFoundError(`${file}: no datalog to resume (run without --resume to start one)`);
    if (!statSync(file).isFile() && !statSync(file).isDirectory()) {
      throw new DatalogFileError(`${file}: not a regular file, so not a datalog to resume; give the datalog file written by \`snn-atpg run --datalog\``);
    }
    // Only the start is read here (is it a datalog?); readResumeState then streams the records.
    let start: { text: string; whole: boolean };
    try {
      start = filePrefix(file, 1 << 20);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DatalogFileError(`${file}: cannot read the datalog to resume (${code === "EISDIR" ? "it is a folder; give the datalog file" : (code ?? (err as Error).message)})`);
    }
    checkStartsAsDatalog(start.text, file);
    if (start.whole && !start.text.includes("\n")) return { writer: new DatalogWriter(file, "w"), existing: null };
    const existing = readResumeState(file, { keepRecords: o.keepRecords ?? true });
    const writer = new DatalogWriter(file, "a", existing.records);
    const fd = DatalogWriter.openFd(file, "r+");
    try {
      ftruncateSync(fd, existing.completeBytes);
      fsyncSync(fd);
      closeSync(fd);
    } catch (err) {
      writer.failed(err, "remove the cut-off last record");
    }
    return { writer, existing };
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
    const bytes = Buffer.from(`${JSON.stringify(rec)}\n`);
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
      fsyncSync(this.fd);
    } catch (err) {
      this.failed(err, `write the ${rec.type} record`);
    }
    if (rec.type === "vector" || rec.type === "step") this.kept++;
  }

  header = (rec: DatalogRecord) => this.append(rec);
  vector = (rec: DatalogRecord) => this.append(rec);
  step = (rec: DatalogRecord) => this.append(rec);
  footer = (rec: DatalogRecord) => this.append(rec);

  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd === null) return;
    try {
      closeSync(fd);
    } catch (err) {
      this.failed(err, "close the datalog");
    }
  }
}

/**
 * `--resume` continues only a datalog: a file that is empty or begins with a header record
 * (possibly cut off). Anything else (a program, notes) is refused and left untouched.
 */
function checkStartsAsDatalog(text: string, file: string): void {
  const first = text.slice(0, text.indexOf("\n") + 1 || text.length).trim();
  const cutOffHeader = !text.includes("\n") && '{"type":"header"'.startsWith(first);
  if (first === "" || cutOffHeader || /^\{\s*"type"\s*:\s*"header"/.test(first)) return;
  throw new FormatError({
    file,
    where: "line 1",
    expected: "a datalog header record (or an empty file)",
    found: `${JSON.stringify(first.slice(0, 40))}${first.length > 40 ? "…" : ""}`,
    hint: "--resume continues a datalog written by `snn-atpg run --datalog`; this file was left unchanged — check the --datalog path",
  });
}
