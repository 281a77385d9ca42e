/**
 * `snn-atpg device …`: the macrospin MTJ spin-Hall neuron model.
 *
 *   snn-atpg device info seed002-she-eb20
 *   snn-atpg device switching seed002-she-eb20 --current-ua 30:90:10 --pulse-ps 500 --trials 200 --svg p.svg
 *   snn-atpg device trace seed002-she-eb20 --pulses 30:300:1000x3 --temperature-k 0 --svg m.svg
 */
import type { Command } from "commander";
import { switchingCurveSvg, traceSvg } from "../../characterise/device-plots.ts";
import { traceMagnetization } from "../../characterise/magnetization-trace.ts";
import { findTransition, currentGrid, measureSwitchingCurve } from "../../characterise/switching-curve.ts";
import { deriveDeviceConstants, type DeviceConstants } from "../../sim/device/device-constants.ts";
import { llgParamsOf } from "../../sim/device/llg-solver.ts";
import type { Pulse } from "../../sim/device/pulse-train.ts";
import { OptionError, parseIntOption, parseNumberOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { loadDeviceArg } from "../device-file.ts";
import { runnerFor } from "../device-workers.ts";
import { jobsAliasFlag, jobsFlag, jobsOption, type JobsOptions } from "../jobs-option.ts";
import { checkOutputPath, writeOutputFile } from "../output-file.ts";

/** Parse FROM:TO:STEP (µA) into a list of currents. */
export function parseCurrentRange(spec: string): number[] {
  const m = /^([0-9.eE+-]+):([0-9.eE+-]+):([0-9.eE+-]+)$/.exec(spec);
  const [from, to, step] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  if (![from, to, step].every(Number.isFinite) || from < 0 || to < from || step <= 0) {
    throw new OptionError(`--current-ua expects FROM:TO:STEP in µA with 0 ≤ FROM ≤ TO and STEP > 0 (e.g. 30:90:10), got "${spec}"`);
  }
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (n > 500) throw new OptionError(`--current-ua ${spec} gives ${n} currents; at most 500 (use a larger STEP)`);
  return Array.from({ length: n }, (_, i) => Number((from + i * step).toPrecision(10)));
}

/**
 * Parse a pulse list: comma-separated `AMP:WIDTH@START` (one pulse) or
 * `AMP:WIDTH:PERIODxCOUNT[@START]` (a train); µA and ps.
 */
export function parsePulses(spec: string): Pulse[] {
  const out: Pulse[] = [];
  for (const item of spec.split(",").map((s) => s.trim())) {
    const train = /^([0-9.eE+-]+):([0-9.eE+]+):([0-9.eE+]+)x(\d+)(?:@([0-9.eE+]+))?$/.exec(item);
    const single = /^([0-9.eE+-]+):([0-9.eE+]+)(?:@([0-9.eE+]+))?$/.exec(item);
    if (train) {
      const [amp, width, period, count, start] = [Number(train[1]), Number(train[2]), Number(train[3]), Number(train[4]), Number(train[5] ?? 0)];
      if (!(width > 0 && period >= width && count >= 1)) throw new OptionError(`--pulses item "${item}": need WIDTH > 0, PERIOD ≥ WIDTH, COUNT ≥ 1`);
      for (let k = 0; k < count; k++) out.push({ currentUa: amp, widthPs: width, startPs: start + k * period });
    } else if (single) {
      const [amp, width, start] = [Number(single[1]), Number(single[2]), Number(single[3] ?? 0)];
      if (!(width > 0) || !Number.isFinite(amp)) throw new OptionError(`--pulses item "${item}": need a current and WIDTH > 0`);
      out.push({ currentUa: amp, widthPs: width, startPs: start });
    } else {
      throw new OptionError(
        `--pulses expects comma-separated AMP:WIDTH@START or AMP:WIDTH:PERIODxCOUNT[@START] (µA, ps), e.g. 30:300:1000x3; got "${item}"`,
      );
    }
  }
  return out;
}

function checkStep(o: { timeStepPs?: number }): void {
  if (o.timeStepPs !== undefined && !(o.timeStepPs > 0 && o.timeStepPs <= 1)) {
    throw new OptionError(`--time-step-ps must be in (0, 1] ps, got ${o.timeStepPs}`);
  }
}

/** Lines describing a device's derived constants. */
export function describeDevice(c: DeviceConstants, published?: number): string[] {
  const fmt = (v: number, d = 3) => Number(v.toPrecision(d)).toString();
  const pub = published === undefined ? "" : ` (published ${published} k_BT, ${(((c.energyBarrierKt - published) / published) * 100).toFixed(1)} %)`;
  const p = llgParamsOf(c);
  return [
    `volume V                      ${fmt(c.volumeM3 * 1e27, 5)} nm³`,
    `demagnetising N_x N_y N_z     ${fmt(c.demag.nx, 5)} ${fmt(c.demag.ny, 5)} ${fmt(c.demag.nz, 5)}`,
    `anisotropy H_k                ${fmt(c.anisotropyFieldAPerM / 1e3, 4)} kA/m (shape ${fmt(c.shapeAnisotropyFieldAPerM / 1e3, 4)}, induced ${fmt(c.inducedAnisotropyFieldAPerM / 1e3, 4)})`,
    `out-of-plane stiffness H_⊥    ${fmt(c.outOfPlaneFieldAPerM / 1e3, 4)} kA/m`,
    `energy barrier E_B            ${fmt(c.energyBarrierJ * 1e21, 4)} zJ = ${fmt(c.energyBarrierKt, 4)} k_BT${pub}`,
    `spin current I_s / I_Q        ${fmt(c.spinCurrentRatio, 4)}  (θ_SH·W_MTJ/t_HM)`,
    `spin-torque field             ${fmt(c.spinFieldAPerMPerUa, 4)} A/m per µA`,
    `critical current (T = 0)      ${fmt(c.criticalCurrentUa, 4)} µA charge, ${fmt(c.criticalSpinCurrentUa, 4)} µA spin`,
    `leak time constant            ${fmt(c.relaxationTauNs * 1000, 4)} ps  ((1+α²)/(αγ(H_k+H_⊥)))`,
    `precession frequency          ${c.precessionGhz > 0 ? `${fmt(c.precessionGhz, 4)} GHz` : "none (overdamped relaxation)"}`,
    `heavy-metal resistance        ${c.heavyMetalOhms === null ? "n/a (no resistivity)" : `${fmt(c.heavyMetalOhms, 4)} Ω`}`,
    `thermal field σ per step      ${fmt(p.thermalSigma, 4)} A/m at ${c.timeStepPs} ps, ${c.temperatureK} K`,
  ];
}

interface SwitchingOpts extends JobsOptions {
  currentUa?: string;
  pulsePs: number;
  trials: number;
  seed: number;
  temperatureK?: number;
  timeStepPs?: number;
  json?: boolean;
  svg?: string;
}

export async function runSwitching(deviceArg: string, o: SwitchingOpts, ctx: CliContext): Promise<void> {
  const { device } = loadDeviceArg(deviceArg);
  if (!(o.pulsePs > 0)) throw new OptionError(`--pulse-ps must be positive, got ${o.pulsePs}`);
  if (o.trials < 1) throw new OptionError(`--trials must be at least 1, got ${o.trials}`);
  checkStep(o);
  checkOutputPath(o.svg, "--svg");
  const c = deriveDeviceConstants(device);
  const runner = runnerFor(jobsOption(o, { allowZero: true }));
  ctx.signal.addEventListener("abort", () => void runner.close(), { once: true }); // Ctrl-C stops the threads at once
  try {
    let currentsUa: number[];
    if (o.currentUa !== undefined) currentsUa = parseCurrentRange(o.currentUa);
    else {
      const r = await findTransition(c, runner, { ...o, pulsePs: o.pulsePs, seed: o.seed });
      currentsUa = currentGrid(r.lowUa, r.highUa, 12);
    }
    const curve = await measureSwitchingCurve(c, runner, { ...o, currentsUa, pulsePs: o.pulsePs, trials: o.trials, seed: o.seed });
    if (o.svg) writeOutputFile(o.svg, switchingCurveSvg([curve]), "--svg");
    if (o.json) {
      ctx.out(JSON.stringify({ ...curve, energyBarrierKt: c.energyBarrierKt, criticalCurrentUa: c.criticalCurrentUa }));
      return;
    }
    ctx.out(
      `${c.id}: E_B ${c.energyBarrierKt.toFixed(1)} k_BT, I_c(T = 0) ${c.criticalCurrentUa.toFixed(1)} µA; pulse ${o.pulsePs} ps, ` +
        `T ${curve.temperatureK} K, step ${curve.timeStepPs} ps, ${o.trials} trials per current, seed ${o.seed}, ${runner.size} thread(s)`,
    );
    ctx.out(" current µA   switched     P      95 % CI");
    for (const p of curve.points) {
      ctx.out(
        `${p.currentUa.toFixed(2).padStart(11)}  ${`${p.switched}/${p.trials}`.padStart(9)}  ${p.probability.toFixed(3)}  [${p.ciLow.toFixed(3)}, ${p.ciHigh.toFixed(3)}]`,
      );
    }
    const f = curve.fit;
    ctx.out(
      f.resolved
        ? `fit: I50 = ${f.midpointUa.toFixed(1)} ± ${f.midpointStdErrUa.toFixed(1)} µA, scale ${f.scaleUa.toFixed(2)} µA (10–90 % width ${curve.width1090Ua.toFixed(1)} µA)`
        : "fit: no transition resolved in this range (widen --current-ua)",
    );
    const v = curve.monotonicViolation;
    ctx.out(v ? `monotonic within 95 % CIs: NO (${v.higherUa} µA below ${v.lowerUa} µA)` : "monotonic within 95 % CIs: yes");
    for (const ref of device.published?.switchingCurrents ?? []) {
      if (ref.pulsePs === o.pulsePs && ref.probability === 0.5 && f.resolved) {
        ctx.out(`published: 50 % at ${ref.currentUa} µA → measured I50 is ${(((f.midpointUa - ref.currentUa) / ref.currentUa) * 100).toFixed(1)} % off`);
      }
    }
    if (o.svg) ctx.out(`wrote ${o.svg}`);
  } finally {
    await runner.close();
  }
}

interface TraceOpts {
  pulses: string;
  durationPs?: number;
  samplePs: number;
  seed: number;
  temperatureK?: number;
  timeStepPs?: number;
  tiltDeg?: number;
  json?: boolean;
  csv?: string;
  svg?: string;
}

export function runTrace(deviceArg: string, o: TraceOpts, ctx: CliContext): void {
  const { device } = loadDeviceArg(deviceArg);
  checkStep(o);
  checkOutputPath(o.csv, "--csv");
  checkOutputPath(o.svg, "--svg");
  const pulses = parsePulses(o.pulses);
  const lastEnd = Math.max(...pulses.map((p) => p.startPs + p.widthPs));
  const durationPs = o.durationPs ?? lastEnd + 2000;
  if (!(durationPs > 0)) throw new OptionError(`--duration-ps must be positive, got ${durationPs}`);
  if (!(o.samplePs > 0)) throw new OptionError(`--sample-ps must be positive, got ${o.samplePs}`);
  const c = deriveDeviceConstants(device);
  const tr = traceMagnetization(c, { ...o, pulses, durationPs, samplePs: o.samplePs, seed: o.seed });
  if (o.csv) {
    const rows = tr.samples.map((s) => `${s.timePs},${s.currentUa},${s.mx},${s.my},${s.mz},${s.barrierFraction}`);
    writeOutputFile(o.csv, `timePs,currentUa,mx,my,mz,barrierFraction\n${rows.join("\n")}\n`, "--csv");
  }
  if (o.svg) writeOutputFile(o.svg, traceSvg(tr), "--svg");
  if (o.json) {
    ctx.out(JSON.stringify(tr));
    return;
  }
  ctx.out(`${c.id}: ${pulses.length} pulse(s), ${durationPs} ps, T ${tr.temperatureK} K, step ${tr.timeStepPs} ps, seed ${o.seed}`);
  ctx.out("  start ps   width ps   current µA   peak E/E_B   m_x at pulse end");
  for (const p of tr.pulses) {
    ctx.out(
      `${String(p.startPs).padStart(10)} ${String(p.widthPs).padStart(10)} ${p.currentUa.toFixed(2).padStart(12)} ${p.peakBarrierFraction.toFixed(3).padStart(12)} ${p.mxAtEnd.toFixed(4).padStart(18)}`,
    );
  }
  const last = tr.samples[tr.samples.length - 1];
  ctx.out(`end: m = (${last.mx.toFixed(4)}, ${last.my.toFixed(4)}, ${last.mz.toFixed(4)}) — ${tr.switched ? "switched to AP (fired)" : "still P"}`);
  if (o.csv) ctx.out(`wrote ${o.csv} (${tr.samples.length} samples)`);
  if (o.svg) ctx.out(`wrote ${o.svg}`);
}

export const deviceCommand: CommandDefinition = {
  name: "device",
  register(program: Command, ctx: CliContext) {
    const device = program
      .command("device")
      .description(
        "The device-level neuron model: a stochastic LLG-Slonczewski macrospin with spin-Hall torque (seed 002 eq. 2).\n" +
          "<device> is a device file or the id of a shipped one in devices/ (e.g. seed002-she-eb20).",
      )
      .addHelpText("after", "\nExamples:\n  snn-atpg device info seed002-she-eb20\n  snn-atpg device switching seed002-she-eb20 --help");
    device
      .command("info")
      .summary("print the derived constants of a device (energy barrier, critical current, leak)")
      .argument("<device>", "device file or shipped device id")
      .option("--json", "print the constants as JSON")
      .action((arg: string, o: { json?: boolean }) => {
        const { device: d } = loadDeviceArg(arg);
        const c = deriveDeviceConstants(d);
        if (o.json) return ctx.out(JSON.stringify({ ...c, publishedEnergyBarrierKt: d.published?.energyBarrierKt ?? null }));
        ctx.out(`${c.id}: ${d.title}`);
        for (const line of describeDevice(c, d.published?.energyBarrierKt)) ctx.out(`  ${line}`);
      });
    device
      .command("switching")
      .summary("switching probability versus write current, with binomial confidence intervals")
      .argument("<device>", "device file or shipped device id")
      .requiredOption("--pulse-ps <ps>", "write pulse width, ps", parseNumberOption("--pulse-ps"))
      .option("--current-ua <from:to:step>", "currents to measure, µA (default: bracket the transition automatically)")
      .option("--trials <n>", "trials per current", parseIntOption("--trials", "trials"), 200)
      .option("--seed <n>", "RNG seed", parseSeedOption("--seed"), 1)
      .option("--temperature-k <K>", "temperature (default: the device's)", parseNumberOption("--temperature-k"))
      .option("--time-step-ps <ps>", "integration step, at most 1 ps (default: the device's)", parseNumberOption("--time-step-ps"))
      .addOption(jobsFlag())
      .addOption(jobsAliasFlag("--workers"))
      .option("--json", "print the curve record as JSON")
      .option("--svg <file>", "write a plot of the curve")
      .addHelpText("after", "\nExample:\n  snn-atpg device switching seed002-she-eb20 --current-ua 30:90:10 --pulse-ps 500 --trials 200")
      .action((arg: string, o: SwitchingOpts) => runSwitching(arg, o, ctx));
    device
      .command("trace")
      .summary("magnetisation versus time for a pulse train (integrate, then leak)")
      .argument("<device>", "device file or shipped device id")
      .requiredOption("--pulses <list>", "AMP:WIDTH@START or AMP:WIDTH:PERIODxCOUNT[@START], comma-separated (µA, ps)")
      .option("--duration-ps <ps>", "simulated time (default: last pulse end + 2000 ps)", parseNumberOption("--duration-ps"))
      .option("--sample-ps <ps>", "sampling interval", parseNumberOption("--sample-ps"), 10)
      .option("--seed <n>", "RNG seed", parseSeedOption("--seed"), 1)
      .option("--temperature-k <K>", "temperature (default: the device's; 0 = deterministic)", parseNumberOption("--temperature-k"))
      .option("--time-step-ps <ps>", "integration step, at most 1 ps", parseNumberOption("--time-step-ps"))
      .option("--tilt-deg <deg>", "starting in-plane tilt from P (default: thermal / 300 K rms)", parseNumberOption("--tilt-deg"))
      .option("--json", "print the whole trace as JSON")
      .option("--csv <file>", "write every sample as CSV")
      .option("--svg <file>", "write a plot")
      .addHelpText("after", "\nExample (seed 002 fig. 2, T = 0):\n  snn-atpg device trace seed002-she-eb20 --pulses 30:300:1000x3 --temperature-k 0 --svg m.svg")
      .action((arg: string, o: TraceOpts) => runTrace(arg, o, ctx));
  },
};
