/**
 * `coverage --criticality`: after grading, score the graded faults (or a stratified sample
 * of them) on held-out MNIST digits through the simulator (characterise/criticality.ts)
 * and report critical-fault coverage next to FC/TC (characterise/critical-coverage.ts).
 * Only a trained two-layer chip with 784 inputs classifies digits; any other bench is
 * refused with the reason.
 *
 * The faults are scored on the job pool (`--jobs`); a shard (`--shard i/N --out`) scores
 * the sampled faults of its slice into its part, and `merge` builds the record from them.
 *
 *   const crit = await coverageCriticality(prep, result, { criticalShare: 0, criticalImages: 200, criticalSample: 50, pdCredit: 0.5 }, jobs, ctx);
 */
import { criticalCoverage, stratifiedSample, type CriticalCoverageRecord } from "../characterise/critical-coverage.ts";
import { criticalityOnPool, goodHiddenLayerOnPool, warmPool, type GoodHiddenLayer } from "../characterise/campaign-runs.ts";
import { faultCriticality, type FaultEffect, type GoodChip } from "../characterise/criticality.ts";
import { MNIST_PIXELS, mnistSplit } from "../classifier/mnist-dataset.ts";
import type { Fault } from "../faults/fault.ts";
import type { FaultSimResult } from "../faultsim/fault-engine.ts";
import { InterruptedError } from "../formats/errors.ts";
import type { CoveragePartHeader } from "../formats/coverage-part-format.ts";
import { inShard, type Shard } from "../faultsim/fault-shard.ts";
import { MergeError } from "./part-merge.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { OptionError, type CliContext } from "./cli-context.ts";
import type { PreparedCoverage } from "./coverage-run.ts";
import { minFaultsPerJobFromEnv, withJobPool } from "./jobs-option.ts";
import type { JobPool } from "../parallel/job-pool.ts";

export interface CriticalityOptions {
  /** Critical: changes at least this share of the classifications (0 = any). */
  criticalShare: number;
  /** Held-out digits to score each fault on. */
  criticalImages: number;
  /** At most this many faults per fault model and layer are scored (a seeded stratified sample). */
  criticalSample: number;
  pdCredit: number;
}

/**
 * Fewest fault × digit scorings worth the pool: below it a criticality run stays in the
 * command's thread, whatever `--jobs` says — the threads' start and each thread's own good
 * chip (~1.5 CPU-s) cost more than they save (bnn-mnist, 200 digits: 500 faults 3.33 s in
 * this thread against 3.48 s on two; 950 faults 4.06 → 3.82 s; 1,850 faults 5.66 → 4.91 s).
 * SNN_ATPG_MIN_FAULTS_PER_JOB (tests putting small work on threads) lifts it.
 */
export const MIN_POOLED_SCORINGS = 150_000;

/** Whether `faults` scored on `images` digits go to a pool of `jobs` threads. */
export function pooledScoring(faults: number, images: number, jobs: number): boolean {
  return jobs >= 2 && (faults * images >= MIN_POOLED_SCORINGS || minFaultsPerJobFromEnv() !== undefined);
}

/**
 * How many of the listed fault ids a stratified sample of `perStratum` per model and layer keeps
 * (read off the ids, `model@l<layer>.…`; an id of another form counts in full): what decides,
 * before the faults are built, whether the pool will score them.
 */
export function listedSampleSize(ids: readonly string[], perStratum: number): number {
  const strata = new Map<string, number>();
  let other = 0;
  for (const id of ids) {
    const m = /^([^@]+)@l(\d+)\./.exec(id);
    if (!m) other++;
    else strata.set(`${m[1]}|${m[2]}`, (strata.get(`${m[1]}|${m[2]}`) ?? 0) + 1);
  }
  let n = other;
  for (const c of strata.values()) n += Math.min(c, perStratum);
  return n;
}

/** Seed of the stratified sample (stated in the record). */
const SAMPLE_SEED = 14;

/** Refuse a bench that does not classify MNIST digits, naming `what` needs them. */
export function requireMnistChip(bench: Testbench, file: string, what: string): void {
  if (bench.layers.length !== 2 || bench.layers[0].rows !== MNIST_PIXELS) {
    throw new OptionError(`${file}: ${what} scores MNIST digits on a two-layer chip with ${MNIST_PIXELS} inputs (e.g. bnn-mnist-784x1024x10); this bench has ${bench.layers.length} layer(s), ${bench.layers[0].rows} inputs`);
  }
}

export function checkCriticalityOptions(o: CriticalityOptions): void {
  if (!(o.criticalShare >= 0 && o.criticalShare <= 1)) throw new OptionError(`--critical-share is a share of the digits in [0, 1] (0 = any changed classification), got ${o.criticalShare}`);
  if (!(Number.isInteger(o.criticalImages) && o.criticalImages > 0)) throw new OptionError(`--critical-images expects a positive whole number of digits, got ${o.criticalImages}`);
  if (!(Number.isInteger(o.criticalSample) && o.criticalSample > 0)) throw new OptionError(`--critical-sample expects a positive whole number of faults per model and layer, got ${o.criticalSample}`);
}

/** The faults scored: a seeded stratified sample of the graded faults (the same in every shard). */
export function criticalSample(prep: PreparedCoverage, o: Pick<CriticalityOptions, "criticalSample">): Fault[] {
  return stratifiedSample(prep.graded, o.criticalSample, SAMPLE_SEED);
}

/** The held-out split, made once per process (the early good-layer start and the scoring both need it: 0.15 s each). */
let heldOutSet: ReturnType<typeof mnistSplit>["heldOut"] | null = null;

/** The held-out digits, checked against --critical-images. */
function heldOutDigits(o: Pick<CriticalityOptions, "criticalImages">) {
  const heldOut = (heldOutSet ??= mnistSplit().heldOut);
  if (o.criticalImages > heldOut.count) throw new OptionError(`--critical-images: the held-out set has ${heldOut.count} digits, got ${o.criticalImages}`);
  return heldOut;
}

/**
 * Start the good chip's hidden layer on the command's pool before the fault walk (it needs
 * neither faults nor program: `coverage --faults … --criticality --jobs ≥ 2` overlaps the
 * two). A failure is seen where the promise is awaited (scoreCriticality); a command that
 * stops before then closes the pool, which ends it.
 */
export function startGoodHiddenLayer(pool: JobPool, bench: Testbench, file: string, o: CriticalityOptions, ctx: CliContext): Promise<GoodHiddenLayer> {
  requireMnistChip(bench, file, "--criticality");
  const started = goodHiddenLayerOnPool(pool, bench, heldOutDigits(o), o.criticalImages, ctx.signal);
  started.catch(() => undefined); // not unhandled while the walk runs
  return started;
}

/** Score `faults` on the held-out digits: on `jobs` pool threads, or in this thread with one (the same effects either way); `started`: the good hidden layer begun on `given` (startGoodHiddenLayer). */
export async function scoreCriticality(prep: PreparedCoverage, faults: readonly Fault[], o: CriticalityOptions, jobs: number, ctx: CliContext, given: JobPool | null = null, started?: Promise<GoodHiddenLayer>): Promise<{ good: GoodChip; effects: FaultEffect[] }> {
  const onProgress = (done: number, total: number) => prep.progress.update(done, total);
  type Work = (pool: JobPool | null) => Promise<{ good: GoodChip; effects: FaultEffect[] }>;
  // a good hidden layer begun on the pool is used; else a small run stays here (pooledScoring)
  const pooled = started !== undefined || pooledScoring(faults.length, o.criticalImages, jobs);
  const onPool = !pooled ? (work: Work) => work(null) : given ? (work: Work) => work(given) : (work: Work) => withJobPool(jobs, faults.length, work);
  const scored = await onPool(async (pool) => {
    // the threads start while this one loads the digits (0.6 s of serial work)
    const warm = pool && !started ? warmPool(pool) : null;
    const heldOut = heldOutDigits(o);
    await warm;
    // minutes on bnn-mnist at the defaults (50 per model and layer × 200 digits): counted, with an ETA
    prep.progress.phase(`scoring criticality on ${o.criticalImages} held-out digits`, faults.length, "faults");
    if (pool) return criticalityOnPool(pool, prep.loaded.bench, prep.net, faults, heldOut, { images: o.criticalImages, signal: ctx.signal, onProgress }, started);
    const r = await faultCriticality(prep.net, faults, heldOut, { images: o.criticalImages, signal: ctx.signal, onProgress });
    if (r.interrupted) throw new InterruptedError(`coverage --criticality interrupted (Ctrl-C) after ${r.effects.length} of ${faults.length} faults were scored; no report was written`);
    return r;
  });
  prep.progress.end();
  return scored;
}

/** The critical-fault coverage record from the sample's effects (in sample order) and the graded classes. */
export function criticalityRecord(prep: PreparedCoverage, result: FaultSimResult, sampled: readonly Fault[], effects: readonly FaultEffect[], good: { images: number; accuracy: number }, o: CriticalityOptions): CriticalCoverageRecord {
  const cls = new Map(result.outcomes.map((x) => [x.faultId, x.cls]));
  return criticalCoverage({
    graded: prep.graded,
    sampled,
    effects,
    credit: (id) => (cls.get(id) === "DT" ? 1 : cls.get(id) === "PD" ? o.pdCredit : 0),
    images: good.images,
    goodAccuracy: good.accuracy,
    minChangedShare: o.criticalShare,
    perStratum: o.criticalSample,
    seed: SAMPLE_SEED,
  });
}

/** The critical-fault coverage of a run; `pool`: the command's (else one is started for the scoring when `jobs` ≥ 2). */
export async function coverageCriticality(prep: PreparedCoverage, result: FaultSimResult, o: CriticalityOptions, jobs: number, ctx: CliContext, pool: JobPool | null = null, started?: Promise<GoodHiddenLayer>): Promise<CriticalCoverageRecord> {
  checkCriticalityOptions(o);
  requireMnistChip(prep.loaded.bench, prep.loaded.file, "--criticality");
  const sampled = criticalSample(prep, o);
  ctx.err(`criticality: scoring ${sampled.length.toLocaleString("en-US")} of ${prep.graded.length.toLocaleString("en-US")} graded faults on ${o.criticalImages} held-out digits`);
  const { good, effects } = await scoreCriticality(prep, sampled, o, jobs, ctx, pool, started);
  return criticalityRecord(prep, result, sampled, effects, good, o);
}

/** What a shard's part holds of the criticality run: the header's options and good chip, and the effect of each sampled fault of the shard. */
export interface ShardCriticality {
  header: NonNullable<CoveragePartHeader["criticality"]>;
  effects: Map<string, FaultEffect>;
}

/** Score the sampled faults of one shard (the sample is drawn from the whole graded universe, as unsharded). */
export async function shardCriticality(prep: PreparedCoverage, shard: Shard, o: CriticalityOptions, jobs: number, ctx: CliContext): Promise<ShardCriticality> {
  const mine = criticalSample(prep, o).filter((f) => inShard(f.id, shard));
  ctx.err(`criticality: scoring ${mine.length.toLocaleString("en-US")} sampled faults of this shard on ${o.criticalImages} held-out digits`);
  const { good, effects } = await scoreCriticality(prep, mine, o, jobs, ctx);
  return {
    header: { criticalShare: o.criticalShare, criticalImages: o.criticalImages, criticalSample: o.criticalSample, goodImages: good.images, goodAccuracy: good.accuracy },
    effects: new Map(effects.map((e) => [e.id, e])),
  };
}

/** The record of a merged criticality run: every sampled fault's effect from its part (a located error when one is missing). */
export function mergedCriticality(prep: PreparedCoverage, result: FaultSimResult, h: ShardCriticality["header"], effectOf: (faultId: string) => FaultEffect | undefined, pdCredit: number): CriticalCoverageRecord {
  const o: CriticalityOptions = { criticalShare: h.criticalShare, criticalImages: h.criticalImages, criticalSample: h.criticalSample, pdCredit };
  const sampled = criticalSample(prep, o);
  const effects = sampled.map((f) => {
    const e = effectOf(f.id);
    if (!e) throw new MergeError(`merge: fault ${f.id} is in the criticality sample but its part holds no criticality effect for it; run its shard again with --criticality`);
    return e;
  });
  return criticalityRecord(prep, result, sampled, effects, { images: h.goodImages, accuracy: h.goodAccuracy }, o);
}
