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
import { checkJsonDepth, limitOfMessage, limitText } from "./limits.ts";

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
  // JSON.parse reads 1e999 as Infinity, which JSON.stringify would print as null.
  if (typeof value === "number" && !Number.isFinite(value)) return `a number too large (it reads as ${value})`;
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

/**
 * Offset of a JSON syntax error whose message gives no position (V8 says only
 * `Unexpected token 'o', "…" is not valid JSON`): the shortest prefix that fails for a
 * reason other than running out of input ends just past the offending character.
 */
function syntaxErrorOffset(text: string): number {
  const failsBeforeEnd = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (err) {
      const msg = (err as Error).message;
      if (/Unexpected end of JSON input/.test(msg)) return false;
      const m = /position (\d+)/.exec(msg);
      return !(m && Number(m[1]) >= k);
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsBeforeEnd(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

/** Parse JSON text; a syntax error becomes a FormatError with line and column. */
export function parseJsonText(text: string, file: string): unknown {
  // A UTF-8 byte order mark (some Windows editors write one) is not JSON, but carries no meaning: accept it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  checkJsonDepth(text, file);
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    let where = "end of file";
    const pos = m ? Number(m[1]) : /^Unexpected token/.test(msg) ? syntaxErrorOffset(text) : null;
    if (pos !== null) {
      const before = text.slice(0, pos);
      const line = before.split("\n").length;
      const column = pos - before.lastIndexOf("\n");
      // One-line texts are JSON Lines records whose `file` already names the line.
      where = text.includes("\n") ? `line ${line} column ${column}` : `column ${column}`;
    }
    // V8 quotes the start of the text (`…, "not json {\n" is not valid JSON`): keep the message one short line.
    const found = msg
      .replace(/^JSON\.parse: /, "")
      .replace(/, .*is not valid JSON$/s, "")
      .replace(/ in JSON at position \d+.*$/s, "");
    throw new FormatError({
      file,
      where,
      expected: "valid JSON",
      found,
      hint: "check for a missing comma, quote or bracket near that place",
    });
  }
}

/** What an issue zod words as "Too small: expected number to be >=0", in our words ("a number ≥ 0"). */
function expectedOf(issue: z.core.$ZodIssue): string {
  const noun: Record<string, string> = { number: "a number", int: "an integer", bigint: "an integer", string: "a string", array: "a list", set: "a set", file: "a file" };
  switch (issue.code) {
    case "too_small":
    case "too_big": {
      const small = issue.code === "too_small";
      const limit = small ? undefined : limitOfMessage(issue.message);
      if (limit) return limitText(limit);
      const bound = Number(small ? issue.minimum : issue.maximum);
      const op = small ? (issue.inclusive ? "≥" : ">") : issue.inclusive ? "≤" : "<";
      if (issue.origin === "string") return `a string of ${small ? "at least" : "at most"} ${issue.inclusive ? bound : small ? bound + 1 : bound - 1} character(s)`;
      if (issue.origin === "array" || issue.origin === "set") return `a list of ${small ? "at least" : "at most"} ${issue.inclusive ? bound : small ? bound + 1 : bound - 1} item(s)`;
      return `${noun[issue.origin] ?? "a value"} ${op} ${bound}`;
    }
    case "invalid_format":
      return issue.format === "regex" && "pattern" in issue ? `a string matching ${String(issue.pattern)}` : `a string in ${issue.format} format`;
    case "not_multiple_of":
      return `a multiple of ${String(issue.divisor)}`;
    case "invalid_union": {
      const m = /Expected (.+)$/.exec(issue.message);
      return m ? `one of ${m[1].replace(/'/g, '"').split(" | ").join(", ")}` : issue.message;
    }
    default:
      return issue.message;
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
      case "invalid_value": {
        const values = issue.values.map((v) => JSON.stringify(v));
        return new FormatError({ file, where, expected: values.length === 1 ? values[0] : `one of ${values.join(", ")}`, found });
      }
      default:
        return new FormatError({ file, where, expected: expectedOf(issue), found });
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
