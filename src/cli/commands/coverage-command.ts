/**
 * `snn-atpg coverage <testbench> <program>`: fault-simulate a test program against
 * the fault universe and report what it is worth — classes per fault model (and per
 * layer), FC and TC with their formulas, the faults it misses; `--json` for machines
 * (per-fault class and first detecting vector), `--html` for a self-contained report.
 *
 *   snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json
 *   snn-atpg coverage black-pixel-4x1 p.json --models dead-synapse --engine reference --no-drop --json
 *   snn-atpg coverage bnn-784x1024x10 p.jsonl --html report.html
 *   snn-atpg coverage bnn-mnist-784x1024x10 p.json --criticality --critical-share 0.01   # CFC next to FC/TC
 *   snn-atpg coverage bnn-784x1024x10 p.jsonl --shard 1/3 --out part-1.jsonl   # one shard; then `merge`
 *   snn-atpg coverage bnn-mnist-784x1024x10 p.json --criticality --shard 1/3 --out part-1.jsonl   # its sampled faults scored too
 *   snn-atpg coverage hou-itc22-n8 programs/hou-itc22-90n.json   # a ternary-array bench (cli/ternary-chip.ts)
 */
import type { Command } from "commander";
import { inShard } from "../../faultsim/fault-shard.ts";
import { DEFAULT_PD_CREDIT } from "../../faultsim/index.ts";
import type { CoverageRunMetadata } from "../../report/coverage-html.ts";
import { OptionError, parseIntOption, parseNumberOption, parsePositiveIntOption, type CliContext, type CommandDefinition } from "../cli-context.ts";
import { partHeader, writeCoveragePart } from "../coverage-parts.ts";
import { checkCriticalityOptions, coverageCriticality, listedSampleSize, pooledScoring, requireMnistChip, shardCriticality, startGoodHiddenLayer, type CriticalityOptions } from "../coverage-criticality.ts";
import { readFaultList } from "../../formats/fault-list-format.ts";
import { coverageDetection, emitCoverage, gradeFaults, gradesOnPoolEarly, prepareCoverage, type CoverageCampaignOptions, type CoverageOutputOptions } from "../coverage-run.ts";
import { startCampaignThreads } from "../../faultsim/parallel-campaign.ts";
import { addJobsOption, jobsOption, type JobsOptions } from "../jobs-option.ts";
import { createJobPool, type JobPool } from "../../parallel/job-pool.ts";
import { warmPool } from "../../characterise/campaign-runs.ts";
import { setMaxListeners } from "node:events";
import { checkOutputPath } from "../output-file.ts";
import { runMetadata } from "../run-metadata.ts";
import { addUniverseOptions } from "../universe-options.ts";
import { chipKindOf } from "../../sim/chip-kind.ts";
import { loadBenchArg } from "../bench-file.ts";
import { readTernaryProgram, ternaryCoverageCli } from "../ternary-chip.ts";
import { addShardOptions, shardOf, type ShardOptions } from "../shard-options.ts";

interface CoverageOptions extends CoverageCampaignOptions, CoverageOutputOptions, JobsOptions, ShardOptions, Omit<CriticalityOptions, "pdCredit"> {
  criticality?: boolean;
  detectionProbability?: boolean;
  dpSamples: number;
}

export async function runCoverage(benchArg: string, programFile: string, o: CoverageOptions, ctx: CliContext, run?: CoverageRunMetadata): Promise<void> {
  const jobs = jobsOption(o);
  const shard = shardOf(o, process.env);
  if (o.faults !== undefined && o.faults === o.faultsOut) throw new OptionError(`--faults and --faults-out name the same file (${o.faults}); the list read would be overwritten — write the new list elsewhere`);
  if (o.out && o.faults !== undefined) throw new OptionError("--faults with --out: a shard grades its slice of the whole universe (merge checks that); grade a fault list without --shard/--out");
  if (o.out && (o.html || o.faultsOut || o.json)) throw new OptionError("--out writes a shard's part file; --html, --faults-out and --json belong to the report, which snn-atpg merge makes from the parts");
  checkOutputPath(o.html, "--html");
  checkOutputPath(o.faultsOut, "--faults-out");
  checkOutputPath(o.out, "--out");
  if (o.detectionProbability) {
    if (o.out) throw new OptionError("--detection-probability with --out: it belongs to the whole report; run it without --shard/--out");
    if (!(o.dpSamples >= 10)) throw new OptionError(`--dp-samples must be at least 10; got ${o.dpSamples}`);
  }
  const critOpts = o.criticality ? { ...o, pdCredit: o.pdCredit } : null;
  if (critOpts) checkCriticalityOptions(critOpts);
  const loaded = loadBenchArg(benchArg);
  if (chipKindOf(loaded.bench) === "ternary-array") {
    ternaryCoverageCli(loaded.bench, readTernaryProgram(programFile, loaded.bench.id), { ...o, drop: undefined, pdCredit: undefined }, ctx);
    return;
  }
  // --faults on the pool: one pool counts the universe and scores criticality, the counts overlapping the rest
  const pooled = jobs >= 2 && o.faults !== undefined;
  // --criticality: the threads start (and load their module) while this one loads the digits and the faults —
  // only for a run the pool will score (the sample's size read off the listed ids; a bad list fails here, before any thread)
  const earlyCriticality =
    pooled && critOpts !== null && !(shard && o.out) && pooledScoring(listedSampleSize(readFaultList(o.faults!).map((e) => e.id), critOpts.criticalSample), critOpts.criticalImages, jobs);
  const pool = pooled ? createJobPool(jobs) : null;
  if (pool && earlyCriticality) warmPool(pool).catch(() => undefined);
  // each pending pool task listens for Ctrl-C: the counts' and the scoring's slices are pending at once
  if (pool) setMaxListeners(64, ctx.signal);
  // a chip of bnn's size grades on the pool whatever the program: its threads start (and load the engine) while this thread
  // enumerates the universe, instead of after it (0.2–0.3 s of the campaign, more with --jobs 2 on 2 cores)
  const gradingPool = !pooled && gradesOnPoolEarly(loaded.bench, o, shard?.count) ? createJobPool(jobs) : null;
  if (gradingPool) startCampaignThreads(gradingPool).catch(() => undefined); // a Ctrl-C closes the pool: its start tasks fail, nothing waits on them
  try {
    await gradeAndReport(loaded, programFile, o, ctx, { jobs, shard, critOpts, pool, earlyCriticality, gradingPool }, run);
  } finally {
    await pool?.close();
    await gradingPool?.close();
  }
}

async function gradeAndReport(
  loaded: ReturnType<typeof loadBenchArg>,
  programFile: string,
  o: CoverageOptions,
  ctx: CliContext,
  { jobs, shard, critOpts, pool, earlyCriticality, gradingPool }: { jobs: number; shard: ReturnType<typeof shardOf>; critOpts: (CoverageOptions & { pdCredit: number }) | null; pool: JobPool | null; earlyCriticality: boolean; gradingPool: JobPool | null },
  run?: CoverageRunMetadata,
): Promise<void> {
  // --criticality on the command's pool: the good chip's hidden layer starts now, beside the fault walk
  // (which then walks once on this thread: its counts no longer need the pool's idle time)
  const started = critOpts && pool && earlyCriticality ? startGoodHiddenLayer(pool, loaded.bench, loaded.file, critOpts, ctx) : undefined;
  // one turn of the event loop, so the pool hands its threads the columns before this thread's long stretch (load, compile, walk)
  if (started) await new Promise((r) => setImmediate(r));
  const prep = await prepareCoverage(loaded, programFile, o, ctx, true, started ? null : pool, gradingPool);
  if (critOpts) requireMnistChip(prep.loaded.bench, prep.loaded.file, "--criticality");
  if (shard && o.out) {
    const faults = prep.graded.filter((f) => inShard(f.id, shard));
    const result = await gradeFaults(prep, faults, { jobs, json: true, shard, pool: gradingPool }, ctx); // Ctrl-C: throws, no part written
    await gradingPool?.close(); // its threads' copies of the chip are not needed again
    // --criticality: this shard's share of the sample, scored here; merge builds the record
    const crit = critOpts ? await shardCriticality(prep, shard, critOpts, jobs, ctx) : undefined;
    writeCoveragePart(o.out, partHeader(prep, o, shard, crit?.header), result, crit?.effects);
    ctx.out(`shard ${shard.index}/${shard.count}: ${faults.length.toLocaleString("en-US")} of ${prep.universe.faults.length.toLocaleString("en-US")} faults${crit ? ` (${crit.effects.size} scored for criticality)` : ""}, part written to ${o.out}`);
    return;
  }
  const result = await gradeFaults(prep, prep.graded, { jobs, json: o.json, pool: gradingPool }, ctx);
  await gradingPool?.close(); // its threads' copies of the chip are not needed again (criticality and the report run without it)
  const crit = critOpts ? await coverageCriticality(prep, result, critOpts, jobs, ctx, pool, started) : undefined;
  const detection = o.detectionProbability ? coverageDetection(prep, result, o.dpSamples, !o.json, ctx) : undefined;
  await emitCoverage(prep, result, o, ctx, run, crit, detection);
}

export const coverageCommand: CommandDefinition = {
  name: "coverage",
  register(program: Command, ctx: CliContext) {
    const cmd = program
      .command("coverage")
      .description(
        "Grade a test program (from `generate`, or written by hand) against the single-fault universe of " +
          "the testbench. A fault is DT when a vector's response differs (a spike missing, extra, or moved " +
          "beyond the tolerance band), PD when it differs only within the band or only in some repetitions " +
          "of a stochastic chip, UD when proved undetectable, ND otherwise.\n" +
          "FC = (DT + c·PD) / all, TC = (DT + c·PD) / (all − UD), c = --pd-credit.",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench")
      .argument("<program>", "test program (.json, or .jsonl: header line + one vector per line) made for this testbench");
    addUniverseOptions(cmd)
      .option("--engine <id>", "fault engine: fast (reuses the good simulation) or reference (re-simulates everything)", "fast")
      .option("--no-drop", "keep simulating detected faults (lists every detecting vector in --json)")
      .option("--pd-credit <c>", "credit of a possibly detected fault in FC and TC, 0..1", parseNumberOption("--pd-credit"), DEFAULT_PD_CREDIT)
      .option("--json", "print the report as one JSON object (per-fault class and first detecting vector)")
      .option("--html <file>", "also write a self-contained HTML report (tables, bar chart, cumulative coverage, heat maps)")
      .option("--faults-out <file>", "also write the faults not detected (ND/AU/PD) as a fault list: one id per line, class and reason as a # comment")
      .option("--limit <n>", "how many undetected faults to list", parseIntOption("--limit"), 20)
      .option("--all", "list every undetected fault")
      .option("--faults <file>", "grade only the faults of this fault list (one id per line, # comments; as --faults-out writes it)")
      .option("--criticality", "also score the faults on held-out MNIST digits through the simulator and report critical-fault coverage (CFC) next to FC/TC, per fault model and layer (trained 784-input chips, e.g. bnn-mnist-784x1024x10)")
      .option("--detection-probability", "stochastic chips: also state each fault's probability of being detected by the program's decision rules, with simultaneous 95 % intervals, per fault model (limit the faults with --models or --faults: every fault is sampled)")
      .option("--dp-samples <n>", "repetitions sampled per fault and vector for --detection-probability", parseIntOption("--dp-samples"), 200)
      .option("--critical-share <s>", "a fault is critical when it changes at least this share of the classifications (0 = any one)", parseNumberOption("--critical-share"), 0)
      .option("--critical-images <n>", "held-out digits each fault is scored on", parsePositiveIntOption("--critical-images", "200"), 200)
      .option("--critical-sample <n>", "score at most this many faults per fault model and layer (a seeded stratified sample; shares then carry 95 % intervals)", parsePositiveIntOption("--critical-sample", "50"), 50);
    addShardOptions(cmd, "a hash of the fault id", "faults");
    addJobsOption(cmd, "--threads")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json\n" +
          "  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json --models dead-synapse --json\n" +
          "  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json --html report.html\n" +
          "  snn-atpg coverage black-pixel-4x1 p.json --faults-out missed.faults   # then, after improving p.json:\n" +
          "  snn-atpg coverage black-pixel-4x1 p2.json --faults missed.faults\n" +
          "  snn-atpg coverage black-pixel-4x1 fixtures/coverage/black-pixel-all16.json --shard 0/2 --out part-0.jsonl",
      )
      .action((tb: string, prog: string, o: CoverageOptions, cmd: Command) => runCoverage(tb, prog, o, ctx, runMetadata(cmd, ctx)));
  },
};
