/**
 * `snn-atpg ternary-coverage <testbench> <program>`: fault coverage of a test program on
 * a ternary (differential-pair) array bench — Hou et al., ITC 2022 natively. The program
 * is our ternary-program JSON, or Hou's own test_algorithm.txt (`W`, `VTH`, `SWP`, `S`,
 * `SZ`); the faults are the models of `--models` (default fault-models/hou-itc22/).
 *
 *   snn-atpg ternary-coverage hou-itc22-n8 programs/hou-itc22-90n.json
 *   snn-atpg ternary-coverage hou-itc22-n8 programs/hou-itc22-90n.json --drop S5-41 --json
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { houAlgorithmProgram, programTicks, withoutSteps } from "../../atpg/hou-algorithm.ts";
import { loadFaultModels } from "../../faults/fault-model-loader.ts";
import { ternaryCoverage } from "../../faultsim/ternary-coverage.ts";
import type { TernaryEngineId } from "../../faultsim/ternary-engines.ts";
import { loadJsonFile } from "../../formats/load-json.ts";
import { ternaryProgramSchema, type TernaryProgram } from "../../formats/ternary-program-format.ts";
import { packageRoot } from "../../package-root.ts";
import { formatTable } from "../../report/format-table.ts";
import { loadBenchArg } from "../bench-file.ts";
import { OptionError, type CliContext, type CommandDefinition } from "../cli-context.ts";

interface TernaryCoverageOptions {
  drop?: string;
  engine: string;
  models?: string;
  json?: boolean;
}

function readProgram(file: string, benchId: string): TernaryProgram {
  if (file.endsWith(".txt")) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (err) {
      throw new OptionError(`${file}: cannot read the algorithm (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    return houAlgorithmProgram(text, benchId, file);
  }
  return loadJsonFile(file, ternaryProgramSchema);
}

export function runTernaryCoverage(benchArg: string, programFile: string, o: TernaryCoverageOptions, ctx: CliContext): void {
  if (o.engine !== "fast" && o.engine !== "reference") throw new OptionError(`--engine expects fast or reference, got "${o.engine}"`);
  const { bench } = loadBenchArg(benchArg);
  const drop = o.drop ? o.drop.split(",").map((s) => s.trim()).filter(Boolean) : [];
  const program = withoutSteps(readProgram(programFile, bench.id), drop);
  const models = loadFaultModels([o.models ?? join(packageRoot, "fault-models", "hou-itc22")]);
  const c = ternaryCoverage(bench, program, models, o.engine as TernaryEngineId);
  const rows = bench.layers[0].rows;
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: bench.id, steps: program.steps.map((s) => s.id), ticks: programTicks(program, rows), engine: o.engine, byModel: c.byModel, total: c.total, goodChipFails: c.result.goodChipFails }));
  } else {
    ctx.out(`${bench.id}: ${program.steps.map((s) => s.id).join(" ")} — ${programTicks(program, rows)} ticks, ${c.total.all} faults of ${models.length} models (${o.engine} engine)`);
    const line = (id: string, k: typeof c.total) => [id, String(k.all), String(k.DT), String(k.PD), String(k.ND), `${k.coveragePercent.toFixed(2)} %`];
    for (const l of formatTable(["model", "all", "DT", "PD", "ND", "coverage"], [...Object.entries(c.byModel).map(([id, k]) => line(id, k)), line("total", c.total)])) ctx.out(l);
  }
  for (const f of c.result.goodChipFails.slice(0, 5)) ctx.err(`warning: the good chip fails ${f.stepId} on row ${f.row} (${f.signature.join(" ")}): the program is no test of this bench's band`);
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
