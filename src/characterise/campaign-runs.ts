/**
 * The heavy characterisation campaigns on the job pool (`--jobs N`): the same units and
 * the same assembly as the in-process functions (open-sweep.ts, retention.ts,
 * lifetime.ts, criticality.ts, fault-dictionary.ts), the units computed by pool threads
 * (campaign-jobs.ts), so the record is the same for every N.
 *
 *   const pool = createJobPool(2);
 *   const r = await retentionOnPool(pool, net, { deltaKt: 40, years: 10, trials: 100 });
 */
import { joinGoodColumnsPacked, type GoodColumn } from "../classifier/chip-classifier.ts";
import type { PackedSpikeLists } from "../sim/spike-lists.ts";
import { randomUUID } from "node:crypto";
import type { DigitSet } from "../classifier/mnist-dataset.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { Fault } from "../faults/fault.ts";
import type { ArrayStep } from "../faultsim/array-grader.ts";
import { arrayReadSpec } from "../faultsim/array-read-slices.ts";
import { assembleDictionary, dictionaryPlan, type DictionaryOptions, type FaultDictionary } from "../faultsim/fault-dictionary.ts";
import { JobsInterruptedError, taskModule, type JobPool, type TaskModule } from "../parallel/job-pool.ts";
import { shareValue, type Shared } from "../parallel/shared-value.ts";
import { dealtOrder, runSliced, sliceBounds, type SliceJob, type SlicedRunOptions } from "../parallel/sliced-run.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import type { CampaignKind, CampaignSpecOf, CampaignUnitOf } from "./campaign-jobs.ts";
import { criticalityFault, type CriticalityOptions, type FaultEffect, type GoodChip } from "./criticality.ts";
import { lifetimeResult, lifetimeTrialSpec, lifetimeUnits, type LifetimeOptions, type LifetimeResult, type LifetimeTrial, type LifetimeTrialSpec } from "./lifetime.ts";
import type { OpenSweepOptions, OpenSweepResult } from "./open-sweep.ts";
import { retentionResult, retentionTrialSpec, retentionUnits, type RetentionOptions, type RetentionResult } from "./retention.ts";

export const campaignTask = taskModule<SliceJob<CampaignKind>, unknown[]>(import.meta.url, "./campaign-task.ts", "campaign-task");

/** How a campaign runs on the pool (runSliced's options, and `partial`: keep what finished on Ctrl-C instead of throwing). */
type CampaignRunOptions<K extends CampaignKind> = Omit<SlicedRunOptions<CampaignUnitOf<K>>, "onSlice"> & { partial?: boolean; onSlice?: (done: number, units: number, start: number, results: readonly CampaignUnitOf<K>[]) => void };

/** Units [0, units) of `kind` on the pool; throws JobsInterruptedError on Ctrl-C unless `partial`. */
export async function runCampaign<K extends CampaignKind>(
  pool: JobPool,
  kind: K,
  spec: CampaignSpecOf<K>,
  units: number,
  o: CampaignRunOptions<K> = {},
): Promise<{ results: (CampaignUnitOf<K> | undefined)[]; interrupted: boolean }> {
  return runSharedCampaign(pool, kind, shareValue(spec), units, o);
}

/** runCampaign of a spec shared already: a second kind over the same spec finds what each thread built from it (perThread). */
export async function runSharedCampaign<K extends CampaignKind>(
  pool: JobPool,
  kind: K,
  shared: Shared<CampaignSpecOf<K>>,
  units: number,
  o: CampaignRunOptions<K> = {},
): Promise<{ results: (CampaignUnitOf<K> | undefined)[]; interrupted: boolean }> {
  const r = await runSliced(pool, campaignTask as TaskModule<SliceJob<K, CampaignSpecOf<K>>, CampaignUnitOf<K>[]>, kind, shared, units, { signal: o.signal, slicesPerThread: o.slicesPerThread, onSlice: o.onSlice, collect: o.collect });
  if (r.interrupted && !o.partial) throw new JobsInterruptedError();
  return r as { results: (CampaignUnitOf<K> | undefined)[]; interrupted: boolean };
}

/** Start every thread of the pool and load the campaign module in it, while the caller does serial work (loading digits): resolves when they are up. */
export function warmPool(pool: JobPool): Promise<unknown> {
  const job: SliceJob<"warm", null> = { kind: "warm", spec: shareValue(null), start: 0, end: 0 };
  return Promise.all(Array.from({ length: pool.size }, () => pool.run(campaignTask as TaskModule<SliceJob<"warm", null>, never[]>, job)));
}

/** The first `n` digits of a set (what a campaign scores; all a thread needs to receive). */
export function firstDigits(set: DigitSet, n = set.count): DigitSet {
  const k = Math.min(n, set.count);
  const px = set.pixels.length / set.count;
  return {
    count: k,
    pixels: set.pixels.slice(0, k * px),
    labels: set.labels.slice(0, k),
    sourceIndex: set.sourceIndex.slice(0, k),
    ...(set.intensities ? { intensities: set.intensities.slice(0, k * px) } : {}),
  };
}

/** Open sweeps (sweep-open's sites, or its table's cases) on the pool, in case order. */
export async function openSweepsOnPool(pool: JobPool, bench: Testbench, cases: OpenSweepOptions[], signal?: AbortSignal): Promise<OpenSweepResult[]> {
  // a case is a quarter to half a second on bnn: a slice each, so the threads end within one case of each other (3 a slice left one thread 1.2 s alone)
  return (await runCampaign(pool, "openSweep", { bench, cases }, cases.length, { signal, slicesPerThread: Infinity })).results as OpenSweepResult[];
}

/** retentionSweep with its Monte-Carlo trials on the pool. */
export async function retentionOnPool(pool: JobPool, net: CompiledNetwork, o: RetentionOptions, signal?: AbortSignal): Promise<RetentionResult> {
  const s = retentionTrialSpec(net, o);
  const { results } = await runCampaign(pool, "retention", s, retentionUnits(s), { signal });
  return retentionResult(o, s, results as number[][]);
}

/** Units `units` of a lifetime sweep on the pool, in order; Ctrl-C leaves the unfinished ones undefined. */
export async function lifetimeTrialsOnPool(pool: JobPool, bench: Testbench, trial: LifetimeTrialSpec, digits: DigitSet, units: number[], o: Pick<LifetimeOptions, "signal" | "onProgress"> = {}): Promise<(LifetimeTrial | undefined)[]> {
  const nSteps = Math.round(trial.years / trial.stepYears);
  let stepsDone = 0;
  const { results } = await runCampaign(pool, "lifetime", { bench, set: digits, trial, units }, units.length, {
    signal: o.signal,
    partial: true,
    // progress as units finish: every step of each finished trial
    onSlice: (_done, _units, start, finished) => {
      finished.forEach((u, i) => {
        const unit = units[start + i];
        const curve = trial.curves[Math.floor(unit / trial.trials)].label;
        for (let k = 1; k < u.accuracy.length; k++) o.onProgress?.({ curve, trial: (unit % trial.trials) + 1, years: k * trial.stepYears, accuracy: u.accuracy[k], done: ++stepsDone, total: units.length * nSteps });
      });
    },
  });
  return results;
}

/** lifetimeSweep with its (curve, trial) units on the pool; Ctrl-C keeps the curves whose trials all finished. */
export async function lifetimeOnPool(pool: JobPool, bench: Testbench, net: CompiledNetwork, set: DigitSet, o: LifetimeOptions): Promise<LifetimeResult> {
  const trial = lifetimeTrialSpec(net, o);
  const digits = firstDigits(set, o.images);
  const units = Array.from({ length: lifetimeUnits(trial) }, (_, u) => u);
  const results = await lifetimeTrialsOnPool(pool, bench, trial, digits, units, o);
  return lifetimeResult(net.id, trial, digits.count, atRiskCells(net), results);
}

/** R_H cells of the first crossbar: what ages. */
export const atRiskCells = (net: CompiledNetwork) => net.layers[0].weights.reduce((n, w) => n + (w === 0 ? 1 : 0), 0);

/** The good chip's hidden layer on the digits a criticality run scores: every column's currents and spikes, joined (what the scoring threads share). */
export interface GoodHiddenLayer {
  digits: DigitSet;
  columnUa: Float64Array;
  packed: PackedSpikeLists;
  /** The key of the good chip the pool's threads were asked to build from them (criticalityPrepare; default timing band). */
  benchKey: string;
  /** The key of the digits' per-image inputs the threads derived (chipImages), for this chip and these digits only. */
  imagesKey: string;
}

/**
 * The good chip's hidden column currents (a ladder solve per column and digit) and spikes,
 * spread over the pool and joined. It needs neither the faults nor the program, so a command
 * can start it before its fault walk (coverage --criticality --jobs ≥ 2) and hand the promise
 * to criticalityOnPool.
 */
export async function goodHiddenLayerOnPool(pool: JobPool, bench: Testbench, set: DigitSet, images: number | undefined, signal?: AbortSignal): Promise<GoodHiddenLayer> {
  const digits = firstDigits(set, images);
  // one slice per thread: columns cost alike, and a thread that finishes a slice waits for this thread
  // (busy walking the universe meanwhile) to hand it the next
  const imagesKey = randomUUID();
  const perColumn = (await runCampaign(pool, "chipColumns", { bench, set: digits, imagesKey }, bench.layers[0].cols, { signal, slicesPerThread: 1 })).results as GoodColumn[];
  const joined = joinGoodColumnsPacked(perColumn, digits.count);
  // each thread builds its good chip now (output runs per digit), while the command goes on walking and grading
  // (a failure here is the scoring's own, seen there; the scoring's tasks queue behind these)
  const benchKey = randomUUID();
  runCampaign(pool, "criticalityPrepare", { bench, set: digits, columnUa: joined.columnUa, hidden: joined.packed, benchKey, imagesKey }, pool.size, { signal, slicesPerThread: 1 }).catch(() => undefined);
  return { digits, ...joined, benchKey, imagesKey };
}

/** Slices per thread of a criticality run: ~2 ms a fault on bnn-mnist, so 64 keep the threads ending within a tenth of a second of each other (4 left one 0.3 s alone). */
const CRITICALITY_SLICES_PER_THREAD = 64;

/** faultCriticality with its faults on the pool (`started`: the good hidden layer begun by goodHiddenLayerOnPool). */
export async function criticalityOnPool(pool: JobPool, bench: Testbench, net: CompiledNetwork, faults: readonly Fault[], set: DigitSet, o: CriticalityOptions = {}, started?: Promise<GoodHiddenLayer>): Promise<{ good: GoodChip; effects: FaultEffect[] }> {
  const { digits, columnUa, packed, benchKey, imagesKey } = await (started ?? goodHiddenLayerOnPool(pool, bench, set, o.images, o.signal));
  // faults come model by model and cost unevenly (an output-layer fault scores every digit): dealt round-robin over the slices
  const order = dealtOrder(sliceBounds(faults.length, pool.size, CRITICALITY_SLICES_PER_THREAD));
  // the threads' good chips were built for the default band: another band builds its own
  const key = o.band === undefined ? benchKey : randomUUID();
  const shared = shareValue<CampaignSpecOf<"criticality">>({ bench, set: digits, band: o.band, faults: order.map((i) => criticalityFault(faults[i])), columnUa, hidden: packed, benchKey: key, imagesKey });
  const dealt = (await runSharedCampaign(pool, "criticality", shared, faults.length, { signal: o.signal, slicesPerThread: CRITICALITY_SLICES_PER_THREAD, onSlice: (done, n) => o.onProgress?.(done, n) })).results as FaultEffect[];
  // the good chip's classes and margins from a thread that built them for its faults (this thread simulates nothing)
  const good = (await runSharedCampaign(pool, "criticalityGood", shared, 1, { signal: o.signal })).results[0] as GoodChip;
  const effects = new Array<FaultEffect>(faults.length);
  order.forEach((i, k) => (effects[i] = dealt[k]));
  return { good, effects };
}

/** The fast READ grading of `faults` against a program's array steps on the pool (array-read-slices.ts): each fault's first failing step (index into `steps`, −1: none), or null when they are not universe faults (grade them in this thread). */
export async function arrayReadOnPool(pool: JobPool, bench: Testbench, faults: readonly Fault[], steps: ArrayStep[], o: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<Int32Array | null> {
  const spec = await arrayReadSpec(bench, faults, steps, o.signal);
  if (!spec) return null;
  // each slice's first failing steps straight into one table (not a 6.9 M-entry array of results on the main thread)
  const first = new Int32Array(faults.length);
  await runCampaign(pool, "arrayRead", spec, faults.length, {
    signal: o.signal,
    collect: false,
    onSlice: (done, n, start, part) => {
      first.set(part, start);
      o.onProgress?.(done, n);
    },
  });
  return first;
}

/** buildDictionary with its faults on the pool. */
export async function dictionaryOnPool(pool: JobPool, o: DictionaryOptions, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<FaultDictionary> {
  const t0 = Date.now();
  const plan = dictionaryPlan(o);
  onProgress?.(0, plan.universe.faults.length);
  const all = Array.from({ length: plan.universe.faults.length }, (_, i) => i);
  const failing = await dealtDictionaryFailing(pool, { ...o, models: plan.models }, all, signal, onProgress);
  return assembleDictionary(plan, failing, Date.now() - t0);
}

/** The failing vectors of the universe faults `only` (a shard's, in universe order) on the pool. */
export async function dictionaryFailingOnPool(pool: JobPool, o: DictionaryOptions, only: number[], signal?: AbortSignal): Promise<Record<string, string[]>[]> {
  return dealtDictionaryFailing(pool, o, only, signal);
}

/**
 * The failing vectors of faults `only` (universe indices), dealt round-robin over the slices:
 * a fault costs a re-simulation per vector that detects it, and the universe lists them model
 * by model and column by column, so contiguous slices left one thread 2 s alone at the end
 * (seed003, 185 k faults). Results come back in the order of `only`.
 */
async function dealtDictionaryFailing(pool: JobPool, o: DictionaryOptions, only: readonly number[], signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<Record<string, string[]>[]> {
  const { cacheDir: _, ...spec } = o;
  const order = dealtOrder(sliceBounds(only.length, pool.size));
  const { results } = await runCampaign(pool, "dictionary", { ...spec, only: order.map((k) => only[k]) }, only.length, { signal, onSlice: (done, n) => onProgress?.(done, n) });
  const failing = new Array<Record<string, string[]>>(only.length);
  order.forEach((k, j) => (failing[k] = results[j] as Record<string, string[]>));
  return failing;
}
