/**
 * The documented size limits — one home for every bound a file or option is checked
 * against before anything is allocated (issue 11 item 8). A hostile size (a 10⁵×10⁵
 * layer, 10⁹ windows, 100,000-deep JSON) is bad input: exit 2 naming the limit, never a
 * stack overflow, an invalid typed-array length or a hang. docs/limits.md lists them.
 *
 *   z.number().int().positive().max(...limitMax("windows"))   // in a schema: JSON Schema `maximum`
 *   checkLimit("trials", o.trials, "--trials");               // an option: LimitError naming the limit
 *   checkJsonDepth(text, "p.json");                           // before JSON.parse
 *
 * Each bound is well above every shipped bench and program (bnn-784x1024x10: 784 rows,
 * 1,024 columns, 812,800 cells; programs use ≤ 20 windows and ≤ 100 repetitions).
 */
import { InputError } from "./errors.ts";
import { FormatError } from "./format-error.ts";

export const limits = {
  jsonDepth: { max: 64, what: "levels of JSON nesting in a file or line" },
  layerRows: { max: 65_536, what: "rows in one layer" },
  layerCols: { max: 65_536, what: "columns in one layer" },
  benchCells: { max: 16_777_216, what: "crossbar cells in a testbench (all layers)" },
  windows: { max: 10_000, what: "coding windows in one vector or simulation" },
  repetitions: { max: 10_000, what: "repetitions of one vector (fixed count, SPRT maximum)" },
  trials: { max: 1_000_000, what: "Monte-Carlo trials" },
  timeSteps: { max: 100_000, what: "time steps of a sweep" },
  logLines: { max: 16, what: "`! LOG` / instrument lines kept per vector, over all its repetitions (the first 8 and the last 8; the rest are counted in logsOmitted)" },
  logLineChars: { max: 256, what: "characters kept of one `! LOG` line (the rest cut, marked with …)" },
} as const;

export type LimitId = keyof typeof limits;

/** A value beyond a documented limit (exit 2). */
export class LimitError extends InputError {}

/** How a message names a limit: "at most 10000 (limit windows, docs/limits.md)". */
export function limitText(id: LimitId): string {
  return `at most ${limits[id].max} ${limits[id].what} (limit \`${id}\`, docs/limits.md)`;
}

/** zod `.max()` arguments: the bound and a message naming the limit (load-json shows it). */
export function limitMax(id: LimitId): [number, string] {
  return [limits[id].max, `limit:${id}`];
}

/** The limit a zod issue message names (see limitMax), if any. */
export function limitOfMessage(message: string): LimitId | undefined {
  const id = /^limit:(\w+)$/.exec(message)?.[1];
  return id !== undefined && id in limits ? (id as LimitId) : undefined;
}

/** Throw a LimitError when `value` is beyond the limit; `what` names the option or field. */
export function checkLimit(id: LimitId, value: number, what: string): void {
  if (!(value > limits[id].max)) return;
  throw new LimitError(`${what} ${value}: ${limitText(id)}`);
}

/**
 * Refuse JSON nested deeper than the limit, by a scan of the text (strings skipped)
 * before it is parsed: validation, hashing and messages recurse over the parsed value.
 */
export function checkJsonDepth(text: string, file: string): void {
  const max = limits.jsonDepth.max;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // skip a string, with its escapes
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        const before = text.slice(0, i);
        const line = before.split("\n").length;
        throw new FormatError({ file, where: text.includes("\n") ? `line ${line} column ${i - before.lastIndexOf("\n")}` : `column ${i + 1}`, expected: limitText("jsonDepth"), found: `more than ${max} nested arrays/objects` });
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}
