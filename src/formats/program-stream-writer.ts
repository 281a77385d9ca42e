/**
 * Streaming program writer: a test program goes to disk one vector at a time, so a
 * program of 10⁶ vectors never has to sit in memory as one string.
 *
 *   const w = await openProgramWriter("program.jsonl", header);
 *   for (const v of vectors) await w.write(v);
 *   await w.close();
 *
 * Two layouts, chosen by the file name:
 *   .jsonl  line 1 = the header object, then one vector object per line (program-format.ts)
 *   .json   one JSON document: the header pretty-printed, then `"vectors": [` with one
 *           vector per line — valid JSON that program-stream-reader.ts reads back
 *           incrementally and that diffs well.
 * The bytes depend only on the content (no dates, no timing), so the same program
 * always gives the same file.
 */
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { FormatError } from "./format-error.ts";
import { issuesToErrors, validateData } from "./load-json.ts";
import { programHeaderSchema, stepSchemaFor, type Program, type ProgramHeader, type ProgramStep } from "./program-format.ts";

/** Where the text goes: a file stream, or anything with an async write (tests, stdout). */
export interface TextSink {
  write(chunk: string): void | Promise<void>;
  end?(): void | Promise<void>;
}

/** Program layout of a file name. */
export function programLayoutOf(file: string): "json" | "jsonl" {
  return file.endsWith(".jsonl") ? "jsonl" : "json";
}

/** Options of the writer. */
export interface ProgramWriterOptions {
  /** Validate every vector against the schema before writing it (default true). */
  validate?: boolean;
}

/**
 * Writes one program incrementally. `write` may be awaited for back-pressure; the
 * file is complete only after `close()`.
 */
export class ProgramStreamWriter {
  private count = 0;
  private closed = false;

  constructor(
    private readonly sink: TextSink,
    private readonly layout: "json" | "jsonl",
    private readonly where: string,
    private readonly options: ProgramWriterOptions = {},
  ) {}

  /** Write the header; called once by `openProgramWriter` / `programWriterOn`. */
  async begin(header: ProgramHeader): Promise<void> {
    const ordered = validateData(programHeaderSchema, header, `${this.where} (header)`);
    if (this.layout === "jsonl") {
      await this.sink.write(`${JSON.stringify(ordered)}\n`);
    } else {
      const text = JSON.stringify(ordered, null, 2);
      await this.sink.write(`${text.slice(0, text.length - 2)},\n  "vectors": [`);
    }
  }

  /** Append one vector. */
  async write(vector: ProgramStep): Promise<void> {
    if (this.closed) throw new Error(`${this.where}: write after close`);
    let v = vector;
    if (this.options.validate !== false) {
      const r = stepSchemaFor(vector).safeParse(vector);
      if (!r.success) throw issuesToErrors(`${this.where} vectors[${this.count}]`, vector, r.error.issues)[0];
      v = r.data;
    }
    const line = JSON.stringify(v);
    if (this.layout === "jsonl") await this.sink.write(`${line}\n`);
    else await this.sink.write(`${this.count === 0 ? "" : ","}\n    ${line}`);
    this.count++;
  }

  /** Vectors written so far. */
  get written(): number {
    return this.count;
  }

  /** Finish the document and close the sink. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.layout === "json") await this.sink.write(this.count === 0 ? "]\n}\n" : "\n  ]\n}\n");
    await this.sink.end?.();
  }
}

/** A TextSink over a file write stream that honours back-pressure. */
export function fileSink(stream: WriteStream): TextSink {
  return {
    write(chunk: string): Promise<void> | void {
      if (stream.write(chunk)) return;
      return new Promise((resolve, reject) => {
        const onDrain = () => {
          stream.off("error", onError);
          resolve();
        };
        const onError = (err: Error) => {
          stream.off("drain", onDrain);
          reject(err);
        };
        stream.once("drain", onDrain);
        stream.once("error", onError);
      });
    },
    end(): Promise<void> {
      return new Promise((resolve, reject) => {
        stream.once("error", reject);
        stream.end(() => resolve());
      });
    },
  };
}

/** Open a file for writing as a TextSink; an unwritable path is a located FormatError. */
export async function openFileSink(file: string, what = "output"): Promise<TextSink> {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch {
    // reported below by the stream's own open error, with the file named
  }
  const stream = createWriteStream(file, { encoding: "utf8" });
  await new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        new FormatError({
          file,
          where: "(file)",
          expected: `a writable path for the ${what}`,
          found: err.code ?? err.message,
          hint: "check that the directory exists and is writable",
        }),
      ),
    );
  });
  return fileSink(stream);
}

/** Open a program file for streaming; the layout follows the extension. */
export async function openProgramWriter(file: string, header: ProgramHeader, options: ProgramWriterOptions = {}): Promise<ProgramStreamWriter> {
  const sink = await openFileSink(file, "program");
  const w = new ProgramStreamWriter(sink, programLayoutOf(file), file, options);
  await w.begin(header);
  return w;
}

/** A writer over any sink (in-memory buffers, stdout). */
export async function programWriterOn(sink: TextSink, layout: "json" | "jsonl", header: ProgramHeader, where = "(program)"): Promise<ProgramStreamWriter> {
  const w = new ProgramStreamWriter(sink, layout, where);
  await w.begin(header);
  return w;
}

/** The whole program as text in the given layout (small programs, tests). */
export async function formatProgram(program: Program, layout: "json" | "jsonl" = "json"): Promise<string> {
  const parts: string[] = [];
  const { vectors, ...header } = program;
  const w = await programWriterOn({ write: (c) => void parts.push(c) }, layout, header);
  for (const v of vectors) await w.write(v);
  await w.close();
  return parts.join("");
}
