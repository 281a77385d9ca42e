/**
 * What a report records about the run that made it: the tool version, the date
 * (SOURCE_DATE_EPOCH when set, for reproducible files), the command line as typed and
 * every option of the command with its value and whether it was given or defaulted.
 *
 *   .action((tb, prog, o, cmd: Command) => run(tb, prog, o, ctx, runMetadata(cmd, ctx)))
 */
import type { Command } from "commander";
import { toolVersionString } from "../formats/tool-version.ts";
import type { CoverageRunMetadata } from "../report/coverage-html.ts";
import type { CliContext } from "./cli-context.ts";
import { exportDate } from "./export-date.ts";

/** One shell word, quoted only when it needs to be. */
function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function valueText(v: unknown): string {
  if (v === undefined) return "(not set)";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The run metadata of a command about to run (`cmd` is the subcommand commander passes to its action). */
export function runMetadata(cmd: Command, ctx: CliContext): CoverageRunMetadata {
  const words = ctx.argv ? ctx.argv.slice(2) : [cmd.name(), ...cmd.args];
  const options = cmd.options
    .filter((opt) => opt.long !== "--help")
    .map((opt) => {
      const key = opt.attributeName();
      const v: unknown = cmd.getOptionValue(key);
      // `--no-drop` stores drop = true by default: state the flag's own truth, not the attribute's
      const value = opt.negate && typeof v === "boolean" ? String(!v) : valueText(v);
      return { name: (opt.long ?? opt.short ?? key).replace(/^-+/, ""), value, given: cmd.getOptionValueSource(key) === "cli" };
    });
  return { toolVersion: toolVersionString, date: exportDate(), commandLine: ["snn-atpg", ...words].map(shellWord).join(" "), options };
}
