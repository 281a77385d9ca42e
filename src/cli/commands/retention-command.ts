/**
 * `snn-atpg retention <testbench>`: expected and Monte-Carlo number of synapse cells
 * flipped AP→P by thermal relaxation, per time step and layer (seed 004).
 *
 *   snn-atpg retention bnn-784x1024x10 --delta 40 --years 10
 *   snn-atpg retention mlp-16x8x4 --delta 40 --years 10 --steps 5 --trials 200 --json
 */
import type { Command } from "commander";
import { RetentionInputError, retentionSweep, tau0Ns } from "../../characterise/retention.ts";
import { retentionOnPool } from "../../characterise/campaign-runs.ts";
import { addJobsOption, jobsOption, withJobPool, type JobsOptions } from "../jobs-option.ts";
import { compileNetwork } from "../../sim/compile.ts";
import { loadBenchArg } from "../bench-file.ts";
import { OptionError, parseIntOption, parseNumberOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";

interface RetentionCommandOptions extends JobsOptions {
  delta?: number;
  years: number;
  steps: number;
  trials: number;
  seed: number;
  json?: boolean;
}

export async function runRetention(benchArg: string, o: RetentionCommandOptions, ctx: CliContext): Promise<void> {
  const { bench, file } = loadBenchArg(benchArg);
  const deltaKt = o.delta ?? bench.device.deltaKt;
  if (deltaKt === undefined) throw new OptionError(`--delta is required: ${file} has no device.deltaKt (e.g. --delta 40)`);
  const net = compileNetwork(bench);
  const jobs = jobsOption(o);
  const options = { deltaKt, years: o.years, steps: o.steps, trials: o.trials, seed: o.seed };
  let r;
  try {
    // Monte-Carlo trials (one per layer) are the units: on the pool with --jobs ≥ 2 (same counts).
    r = await withJobPool(jobs, o.trials * net.layers.length, async (pool) => (pool ? retentionOnPool(pool, net, options, ctx.signal) : retentionSweep(net, options)));
  } catch (err) {
    // Every parameter error names a flag ("delta must be …"): say so.
    if (err instanceof RetentionInputError) throw new OptionError(`--${err.message}`);
    throw err;
  }
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: bench.id, ...r }));
    return;
  }
  ctx.out(
    `${bench.id}: AP→P retention flips of weight-0 (R_H) cells, Δ = ${deltaKt}, τ0 = ${tau0Ns} ns, ` +
      `P_sw(t) = 1 − exp(−(t/τ0)·e^(−Δ)); ${o.steps} step(s) to ${o.years} year(s)` +
      (o.trials > 0 ? `, Monte Carlo ${o.trials} trial(s), seed ${o.seed}` : ""),
  );
  ctx.out(`cells at risk: ${r.steps[0].layers.map((l) => `layer ${l.layer} ${l.atRiskCells}`).join(", ")}`);
  const head = ["years", "P_sw", ...r.steps[0].layers.flatMap((l) => (o.trials > 0 ? [`L${l.layer} expected`, `L${l.layer} MC mean ± sd`] : [`L${l.layer} expected`]))];
  const rows = r.steps.map((s) => [
    s.years.toPrecision(4),
    s.pSwitch.toPrecision(4),
    ...s.layers.flatMap((l) =>
      l.monteCarlo ? [l.expectedFlips.toFixed(1), `${l.monteCarlo.mean.toFixed(1)} ± ${l.monteCarlo.std.toFixed(1)}`] : [l.expectedFlips.toFixed(1)],
    ),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  ctx.out(fmt(head));
  for (const row of rows) ctx.out(fmt(row));
}

export const retentionCommand: CommandDefinition = {
  name: "retention",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("retention")
      .description(
        "Thermal relaxation flips anti-parallel (weight 0, R_H) synapse MTJs to parallel (weight 1) with " +
          "P_sw(t) = 1 − exp(−(t/τ0)·e^(−Δ)), τ0 = 1 ns; P→AP is neglected (seed 004). Prints, per time step and " +
          "layer, the expected number of flipped cells and, with --trials, a Monte-Carlo mean ± sd.",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench (e.g. bnn-784x1024x10)")
      .option("--delta <Δ>", "thermal stability factor E_B/k_BT (default: the bench's device.deltaKt)", parseNumberOption("--delta"))
      .option("--years <y>", "lifetime to cover, years", parseNumberOption("--years"), 10)
      .option("--steps <n>", "equal time steps", parseIntOption("--steps", "timeSteps"), 10)
      .option("--trials <n>", "Monte-Carlo trials (0 = expected values only)", parseIntOption("--trials", "trials"), 0)
      .option("--seed <s>", "seed of the Monte-Carlo draws", parseSeedOption("--seed"), 1)
      .option("--json", "print one JSON object");
    addJobsOption(cmd)
      .addHelpText("after", "\nExamples:\n  snn-atpg retention bnn-784x1024x10 --delta 40 --years 10\n  snn-atpg retention mlp-16x8x4 --delta 40 --years 10 --trials 100 --json")
      .action((tb: string, o: RetentionCommandOptions) => runRetention(tb, o, ctx));
  },
};
