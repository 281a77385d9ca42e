/**
 * Part files: what one shard of a campaign writes (`coverage`, `lifetime` … `--shard i/N
 * --out part-i.jsonl`), as JSON Lines. Line 1 is the header (its `format` names the
 * campaign kind: "snn-atpg-coverage-part", "snn-atpg-lifetime-part"; what the part
 * belongs to — bench sha256, tool version, options — and `shard`), then one record per
 * unit of the shard (a fault, a Monte-Carlo trial), and last the end record with the
 * record count, so a truncated part is told from a short one.
 *
 *   const part = readPartFile(file, lifetimePartKind);   // every error names file:line
 *   partFormatOf(file)                                    // "snn-atpg-lifetime-part": which kind to read it as
 *
 * Each kind is its schemas and the end record's count field (part-kinds.ts lists them).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { FormatError } from "./format-error.ts";
import { issuesToErrors, parseJsonText } from "./load-json.ts";

/** The schemas of one kind of part. */
export interface PartFormat<H extends z.ZodType, R extends z.ZodType, E extends z.ZodType> {
  /** The header's `format`. */
  format: string;
  /** What the part holds, for messages ("coverage part"). */
  noun: string;
  /** The command that writes it, for hints. */
  writtenBy: string;
  header: H;
  record: R;
  end: E;
  /** The end record's field holding the number of records. */
  countField: string;
}

/** A part read and validated. */
export interface PartFile<H, R, E> {
  file: string;
  header: H;
  records: R[];
  end: E;
}

/** The fields every header has, whatever the kind: what merge checks and dispatches on. */
export const partHeaderBaseSchema = z.looseObject({
  kind: z.literal("header"),
  format: z.string(),
  tool: z.string(),
  shard: z.strictObject({ index: z.number().int().min(0), count: z.number().int().min(1) }),
});

function lineOf<S extends z.ZodType>(schema: S, text: string, file: string, line: number): z.output<S> {
  const where = `${file}:${line}`;
  const data = parseJsonText(text, where);
  const r = schema.safeParse(data);
  if (!r.success) throw issuesToErrors(where, data, r.error.issues)[0];
  return r.data;
}

function linesOf(file: string, what: string, hint: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new FormatError({ file, where: "the file", expected: `a readable ${what} (.jsonl)`, found: (err as NodeJS.ErrnoException).code ?? String(err), hint });
  }
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) throw new FormatError({ file, where: "line 1", expected: `a ${what} header`, found: "an empty file", hint: "the shard may not have run; run it again" });
  return lines;
}

/** The `format` of a part's header (which kind to read it as), with a located error when line 1 is no part header. */
export function partFormatOf(file: string): string {
  const lines = linesOf(file, "part file", "check the path; parts are written by a command run with --shard i/N --out FILE");
  return lineOf(partHeaderBaseSchema, lines[0], file, 1).format;
}

/** Read and validate a part of one kind; every error names the file and line. */
export function readPartFile<H extends z.ZodType, R extends z.ZodType, E extends z.ZodType>(file: string, k: PartFormat<H, R, E>): PartFile<z.output<H>, z.output<R>, z.output<E>> {
  const lines = linesOf(file, k.noun, `check the path; parts are written by ${k.writtenBy}`);
  const header = lineOf(k.header, lines[0], file, 1);
  let last: { kind?: unknown } | null = null;
  try {
    last = lines.length > 1 ? (JSON.parse(lines.at(-1)!) as { kind?: unknown }) : null;
  } catch {
    // a half-written last line: reported as a missing end record below
  }
  if (!last || last.kind !== "end") {
    throw new FormatError({ file, where: `line ${lines.length}`, expected: 'the end record {"kind":"end",…}', found: "no end record", hint: "the part is truncated (the shard was interrupted or its disk filled); run the shard again" });
  }
  const end = lineOf(k.end, lines.at(-1)!, file, lines.length);
  const records = lines.slice(1, -1).map((l, i) => lineOf(k.record, l, file, i + 2));
  const count = (end as Record<string, unknown>)[k.countField];
  if (records.length !== count) {
    throw new FormatError({ file, where: `line ${lines.length}`, expected: `${count} record line(s), as the end record says`, found: `${records.length}`, hint: "the part was edited or damaged; run the shard again" });
  }
  return { file, header, records, end };
}

/** The text of a part: header, records, end record, one JSON object per line. */
export function partText(header: unknown, records: readonly unknown[], end: Record<string, unknown>): string {
  return `${[JSON.stringify(header), ...records.map((r) => JSON.stringify(r)), JSON.stringify({ kind: "end", ...end })].join("\n")}\n`;
}
