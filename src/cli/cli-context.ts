/**
 * What a command gets from the CLI shell: where to print, and a place to put its exit code.
 * Commands never call process.exit; `main` returns the code.
 *
 *   ctx.out("42 faults"); ctx.setExit(exitCodes.deviceFailed);
 */
import { checkLimit, type LimitId } from "../formats/limits.ts";
import type { Command } from "commander";

export interface CliContext {
  /** Print a line on stdout. */
  out(line: string): void;
  /**
   * Resolves once stdout has taken what was printed (at once when its buffer is not full; on
   * Ctrl-C or a closed stdout too): a command printing a large report awaits it between pieces,
   * so a slow reader (`| gzip`) holds the command back instead of the queue growing until the
   * write fails (ENOBUFS on an 821 MB report).
   */
  drained?(): Promise<void>;
  /** Print a line on stderr (progress, warnings). */
  err(line: string): void;
  /** Write text to stderr as it is, without a newline (a progress line redrawn in place); default process.stderr. */
  errRaw?(text: string): void;
  /** Whether stderr is an interactive terminal (progress bars). */
  stderrIsTty: boolean;
  /** Set the exit code (the highest-priority code wins: last call). */
  setExit(code: number): void;
  /** An AbortSignal raised on Ctrl-C. */
  signal: AbortSignal;
  /** The command line this context runs (`["node", "snn-atpg", …]`), for reports that record it. */
  argv?: readonly string[];
  /** Run another snn-atpg command line (without "node snn-atpg") in this process, on the same streams; resolves to its exit code (the demo's steps). */
  runCli(args: readonly string[]): Promise<number>;
}

/** A command module: adds one subcommand to the program. */
export interface CommandDefinition {
  name: string;
  register(program: Command, ctx: CliContext): void;
}

/** Parse an integer option with a located error. */
export function parseIntOption(name: string, limit?: LimitId) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new OptionError(`${name} expects an integer, got "${value}"`);
    if (limit) checkLimit(limit, n, name);
    return n;
  };
}

/** Parse an integer option that must be at least 1 (baud rates, counts), with a located error. */
export function parsePositiveIntOption(name: string, example: string, limit?: LimitId) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new OptionError(`${name} expects a positive integer (e.g. ${example}), got "${value}"`);
    if (limit) checkLimit(limit, n, name);
    return n;
  };
}

/**
 * Parse a random seed: the generators take it as an unsigned 32-bit integer, so anything
 * outside 0..2^32−1 would silently alias another seed (−1 ≡ 4294967295).
 */
export function parseSeedOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new OptionError(`${name} expects an integer from 0 to 4294967295, got "${value}"`);
    return n;
  };
}

/** Parse a number option with a located error. */
export function parseNumberOption(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new OptionError(`${name} expects a number, got "${value}"`);
    return n;
  };
}

import { InputError } from "../formats/errors.ts";

/** A bad command-line option value. */
export class OptionError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "OptionError";
  }
}
