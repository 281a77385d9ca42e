/**
 * Exit codes of every snn-atpg command, and the one place that maps an error to one.
 * Library errors say what went wrong (`src/formats/errors.ts`); this table says how the
 * process ends. `--help` prints it, and the README's "Exit codes" table must match it
 * (test/cli/error-root.test.ts).
 *
 *   exitCodeOf(new PortError("/dev/ttyUSB0: closed"))   // 3
 *   exitCodeOf(new TypeError("x is undefined"))         // 70: a bug
 */
import { BenchError, InputError, InterruptedError } from "../formats/errors.ts";

export const exitCodes = {
  ok: 0,
  deviceFailed: 1,
  badInput: 2,
  benchError: 3,
  internal: 70,
  interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** Every exit code with its meaning, in the order `--help` and the README list them. */
export const exitCodeTable: readonly { code: ExitCode; meaning: string }[] = [
  { code: exitCodes.ok, meaning: "success (run: every vector passed)" },
  { code: exitCodes.deviceFailed, meaning: "the device under test failed" },
  { code: exitCodes.badInput, meaning: "bad input (file, flag, site or model id); the message names the place and the fix" },
  { code: exitCodes.benchError, meaning: "bench or infrastructure error (port, board, instrument, timeout, worker, disk)" },
  { code: exitCodes.internal, meaning: "internal error (a bug); the stack is printed" },
  { code: exitCodes.interrupted, meaning: "interrupted; every finished result was flushed first" },
];

export const exitCodeHelp = ["Exit codes:", ...exitCodeTable.map((r) => `  ${String(r.code).padEnd(5)}${r.meaning}`)].join("\n");

/**
 * The exit code of an error that ended a command: by its kind (`instanceof`), so every
 * subclass follows its base. Anything else, `SnnAtpgError` itself included, is a bug (70).
 */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof InputError) return exitCodes.badInput;
  if (err instanceof BenchError) return exitCodes.benchError;
  if (err instanceof InterruptedError) return exitCodes.interrupted;
  return exitCodes.internal;
}
