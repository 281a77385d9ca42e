/**
 * Streaming program reader: the header first, then the vectors one at a time from an
 * async iterator, so a program of 10⁶ vectors is never loaded as a whole.
 *
 *   const { header, vectors } = await readProgramStream("program.jsonl");
 *   for await (const v of vectors) apply(v);
 *
 * `.jsonl` files are read line by line (header on line 1). `.json` files are scanned
 * incrementally: a small state machine (strings, escapes, nesting depth) finds the
 * top-level `"vectors"` array, so the header is parsed without the vectors (first
 * pass) and each vector is parsed on its own (second pass). Errors are located
 * FormatErrors: `file line 7` for JSON Lines, `file vectors[12]` for JSON.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { FormatError, NotFoundError } from "./format-error.ts";
import { issuesToErrors, parseJsonText, validateData } from "./load-json.ts";
import { programHeaderSchema, stepSchemaFor, type Program, type ProgramHeader, type ProgramStep } from "./program-format.ts";
import { programLayoutOf } from "./program-stream-writer.ts";
import { rejectDatalog } from "./program-loader.ts";

/** A program opened for streaming. */
export interface ProgramStream {
  file: string;
  header: ProgramHeader;
  /** The vectors, validated, in file order; iterate once. */
  vectors: AsyncGenerator<ProgramStep>;
  /** Where the last vector yielded came from, as the `file` of an error about it: "p.jsonl line 7", or "p.json". */
  at: string;
}

async function* fileChunks(file: string): AsyncGenerator<string> {
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream) yield chunk as string;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NotFoundError(`${file}: cannot read program (${code ?? (err as Error).message})`);
  } finally {
    stream.destroy();
  }
}

function validateVector(data: unknown, where: string): ProgramStep {
  const r = stepSchemaFor(data).safeParse(data);
  if (!r.success) throw issuesToErrors(where, data, r.error.issues)[0];
  return r.data;
}

function notAnObject(file: string, index: number, found: string): FormatError {
  return new FormatError({ file, where: `vectors[${index}]`, expected: "a vector object", found });
}

/**
 * Scan a JSON program. Yields `{ header }` once (the document with an empty vectors
 * array) after the whole file when `want` is "header", or `{ vector }` texts in order
 * when `want` is "vectors".
 */
async function* scanJsonProgram(file: string, want: "header" | "vectors"): AsyncGenerator<string> {
  let depth = 0;
  let inString = false;
  let escape = false;
  let stringText = "";
  let lastKeyAtTop = ""; // last string seen at depth 1 (a key when followed by ':')
  let mode: "header" | "vectors" = "header";
  let header = "";
  let item = "";
  let sawVectors = false;
  let index = 0;
  for await (const chunk of fileChunks(file)) {
    let headerFrom = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i];
      if (inString) {
        if (mode === "vectors" && depth >= 3) item += ch;
        if (escape) escape = false;
        else if (ch === "\\") escape = true;
        else if (ch === '"') {
          inString = false;
          if (depth === 1 && mode === "header") lastKeyAtTop = stringText;
        } else stringText += ch;
        continue;
      }
      if (ch === '"') {
        if (mode === "vectors" && depth === 2) throw notAnObject(file, index, "a string");
        inString = true;
        stringText = "";
        if (mode === "vectors" && depth >= 3) item += ch;
        continue;
      }
      if (mode === "header") {
        if (ch === "{" || ch === "[") {
          if (depth === 1 && ch === "[" && lastKeyAtTop === "vectors") {
            // Enter the vectors array: keep "[]" in the header text, skip its contents.
            if (want === "header") header += chunk.slice(headerFrom, i) + "[]";
            mode = "vectors";
            sawVectors = true;
            depth++;
            continue;
          }
          depth++;
        } else if (ch === "}" || ch === "]") depth--;
        else if (ch === ",") lastKeyAtTop = depth === 1 ? "" : lastKeyAtTop;
        continue;
      }
      // mode === "vectors": depth 2 is inside the array, 3+ inside one element.
      if (ch === "{" || ch === "[") {
        if (depth === 2 && ch === "[") throw notAnObject(file, index, "an array");
        depth++;
        if (depth >= 3) item += ch;
      } else if (ch === "}" || ch === "]") {
        depth--;
        if (depth >= 2) item += ch;
        if (depth === 2 && item !== "") {
          if (want === "vectors") yield item;
          item = "";
          index++;
        } else if (depth === 1) {
          mode = "header";
          lastKeyAtTop = "";
          headerFrom = i + 1;
        }
      } else if (depth >= 3) item += ch;
      else if (ch !== "," && ch.trim() !== "") throw notAnObject(file, index, `"${ch}…"`);
    }
    if (mode === "header" && want === "header") header += chunk.slice(headerFrom);
  }
  if (want === "header") {
    if (!sawVectors) {
      throw new FormatError({ file, where: "vectors", expected: 'a top-level "vectors" array', found: "no vectors array" });
    }
    yield header;
  }
}

async function openJson(file: string): Promise<ProgramStream> {
  let headerText = "";
  for await (const h of scanJsonProgram(file, "header")) headerText = h;
  const raw = rejectDatalog(parseJsonText(headerText, file), file) as Record<string, unknown>;
  const { vectors: _ignored, ...rest } = raw;
  const header = validateData(programHeaderSchema, rest, file);
  async function* vectors(): AsyncGenerator<ProgramStep> {
    let i = 0;
    for await (const text of scanJsonProgram(file, "vectors")) {
      const where = `${file} vectors[${i}]`;
      yield validateVector(parseJsonText(text, where), where);
      i++;
    }
  }
  return { file, header, vectors: vectors(), at: file };
}

async function openJsonl(file: string): Promise<ProgramStream> {
  const input = createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await it.next();
  } catch (err) {
    lines.close();
    input.destroy();
    throw new NotFoundError(`${file}: cannot read program (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (first.done) {
    lines.close();
    input.destroy();
    throw new FormatError({ file, where: "line 1", expected: "the program header object", found: "an empty file" });
  }
  const header = validateData(programHeaderSchema, rejectDatalog(parseJsonText(first.value, `${file} line 1`), `${file} line 1`), `${file} line 1`);
  const stream: ProgramStream = { file, header, vectors: vectors(), at: file };
  async function* vectors(): AsyncGenerator<ProgramStep> {
    let n = 1;
    try {
      for (let r = await it.next(); !r.done; r = await it.next()) {
        n++;
        if (r.value.trim() === "") continue;
        const where = `${file} line ${n}`;
        const v = validateVector(parseJsonText(r.value, where), where);
        stream.at = where;
        yield v;
      }
    } finally {
      lines.close();
      input.destroy();
    }
  }
  return stream;
}

/** Open a program (.json or .jsonl) for streaming. */
export async function readProgramStream(file: string): Promise<ProgramStream> {
  return programLayoutOf(file) === "jsonl" ? openJsonl(file) : openJson(file);
}

/** Read every vector of a stream into memory (small programs, tests). */
export async function collectVectors(stream: ProgramStream): Promise<ProgramStep[]> {
  const out: ProgramStep[] = [];
  for await (const v of stream.vectors) out.push(v);
  return out;
}

/** Read a whole program through the stream reader (no file-sized string: no 512 MB limit). */
export async function loadProgramStreamed(file: string): Promise<Program> {
  const stream = await readProgramStream(file);
  return { ...stream.header, vectors: await collectVectors(stream) };
}
