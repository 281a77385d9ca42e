/**
 * `snn-atpg merge part-*.jsonl`: join the parts of a sharded coverage run (`coverage
 * --shard i/N --out part-i.jsonl`, one per machine of a cluster job) into the report an
 * unsharded run prints — the same table, `--json`, `--html` and `--faults-out`. The parts
 * must come from one campaign (bench, program, tool version, models, options) and hold
 * every shard exactly once; anything else is a located error (exit 2).
 *
 *   snn-atpg merge out/part-0.jsonl out/part-1.jsonl out/part-2.jsonl --json
 *   snn-atpg merge out/part-*.jsonl --html report.html
 */
import type { Command } from "commander";
import type { CliContext, CommandDefinition } from "../cli-context.ts";
import { parseIntOption } from "../cli-context.ts";
import { joinParts, readMatchingParts } from "../coverage-parts.ts";
import { emitCoverage, prepareCoverage, type CoverageOutputOptions } from "../coverage-run.ts";
import { checkOutputPath } from "../output-file.ts";
import { runMetadata } from "../run-metadata.ts";
import type { CoverageRunMetadata } from "../../report/coverage-html.ts";

export async function runMerge(files: string[], o: CoverageOutputOptions, ctx: CliContext, run?: CoverageRunMetadata): Promise<void> {
  checkOutputPath(o.html, "--html");
  checkOutputPath(o.faultsOut, "--faults-out");
  const parts = readMatchingParts(files);
  const h = parts[0].header;
  const campaign = { engine: h.campaign.engine, drop: h.campaign.drop, pdCredit: h.campaign.pdCredit, ...h.campaign.universe };
  // The bench and program as the shards named them (the same paths an unsharded run reports).
  const prep = await prepareCoverage(h.testbench.file, h.program.file, campaign, ctx, false);
  const result = joinParts(parts, prep);
  emitCoverage(prep, result, { ...campaign, ...o }, ctx, run);
}

export const mergeCommand: CommandDefinition = {
  name: "merge",
  register(program: Command, ctx: CliContext) {
    program
      .command("merge")
      .summary("join the parts of a sharded coverage run into one coverage report")
      .description(
        "Read the part files written by `coverage --shard i/N --out part-i.jsonl` (one per cluster task), check that " +
          "they belong to the same bench, program, tool version, fault models and options and that every shard is there " +
          "exactly once, and print the report an unsharded `coverage` run prints. The bench and program are read again " +
          "from the paths in the parts' header (their sha256 must match).",
      )
      .argument("<parts...>", "part files (.jsonl)")
      .option("--json", "print the report as one JSON object (as coverage --json)")
      .option("--html <file>", "also write the self-contained HTML report")
      .option("--faults-out <file>", "also write the faults not detected (ND/AU/PD) as a fault list")
      .option("--limit <n>", "how many undetected faults to list", parseIntOption("--limit"), 20)
      .option("--all", "list every undetected fault")
      .addHelpText("after", "\nExamples:\n  snn-atpg merge out/part-0.jsonl out/part-1.jsonl out/part-2.jsonl\n  snn-atpg merge out/part-*.jsonl --json > coverage.json")
      .action((parts: string[], o: CoverageOutputOptions, cmd: Command) => runMerge(parts, o, ctx, runMetadata(cmd, ctx)));
  },
};
