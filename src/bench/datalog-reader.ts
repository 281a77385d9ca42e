/**
 * Read a JSON Lines datalog back (for `--resume`, `diagnose`, reports), with located
 * errors. A last line without its `\n` is a record cut off by a crash or power loss:
 * it is reported as `partialTail` and ignored (resume truncates it away). The file is
 * read a line at a time (file-lines.ts): a 10⁶-line datalog never becomes one string,
 * and `scanDatalog` hands each record to a visitor instead of keeping it, so `--resume`
 * and `diagnose` hold tallies, not records (bounded memory).
 *
 *   const log = readDatalog("run.jsonl");                  // every record in memory
 *   log.header.dutId; log.vectors.length; log.footer?.verdict;
 *   const scan = scanDatalog("run.jsonl", (rec) => tally(rec));   // header, footer, counts; records streamed
 *   await checkDatalogProgram(scan, program, "p.json", "diagnose with the program the datalog was measured with");
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { fileLines, LineTooLongError, textLines, type FileLinesEnd } from "../formats/file-lines.ts";
import { datalogRecordSchema, type DatalogFooter, type DatalogHeader, type DatalogInterruption, type DatalogRecord, type DatalogResume, type DatalogStep, type DatalogVector } from "../formats/datalog-format.ts";
import { FormatError, NotFoundError } from "../formats/format-error.ts";
import type { Program } from "../formats/program-format.ts";
import { inMemoryProgram, type StreamedProgram } from "../formats/streamed-program.ts";
import { parseJsonText, validateData } from "../formats/load-json.ts";
import { checkJsonDepth } from "../formats/limits.ts";

/** What a streamed pass over a datalog keeps whatever its length: no vector or step record. */
export interface DatalogScan {
  file: string;
  header: DatalogHeader;
  footer: DatalogFooter | null;
  /** Where `--resume` continued the run (forced ones: on a device that differs from the header's). */
  resumes: DatalogResume[];
  /** Where the run stopped early (Ctrl-C, bench errors) before it was resumed. */
  interruptions: DatalogInterruption[];
  /** Vector and step records (the index of the next one). */
  records: number;
  /** SHA-256 of the records' `index\tid\n` in order: checked against the program's step ids without keeping them. */
  idsDigest: string;
  /** The records' ids again, in order (a second pass; only to name the first one that differs from the program). */
  ids: () => Iterable<RecordId>;
  /** Byte length of the complete records (where appending continues). */
  completeBytes: number;
  /** A cut-off last line was found (and ignored). */
  partialTail: boolean;
}

export interface RecordId {
  index: number;
  id: string;
  field: "vectorId" | "stepId";
}

export interface ReadDatalog extends DatalogScan {
  vectors: DatalogVector[];
  /** Records of write, read and pause steps (their `index` interleaves with the vectors'). */
  steps: DatalogStep[];
}

/** Called with each vector and step record as it streams past (in index order). */
export type RecordVisitor = (rec: DatalogVector | DatalogStep) => void;

const idLine = (index: number, id: string) => `${index}\t${id}\n`;

/** Parse datalog text; throws a located FormatError. */
export function parseDatalog(text: string, file: string): ReadDatalog {
  return keepAll((visit) => parseDatalogLines(textLines(text), file, () => text, visit, () => recordIds(textLines(text))));
}

/** A scan whose visitor keeps every record (the whole datalog in memory: tests, reports of one run). */
function keepAll(scan: (visit: RecordVisitor) => DatalogScan): ReadDatalog {
  const vectors: DatalogVector[] = [];
  const steps: DatalogStep[] = [];
  const s = scan((rec) => (rec.type === "vector" ? vectors.push(rec) : steps.push(rec)));
  return { ...s, vectors, steps };
}

/** The ids of the records of an already validated datalog, in order (cheap field reads, no schema). */
function* recordIds(lines: Generator<string, FileLinesEnd>): Generator<RecordId> {
  for (const line of lines) {
    const rec = JSON.parse(line) as { type: string; index: number; vectorId?: string; stepId?: string };
    if (rec.type === "vector") yield { index: rec.index, id: rec.vectorId!, field: "vectorId" };
    else if (rec.type === "step") yield { index: rec.index, id: rec.stepId!, field: "stepId" };
  }
}

/**
 * Parse a datalog line by line, handing each vector and step record to `visit` (which
 * keeps what it needs); `wholeText` gives the whole file, asked only when line 1 is not
 * JSON (to recognise a pretty-printed program handed in its place).
 */
function parseDatalogLines(lines: Generator<string, FileLinesEnd>, file: string, wholeText: () => string | null, visit: RecordVisitor, ids: () => Iterable<RecordId>): DatalogScan {
  let header: DatalogHeader | null = null;
  let footer: DatalogFooter | null = null;
  const resumes: DatalogResume[] = [];
  const interruptions: DatalogInterruption[] = [];
  const digest = createHash("sha256");
  let records = 0;
  let i = 0;
  let r = lines.next();
  for (; !r.done; r = lines.next(), i++) {
    const line = r.value;
    const where = `${file} line ${i + 1}`;
    const data = i === 0 ? rejectProgram(wholeText, line, file) : parseJsonText(line, where);
    const rec = validateData(datalogRecordSchema, data, where) as DatalogRecord;
    const order = (expected: string) => new FormatError({ file, where: `line ${i + 1}`, expected, found: `a ${rec.type} record` });
    if (rec.type === "header") {
      if (i !== 0) throw order("one header record, on line 1");
      header = rec;
    } else if (header === null) throw order("a header record first");
    else if (footer !== null) throw order("nothing after the footer record");
    else if (rec.type === "resume") resumes.push(rec);
    else if (rec.type === "interruption") interruptions.push(rec);
    else if (rec.type === "vector" || rec.type === "step") {
      if (rec.index !== records) throw new FormatError({ file, where: `line ${i + 1}.index`, expected: String(records), found: String(rec.index), hint: "vector and step records must be in program order" });
      records++;
      digest.update(idLine(rec.index, rec.type === "vector" ? rec.vectorId : rec.stepId));
      visit(rec);
    } else footer = rec;
  }
  const end = r.value;
  if (header === null) {
    const found = i > 0 ? "another record" : end.tailBytes ? "only a cut-off first line (the run stopped before its header was complete)" : "an empty file";
    throw new FormatError({ file, where: "line 1", expected: "a header record", found, hint: "start a new run with `snn-atpg run --datalog`" });
  }
  return { file, header, footer, resumes, interruptions, records, idsDigest: digest.digest("hex"), ids, completeBytes: end.completeBytes, partialTail: end.tailBytes > 0 };
}

/** Parse the first line; a test program handed where a datalog belongs (arguments swapped) gets its own message. */
function rejectProgram(wholeText: () => string | null, firstLine: string, file: string): unknown {
  let data: unknown;
  checkJsonDepth(firstLine, `${file} line 1`);
  try {
    data = JSON.parse(firstLine);
  } catch {
    try {
      const text = wholeText();
      if (text === null) throw new Error("too large to be a program");
      checkJsonDepth(text, file);
      data = JSON.parse(text);
    } catch {
      return parseJsonText(firstLine, `${file} line 1`);
    }
  }
  const rec = data as { type?: unknown; testbench?: unknown } | null;
  if (rec && typeof rec === "object" && rec.type === undefined && rec.testbench !== undefined) {
    throw new FormatError({
      file,
      where: "line 1",
      expected: "a datalog header record (written by `snn-atpg run --datalog`)",
      found: "a test program",
      hint: "pass the datalog here; `diagnose` takes <program> <datalog> in that order",
    });
  }
  return data === undefined ? parseJsonText(firstLine, `${file} line 1`) : data;
}

/** A program handed in place of a datalog is recognised up to this size (it is parsed whole). */
const programSniffBytes = 64 << 20;

/** Read a whole datalog into memory (every record). Long datalogs: scanDatalog. */
export function readDatalog(file: string): ReadDatalog {
  return keepAll((visit) => scanDatalog(file, visit));
}

/**
 * Stream a datalog past `visit` a record at a time: memory is what the visitor keeps plus
 * one line (`--resume` keeps tallies, `diagnose` the failing signatures).
 */
export function scanDatalog(file: string, visit: RecordVisitor): DatalogScan {
  try {
    return parseDatalogLines(fileLines(file), file, () => (statSync(file).size <= programSniffBytes ? readFileSync(file, "utf8") : null), visit, () => recordIds(fileLines(file)));
  } catch (err) {
    // a system call that failed (missing file, a folder, no permission), not a bad record
    if (err instanceof LineTooLongError) throw new FormatError({ file, where: `line ${err.line}`, expected: `a record of at most ${err.maxBytes.toLocaleString("en-US")} bytes`, found: "a longer line", hint: "this is not a datalog written by `snn-atpg run`" });
    if (err instanceof Error && "syscall" in err) throw new NotFoundError(`${file}: cannot read datalog (${(err as NodeJS.ErrnoException).code ?? err.message})`);
    throw err;
  }
}

/**
 * Refuse a datalog measured with another program than `program`: the hash in its header,
 * and the id of every vector and step record against the program's step at its index
 * (a datalog edited or stitched together); `hint` says what to do instead. The ids are
 * compared by digest over one streamed pass of the program's steps; only when the
 * digests differ are the records read again to name the first that differs.
 */
export async function checkDatalogProgram(log: Pick<DatalogScan, "file" | "header" | "records" | "idsDigest" | "ids">, given: Program | StreamedProgram, programFile: string, hint: string): Promise<void> {
  const program = "steps" in given ? given : inMemoryProgram(given, programFile);
  const hash = program.sha256;
  if (log.header.program.sha256 !== hash) {
    throw new FormatError({
      file: log.file,
      where: "line 1.program.sha256",
      expected: `the hash of ${programFile} (${hash.slice(0, 12)}…)`,
      found: `${log.header.program.sha256.slice(0, 12)}… (${log.header.program.file})`,
      hint,
    });
  }
  if (log.records === 0) return;
  const digest = createHash("sha256");
  let i = 0;
  if (log.records <= program.count) {
    for await (const step of program.steps()) {
      digest.update(idLine(i, step.id));
      if (++i === log.records) break;
    }
    if (digest.digest("hex") === log.idsDigest) return;
  }
  // Something differs: walk the records and the program's steps side by side to name it.
  const steps = program.steps()[Symbol.asyncIterator]();
  for (const r of log.ids()) {
    const next = r.index < program.count ? await steps.next() : null;
    const id = next && !next.done ? next.value.id : undefined;
    if (id === r.id) continue;
    await steps.return?.();
    throw new FormatError({
      file: log.file,
      where: `record of step ${r.index}.${r.field}`,
      expected: id !== undefined ? `"${id}" (vectors[${r.index}] of ${programFile})` : `an index below ${program.count} (${programFile} has ${program.count} steps)`,
      found: `"${r.id}"`,
      hint: `the datalog does not follow this program; ${hint}`,
    });
  }
}

/** A record with its volatile fields (timestamps, link diagnostics) removed, for comparing runs. */
export function stableRecord(rec: DatalogRecord): Record<string, unknown> {
  const drop = new Set(["startedAt", "finishedAt", "retries", "link"]);
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).filter(([k]) => !drop.has(k)).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(rec) as Record<string, unknown>;
}
