/**
 * The stimulus options of the commands that apply one binary pattern stimulus to a bench
 * (`simulate`, `sweep-open`): --pattern, --windows, --iw-ps, --lw-ps, and the check of
 * --pattern against the bench's first-layer rows.
 *
 *   addStimulusOptions(program.command("simulate").argument("<testbench>"));
 *   parsePatternOption("1111,0111", 4, "testbenches/black-pixel-4x1.json")  // → ["1111", "0111"]
 */
import type { Command } from "commander";
import { OptionError, parseIntOption, parsePositiveIntOption } from "./cli-context.ts";

/** What commander gives for the options `addStimulusOptions` adds. */
export interface StimulusOptions {
  /** Input bits, one per first-layer row; comma-separated, one pattern per window. */
  pattern?: string;
  /** Number of coding windows. */
  windows: number;
  /** Integrate window, ps (default: the bench's). */
  iwPs?: number;
  /** Leaky window, ps (default: the bench's). */
  lwPs?: number;
}

/** Add --pattern, --windows (default 3), --iw-ps and --lw-ps to a command. */
export function addStimulusOptions(cmd: Command): Command {
  return cmd
    .option("--pattern <bits>", "input bits, one per first-layer row; comma-separate one pattern per window (default: all ones)")
    .option("--windows <n>", "number of coding windows", parseIntOption("--windows", "windows"), 3)
    .option("--iw-ps <ps>", "integrate window, ps (default: the bench's)", parsePositiveIntOption("--iw-ps", "1000"))
    .option("--lw-ps <ps>", "leaky window, ps (default: the bench's)", parsePositiveIntOption("--lw-ps", "9000"));
}

/** The --pattern value as one pattern per window, each checked to have `rows` bits; undefined when not given. */
export function parsePatternOption(pattern: string | undefined, rows: number, file: string): string[] | undefined {
  const patterns = pattern?.split(",");
  for (const p of patterns ?? []) {
    if (!/^[01]+$/.test(p) || p.length !== rows) {
      throw new OptionError(`--pattern expects ${rows} bits (0/1) per window for ${file}, comma-separated per window; got "${p}"`);
    }
  }
  return patterns;
}
