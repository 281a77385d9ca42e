/**
 * `snn-atpg ternary-coverage <testbench> <program>`: fault coverage of a test program on
 * a ternary (differential-pair) array bench — Hou et al., ITC 2022 natively. An alias of
 * `coverage` on such a bench (cli/ternary-chip.ts) that also reads Hou's algorithm text and
 * takes `--drop` (an ablation). The program
 * is our ternary-program JSON, or Hou's own test_algorithm.txt (`W`, `VTH`, `SWP`, `S`,
 * `SZ`); the faults are the models of `--models` (default fault-models/hou-itc22/).
 *
 *   snn-atpg ternary-coverage hou-itc22-n8 programs/hou-itc22-90n.json
 *   snn-atpg ternary-coverage hou-itc22-n8 programs/hou-itc22-90n.json --drop S5-41 --json
 */
import type { Command } from "commander";
import { withoutSteps } from "../../atpg/hou-algorithm.ts";
import { loadBenchArg } from "../bench-file.ts";
import type { CliContext, CommandDefinition } from "../cli-context.ts";
import { readTernaryProgram, ternaryCoverageCli } from "../ternary-chip.ts";

interface TernaryCoverageOptions {
  drop?: string;
  engine: string;
  models?: string;
  json?: boolean;
}

export function runTernaryCoverage(benchArg: string, programFile: string, o: TernaryCoverageOptions, ctx: CliContext): void {
  const { bench } = loadBenchArg(benchArg);
  const drop = o.drop ? o.drop.split(",").map((s) => s.trim()).filter(Boolean) : [];
  const program = withoutSteps(readTernaryProgram(programFile, bench.id), drop);
  ternaryCoverageCli(bench, program, { engine: o.engine, json: o.json, modelsDir: o.models ? [o.models] : undefined }, ctx);
}

export const ternaryCoverageCommand: CommandDefinition = {
  name: "ternary-coverage",
  register(program: Command, ctx: CliContext) {
    program
      .command("ternary-coverage")
      .description(
        "Grades every fault of the ternary-array fault models (default fault-models/hou-itc22/: Hou's 20 classes) against a " +
          "ternary program — our JSON (programs/hou-itc22-90n.json) or Hou's test_algorithm.txt — with the good chip drawn from the " +
          "bench's dV bands. Coverage = DT / all (Hou's figure). --drop removes steps by id (an ablation).",
      )
      .argument("<testbench>", "a bench with a ternaryArray block, or its id (e.g. hou-itc22-n8)")
      .argument("<program>", "ternary program JSON, or Hou's algorithm text (*.txt)")
      .option("--drop <ids>", "comma-separated step ids to leave out (e.g. S5-41)")
      .option("--engine <id>", "fast or reference", "fast")
      .option("--models <dir>", "folder of ternary-array fault models (default fault-models/hou-itc22)")
      .option("--json", "print one JSON object")
      .addHelpText("after", "\nExamples:\n  snn-atpg ternary-coverage hou-itc22-n8 programs/hou-itc22-90n.json\n  snn-atpg ternary-coverage hou-itc22-n16 test_algorithm.txt --drop SZ12")
      .action((tb: string, p: string, o: TernaryCoverageOptions) => runTernaryCoverage(tb, p, o, ctx));
  },
};
