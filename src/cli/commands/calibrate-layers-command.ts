/**
 * `snn-atpg calibrate-layers <testbench>`: per-layer critical current and gain from the
 * layer's own column currents, so a realistic share of neurons sits at the one-window
 * firing edge (src/characterise/layer-calibration.ts; was scripts/calibrate-layers.ts).
 * Never writes a parameter it could not derive: a layer whose currents do not spread above
 * its critical current is an error with the numbers (exit 2), and nothing is written.
 *
 *   snn-atpg calibrate-layers seed003-dmtj-mlp-400x100x10
 *   snn-atpg calibrate-layers my-bench.json --fire-fraction 0.3 -o my-bench.calibrated.json
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { balancedReferenceWeight, calibratedLayersBench, calibrateLayers, firingCheck } from "../../characterise/layer-calibration.ts";
import { formatTable } from "../../report/format-table.ts";
import { loadBenchArg } from "../bench-file.ts";
import { parseNumberOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { checkOutputPath, writeOutputFile } from "../output-file.ts";
import { schemaRefFor } from "../schema-ref.ts";

interface CalibrateLayersOptions {
  fireFraction: number;
  seed: number;
  output?: string;
  json?: boolean;
}

export function runCalibrateLayers(benchArg: string, o: CalibrateLayersOptions, ctx: CliContext): void {
  const { bench, file } = loadBenchArg(benchArg);
  checkOutputPath(o.output, "--output");
  const cal = calibrateLayers(bench, { fireFraction: o.fireFraction, seed: o.seed });
  if (o.output) {
    // the bench file as written, with each layer's neuron override replaced (its notes and sources kept)
    const raw = JSON.parse(readFileSync(file, "utf8")) as { $schema?: string; layers: { neuron?: Record<string, unknown> }[] };
    raw.layers.forEach((l, i) => (l.neuron = { ...l.neuron, ...cal.layers[i].neuron }));
    writeOutputFile(o.output, `${JSON.stringify({ ...raw, $schema: schemaRefFor(o.output, "testbench.schema.json") }, null, 2)}\n`, "--output");
  }
  const balanced = Number(balancedReferenceWeight(bench.device).toFixed(4));
  const check = firingCheck(calibratedLayersBench(bench, cal));
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: bench.id, fireFraction: o.fireFraction, seed: o.seed, written: o.output ?? null, ...cal, balancedReferenceWeight: balanced, firingCheck: check }));
    return;
  }
  ctx.out(`${bench.id}: per-layer neuron calibration (about ${(100 * o.fireFraction).toFixed(0)} % of neurons fire in one window; I_c = 30th percentile of the neuron current, clamped at 0)`);
  const rows = cal.layers.map((l) => [
    String(l.layer),
    `${l.quantilesUa.q10.toFixed(1)} / ${l.quantilesUa.q50.toFixed(1)} / ${l.quantilesUa.q90.toFixed(1)}`,
    l.neuron.criticalCurrentUa.toFixed(2),
    l.fireCurrentUa.toFixed(2),
    String(l.neuron.gainPerUaNs),
  ]);
  for (const line of formatTable(["layer", "current 10/50/90 % (µA)", "I_c (µA)", "fires at (µA)", "gain (1/(µA·ns))"], rows)) ctx.out(`  ${line}`);
  ctx.out(`balanced reference-cell weight for a differential read: ${balanced} (the bench's: ${bench.device.referenceColumn?.weight ?? "none, single-ended"})`);
  ctx.out(`check, with these parameters (10 random 3-window vectors per input density, seed 64): ${check.map((c) => `density ${c.density}: ${c.layer0FiringPercent} % of layer-0 neurons fire, output spikes ${c.outputSpikesPerVector.join(" ")}`).join("; ")}`);
  if (o.output) ctx.out(`wrote ${o.output}`);
}

export const calibrateLayersCommand: CommandDefinition = {
  name: "calibrate-layers",
  register(program: Command, ctx: CliContext) {
    program
      .command("calibrate-layers")
      .description(
        "For each layer, drive random input sets, take the distribution of the neuron current (minus the reference " +
          "column's when the bench reads differentially), and set the critical current at its 30th percentile (not below 0) " +
          "and the gain so that the (1 − fire fraction) quantile reaches the threshold in one integrate window. A layer whose " +
          "currents do not spread above its critical current cannot be calibrated: the error gives the numbers and nothing is written.",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench (e.g. seed003-dmtj-mlp-400x100x10)")
      .option("--fire-fraction <f>", "share of neurons that fire in one window, in (0, 0.7)", parseNumberOption("--fire-fraction"), 0.35)
      .option("--seed <s>", "seed of the random input sets", parseSeedOption("--seed"), 7)
      .option("-o, --output <file>", "write the testbench with the calibrated layer overrides")
      .option("--json", "print one JSON object")
      .addHelpText("after", "\nExamples:\n  snn-atpg calibrate-layers seed003-dmtj-mlp-400x100x10\n  snn-atpg calibrate-layers mlp-16x8x4 --fire-fraction 0.3 -o out/mlp.calibrated.json --json")
      .action((tb: string, o: CalibrateLayersOptions) => runCalibrateLayers(tb, o, ctx));
  },
};
