/**
 * `snn-atpg merge part-*.jsonl`: join the parts of a sharded run (`coverage`, `lifetime` or `diagnose`'s dictionary build
 * with `--shard i/N --out part-i.jsonl`, one per machine of a cluster job) into the report
 * an unsharded run prints. The parts must come from one campaign (bench, tool version,
 * options …) and hold every shard exactly once; anything else is a located error (exit 2).
 * The kind of campaign is read from the parts' header (part-kinds.ts).
 *
 *   snn-atpg merge out/part-0.jsonl out/part-1.jsonl out/part-2.jsonl --json
 *   snn-atpg merge out/part-*.jsonl --html report.html        # coverage parts
 *   snn-atpg merge out/life-*.jsonl --svg lifetime.svg        # lifetime parts
 *   snn-atpg merge out/dict-*.jsonl --cache-dir cache/        # dictionary parts: cached for diagnose
 */
import type { Command } from "commander";
import type { CliContext, CommandDefinition } from "../cli-context.ts";
import { OptionError, parseIntOption, parseNumberOption } from "../cli-context.ts";
import { checkOutputPath } from "../output-file.ts";
import { kindSpecificOptions, partKindOf, type MergeOptions } from "../part-kinds.ts";
import { MergeError } from "../part-merge.ts";
import { runMetadata } from "../run-metadata.ts";
import type { CoverageRunMetadata } from "../../report/coverage-html.ts";

export async function runMerge(files: string[], o: MergeOptions, ctx: CliContext, run?: CoverageRunMetadata): Promise<void> {
  if (files.length === 0) throw new MergeError("merge: give the part files (e.g. snn-atpg merge out/part-*.jsonl)");
  const kind = partKindOf(files[0]);
  for (const [key, flag] of Object.entries(kindSpecificOptions) as [keyof typeof kindSpecificOptions, string][]) {
    if (o[key] !== undefined && o[key] !== false && !(kind.options as readonly string[]).includes(key)) throw new OptionError(`${flag} does not apply to ${kind.format} parts (their report takes ${kind.options.map((k) => kindSpecificOptions[k]).join(", ")}, --json)`);
  }
  checkOutputPath(o.html, "--html");
  checkOutputPath(o.faultsOut, "--faults-out");
  checkOutputPath(o.svg, "--svg");
  await kind.merge(files, o, ctx, run);
}

export const mergeCommand: CommandDefinition = {
  name: "merge",
  register(program: Command, ctx: CliContext) {
    program
      .command("merge")
      .description(
        "Read the part files written by `coverage`, `lifetime` or `diagnose <program>` with `--shard i/N --out part-i.jsonl` " +
          "(one per cluster task), check that they belong to the same bench, tool version and options and that every shard is " +
          "there exactly once, and print the report an unsharded run prints. Coverage parts: the bench and program are read " +
          "again from the paths in the parts' header (their sha256 must match). Dictionary parts: the fault dictionary is written to " +
          "the cache diagnose reads (--json also prints it). The part format is published as " +
          "schemas/part-record.schema.json.",
      )
      .argument("<parts...>", "part files (.jsonl)")
      .option("--json", "print the report as one JSON object (as the command's --json)")
      .option("--html <file>", "coverage: also write the self-contained HTML report")
      .option("--faults-out <file>", "coverage: also write the faults not detected (ND/AU/PD) as a fault list")
      .option("--limit <n>", "coverage: how many undetected faults to list", parseIntOption("--limit"), 20)
      .option("--all", "coverage: list every undetected fault")
      .option("--svg <file>", "lifetime: write the plot")
      .option("--floor <acc>", "lifetime: the years until the mean accuracy falls below this fraction", parseNumberOption("--floor"))
      .option("--cache-dir <dir>", "dictionary: where the merged fault dictionary is cached for diagnose (default ~/.cache/snn-atpg/dictionaries)")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg merge out/part-0.jsonl out/part-1.jsonl out/part-2.jsonl\n  snn-atpg merge out/part-*.jsonl --json > coverage.json\n" +
          "  snn-atpg merge out/life-*.jsonl --floor 0.85 --svg lifetime.svg",
      )
      .action((parts: string[], o: MergeOptions, cmd: Command) => runMerge(parts, o, ctx, runMetadata(cmd, ctx)));
  },
};
