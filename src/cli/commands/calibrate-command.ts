/**
 * `snn-atpg calibrate <device> --testbench <tb> [-o out.json]`: fit the behavioural
 * neuron of a testbench to the macrospin device model at the bench's window timing,
 * report how well they agree, and optionally write the calibrated testbench.
 *
 *   snn-atpg calibrate seed002-she-eb20 --testbench black-pixel-4x1 -o tb-calibrated.json
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { calibratedTestbench, shadowedOverrides } from "../../characterise/calibrated-testbench.ts";
import { calibrateNeuron } from "../../characterise/neuron-calibration.ts";
import { neuronModels, type NeuronModelId } from "../../sim/neuron/neuron-registry.ts";
import { loadBenchArg } from "../bench-file.ts";
import { OptionError, parseIntOption, parseNumberOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { loadDeviceArg } from "../device-file.ts";
import { runnerFor } from "../device-workers.ts";
import { jobsAliasFlag, jobsFlag, jobsOption, type JobsOptions } from "../jobs-option.ts";
import { checkOutputPath, writeOutputFile } from "../output-file.ts";
import { schemaRefFor } from "../schema-ref.ts";

interface CalibrateOpts extends JobsOptions {
  testbench: string;
  output?: string;
  model?: string;
  trials: number;
  trains: number;
  trialsPerTrain: number;
  seed: number;
  timeStepPs?: number;
  json?: boolean;
}

export async function runCalibrate(deviceArg: string, o: CalibrateOpts, ctx: CliContext): Promise<void> {
  const { device } = loadDeviceArg(deviceArg);
  const { bench, file } = loadBenchArg(o.testbench);
  if (o.model !== undefined && !(o.model in neuronModels)) {
    throw new OptionError(`--model must be one of ${Object.keys(neuronModels).join(", ")}, got "${o.model}"`);
  }
  if (o.trialsPerTrain < 1 || o.trialsPerTrain % 2 === 0) {
    throw new OptionError(`--trials-per-train must be odd (a majority decides each train), got ${o.trialsPerTrain}`);
  }
  if (o.trials < 10) throw new OptionError(`--trials must be at least 10 per current, got ${o.trials}`);
  if (o.trains < 1) throw new OptionError(`--trains must be at least 1, got ${o.trains}`);
  if (o.timeStepPs !== undefined && !(o.timeStepPs > 0 && o.timeStepPs <= 1)) {
    throw new OptionError(`--time-step-ps must be in (0, 1] ps, got ${o.timeStepPs}`);
  }
  checkOutputPath(o.output, "--output");
  const runner = runnerFor(jobsOption(o, { allowZero: true }));
  ctx.signal.addEventListener("abort", () => void runner.close(), { once: true }); // Ctrl-C stops the threads at once
  let cal;
  try {
    cal = await calibrateNeuron(device, bench, runner, {
      seed: o.seed,
      model: o.model as NeuronModelId | undefined,
      curveTrials: o.trials,
      trains: o.trains,
      trialsPerTrain: o.trialsPerTrain,
      timeStepPs: o.timeStepPs,
    });
  } finally {
    await runner.close();
  }
  let written: string | null = null;
  if (o.output) {
    const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const { json } = calibratedTestbench(raw, o.output, cal, schemaRefFor(o.output, "testbench.schema.json"));
    writeOutputFile(o.output, json, "--output");
    written = o.output;
  }
  const shadowed = shadowedOverrides(bench);
  if (o.json) {
    ctx.out(JSON.stringify({ ...cal, written, shadowedOverrides: shadowed }));
    return;
  }
  const b = cal.curves.bench.fit;
  const s = cal.curves.second.fit;
  const p = cal.params;
  const a = cal.agreement;
  ctx.out(`calibrating ${bench.id} (IW ${cal.iwPs} ps, LW ${cal.lwPs} ps) to device ${cal.deviceId}`);
  ctx.out(`device: E_B ${cal.device.energyBarrierKt.toFixed(1)} k_BT, I_c(T = 0) ${cal.device.criticalCurrentUa.toFixed(1)} µA, leak τ ${(cal.device.relaxationTauNs * 1000).toFixed(1)} ps`);
  ctx.out(`switching: I50 ${b.midpointUa.toFixed(1)} ± ${b.midpointStdErrUa.toFixed(1)} µA at ${cal.iwPs} ps (scale ${b.scaleUa.toFixed(2)} µA); ${s.midpointUa.toFixed(1)} ± ${s.midpointStdErrUa.toFixed(1)} µA at ${cal.secondPulsePs} ps`);
  ctx.out(
    `neuron (${p.model}): criticalCurrentUa ${p.criticalCurrentUa.toFixed(2)}, gainPerUaNs ${p.gainPerUaNs.toPrecision(4)}, leakTauNs ${p.leakTauNs.toPrecision(4)}, threshold ${p.threshold}, sigmoidWidth ${p.sigmoidWidth.toPrecision(3)}` +
      (p.restLevel !== undefined ? `, restLevel ${p.restLevel.toPrecision(4)}, switchDelayNs ${(p.switchDelayNs ?? 0).toPrecision(3)}` : ""),
  );
  ctx.out(`  the calibrated neuron predicts I50 ${cal.predictedSecondI50Ua.toFixed(1)} µA at ${cal.secondPulsePs} ps (device: ${s.midpointUa.toFixed(1)} µA)`);
  if (cal.fitNote) ctx.out(`  note: ${cal.fitNote}`);
  ctx.out(
    `agreement over ${a.trains} random trains of ${a.windowsPerTrain} windows (pulses 0–${a.maxAmplitudeUa.toFixed(1)} µA, ${a.trialsPerTrain} device trials each):`,
  );
  for (const [model, m] of Object.entries(cal.agreementByModel)) {
    ctx.out(
      `  ${model === p.model ? "*" : " "} ${model.padEnd(20)} spike/no-spike ${(m.spikeAgreement * 100).toFixed(1)} %, ` +
        `first-spike window ${(m.firstWindowAgreement * 100).toFixed(1)} %, mean |ΔP| ${m.meanProbabilityGap.toFixed(3)}`,
    );
  }
  if (shadowed.length) ctx.err(`warning: layer overrides keep their own values and ignore the calibration: ${shadowed.join(", ")}`);
  ctx.out(written ? `wrote ${written}` : "not written (give -o <file> to write the calibrated testbench)");
}

export const calibrateCommand: CommandDefinition = {
  name: "calibrate",
  register(program: Command, ctx: CliContext) {
    program
      .command("calibrate")
      .description(
        "Measure the device's switching curves at the testbench's integrate window, map them onto the " +
          "behavioural neuron (critical current, gain, leak, threshold, sigmoid width), and check spike/no-spike " +
          "agreement over random pulse trains at the bench timing. See docs/device-model.md.",
      )
      .argument("<device>", "device file or shipped device id (devices/)")
      .requiredOption("--testbench <tb>", "testbench file or shipped id whose neuron is calibrated")
      .option("-o, --output <file>", "write the calibrated testbench here")
      .option("--model <id>", "behavioural model to calibrate (default: the testbench's)")
      .option("--trials <n>", "trials per current of the switching curves", parseIntOption("--trials", "trials"), 200)
      .option("--trains <n>", "random pulse trains for the agreement check", parseIntOption("--trains"), 300)
      .option("--trials-per-train <n>", "device trials per train (odd)", parseIntOption("--trials-per-train", "trials"), 25)
      .option("--seed <n>", "RNG seed", parseSeedOption("--seed"), 1)
      .option("--time-step-ps <ps>", "integration step, at most 1 ps (default: the device's)", parseNumberOption("--time-step-ps"))
      .addOption(jobsFlag())
      .addOption(jobsAliasFlag("--workers"))
      .option("--json", "print the calibration record as JSON")
      .addHelpText("after", "\nExample:\n  snn-atpg calibrate seed002-she-eb20 --testbench black-pixel-4x1 -o tb-calibrated.json")
      .action((arg: string, o: CalibrateOpts) => runCalibrate(arg, o, ctx));
  },
};
