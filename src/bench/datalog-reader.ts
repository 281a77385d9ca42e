/**
 * Read a JSON Lines datalog back (for `--resume`, `diagnose`, reports), with located
 * errors. A last line without its `\n` is a record cut off by a crash or power loss:
 * it is reported as `partialTail` and ignored (resume truncates it away). The file is
 * read a line at a time (file-lines.ts): a 10⁶-line datalog never becomes one string.
 *
 *   const log = readDatalog("run.jsonl");
 *   log.header.dutId; log.vectors.length; log.footer?.verdict;
 *   checkDatalogProgram(log, program, "p.json", "diagnose with the program the datalog was measured with");
 */
import { readFileSync, statSync } from "node:fs";
import { fileLines, LineTooLongError, textLines, type FileLinesEnd } from "../formats/file-lines.ts";
import { datalogRecordSchema, type DatalogFooter, type DatalogHeader, type DatalogInterruption, type DatalogRecord, type DatalogResume, type DatalogStep, type DatalogVector } from "../formats/datalog-format.ts";
import { FormatError, NotFoundError } from "../formats/format-error.ts";
import type { Program } from "../formats/program-format.ts";
import { inMemoryProgram, type StreamedProgram } from "../formats/streamed-program.ts";
import { parseJsonText, validateData } from "../formats/load-json.ts";
import { checkJsonDepth } from "../formats/limits.ts";

export interface ReadDatalog {
  file: string;
  header: DatalogHeader;
  vectors: DatalogVector[];
  /** Records of write, read and pause steps (their `index` interleaves with the vectors'). */
  steps: DatalogStep[];
  footer: DatalogFooter | null;
  /** Where `--resume` continued the run (forced ones: on a device that differs from the header's). */
  resumes: DatalogResume[];
  /** Where the run stopped early (Ctrl-C, bench errors) before it was resumed. */
  interruptions: DatalogInterruption[];
  /** Byte length of the complete records (where appending continues). */
  completeBytes: number;
  /** A cut-off last line was found (and ignored). */
  partialTail: boolean;
}

/** Parse datalog text; throws a located FormatError. */
export function parseDatalog(text: string, file: string): ReadDatalog {
  return parseDatalogLines(textLines(text), file, () => text);
}

/**
 * Parse a datalog line by line; `wholeText` gives the whole file, asked only when line 1
 * is not JSON (to recognise a pretty-printed program handed in its place).
 */
function parseDatalogLines(lines: Generator<string, FileLinesEnd>, file: string, wholeText: () => string | null): ReadDatalog {
  let header: DatalogHeader | null = null;
  const vectors: DatalogVector[] = [];
  const steps: DatalogStep[] = [];
  let footer: DatalogFooter | null = null;
  const resumes: DatalogResume[] = [];
  const interruptions: DatalogInterruption[] = [];
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
      const next = vectors.length + steps.length;
      if (rec.index !== next) throw new FormatError({ file, where: `line ${i + 1}.index`, expected: String(next), found: String(rec.index), hint: "vector and step records must be in program order" });
      if (rec.type === "vector") vectors.push(rec);
      else steps.push(rec);
    } else footer = rec;
  }
  const end = r.value;
  if (header === null) {
    const found = i > 0 ? "another record" : end.tailBytes ? "only a cut-off first line (the run stopped before its header was complete)" : "an empty file";
    throw new FormatError({ file, where: "line 1", expected: "a header record", found, hint: "start a new run with `snn-atpg run --datalog`" });
  }
  return { file, header, vectors, steps, footer, resumes, interruptions, completeBytes: end.completeBytes, partialTail: end.tailBytes > 0 };
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

export function readDatalog(file: string): ReadDatalog {
  try {
    return parseDatalogLines(fileLines(file), file, () => (statSync(file).size <= programSniffBytes ? readFileSync(file, "utf8") : null));
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
 * (a datalog edited or stitched together); `hint` says what to do instead.
 */
export async function checkDatalogProgram(log: Pick<ReadDatalog, "file" | "header"> & Partial<Pick<ReadDatalog, "vectors" | "steps">>, given: Program | StreamedProgram, programFile: string, hint: string): Promise<void> {
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
  const records = [...(log.vectors ?? []).map((r) => ({ index: r.index, id: r.vectorId, field: "vectorId" })), ...(log.steps ?? []).map((r) => ({ index: r.index, id: r.stepId, field: "stepId" }))];
  // The program's step ids at the records' indices (one streamed pass over the steps they reach).
  const ids = new Map<number, string>(records.map((r) => [r.index, ""]));
  let last = -1;
  for (const k of ids.keys()) last = Math.max(last, k);
  let i = 0;
  if (last >= 0) {
    for await (const step of program.steps()) {
      if (ids.has(i)) ids.set(i, step.id);
      if (++i > last) break;
    }
  }
  for (const r of records) {
    const id = r.index < program.count ? ids.get(r.index) : undefined;
    if (id === r.id) continue;
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
