/**
 * Load a JSON data file and validate it against a zod schema, with located errors.
 *
 *   const tb = loadJsonFile("testbenches/black-pixel-4x1.json", testbenchSchema);
 *
 * Every failure becomes a `FormatError` naming the file, the JSON path (or line and
 * column for a syntax error), what was expected and what was found.
 */
import { readFileSync } from "node:fs";
import type { z } from "zod";
import { FormatError, FormatErrors, NotFoundError } from "./format-error.ts";

/** Render a JSON path like `layers[0].weights.seed` from zod's path array. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return "(top level)";
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Short JSON-ish rendering of a found value, capped so messages stay one line. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (text.length > 60) text = `${text.slice(0, 57)}...`;
  const kind = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
  return `${kind} ${text}`;
}

function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key as string];
  }
  return cur;
}

/** Parse JSON text; a syntax error becomes a FormatError with line and column. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = "end of file";
    if (m) {
      const pos = Number(m[1]);
      const before = text.slice(0, pos);
      const line = before.split("\n").length;
      const column = pos - before.lastIndexOf("\n");
      where = `line ${line} column ${column}`;
    }
    throw new FormatError({
      file,
      where,
      expected: "valid JSON",
      found: msg.replace(/^JSON\.parse: /, ""),
      hint: "check for a missing comma, quote or bracket near that place",
    });
  }
}

/** Turn zod issues into located FormatErrors. */
export function issuesToErrors(file: string, data: unknown, issues: ReadonlyArray<z.core.$ZodIssue>): FormatError[] {
  return issues.map((issue) => {
    const where = formatJsonPath(issue.path);
    const found = describeValue(valueAt(data, issue.path));
    switch (issue.code) {
      case "unrecognized_keys":
        return new FormatError({
          file,
          where,
          expected: "only the keys the schema defines",
          found: `unknown key(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`,
          hint: "remove or rename them; see the published JSON Schema in schemas/",
        });
      case "invalid_type":
        return new FormatError({ file, where, expected: String(issue.expected), found });
      default:
        return new FormatError({ file, where, expected: issue.message, found });
    }
  });
}

/** Validate already-parsed data; throws FormatErrors (one or more) on failure. */
export function validateData<S extends z.ZodType>(schema: S, data: unknown, file: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = issuesToErrors(file, data, result.error.issues);
  if (errors.length === 1) throw errors[0];
  throw new FormatErrors(errors);
}

/** Read, parse and validate a JSON file. */
export function loadJsonFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new NotFoundError(`${file}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return validateData(schema, parseJsonText(text, file), file);
}
