/**
 * Parallel fault simulation on the job pool (parallel/job-pool.ts), one pool task and one
 * engine run per thread: each grades its own share of the fault list — blocks of whole
 * columns from across the chip (so a column's batch and sensitivities stay on one thread) —
 * then, in the same run, claims chunks of the campaign's tail from a shared counter, one at a
 * time, while any is left (campaignSplit in shared-universe.ts; the fast engine), so the
 * threads end together however fast each runs (this VM's vCPUs often do not run at one speed)
 * and however unevenly faults cost. The threads write their outcomes into one shared table
 * (shared-outcomes.ts). Every fault is classified on its own, so the classes — and the
 * report — do not depend on the number of jobs or on which thread took which chunk.
 *
 * Workers take the caller's compiled network (serialised once, a copy per thread) and
 * the spec (files and options) shared with them once (parallel/shared-value.ts), and take their faults from the caller's list,
 * shared as a SharedArrayBuffer (shared-universe.ts) — no thread enumerates the universe
 * again. A list of faults that are not universe faults falls back to re-enumerating from
 * the spec, so the spec must be what produced `faults` here.
 *
 *   const r = await runParallelCampaign(spec, net, universe.faults, { jobs: 2, analysis, signal });
 *
 * Ctrl-C (`signal`) on a pooled campaign terminates the threads at once and rejects with
 * an InterruptedError (no partial result: a coverage run is recomputed, never resumed);
 * an in-process campaign hands its signal to the engine (unfinished faults AU).
 */
import { getMaxListeners, setMaxListeners } from "node:events";
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { Fault } from "../faults/fault.ts";
import { SiteFault } from "../faults/site-fault.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { createJobPool, defaultJobs, taskModule, type JobPool } from "../parallel/job-pool.ts";
import { shareValue, type Shared } from "../parallel/shared-value.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { faultEngines, type FaultEngineId } from "./engine-registry.ts";
import type { Shard } from "./fault-shard.ts";
import type { FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import { campaignSplit, CLAIMED_TAIL, columnBlockBounds, isSharingOf, shareFaultsAsync, type SharedFaults } from "./shared-universe.ts";
import { createSharedOutcomes, joinSharedOutcomes, type SliceOutcomes, type SharedOutcomes } from "./shared-outcomes.ts";
import { joinOutcomeTables, outcomeTableOf, withOutcomes, type OutcomeTable } from "./outcome-table.ts";
import { MAX_SHARED_GOOD_RUNS, unpackGoodRun, type PackedGoodRun } from "./shared-good-runs.ts";
import { repetitionsOf } from "./good-response.ts";

/** What a worker needs to rebuild the same campaign. */
export interface CampaignSpec {
  benchFile: string;
  modelDirs?: string[];
  modelIds?: string[];
  params?: ParamOverrides;
  sites?: string[];
  collapse: boolean;
  vectors: FaultSimVector[];
  engine: FaultEngineId;
  drop: boolean;
  proveUndetectable?: boolean;
  /** Only these faults of the universe (ids of representatives; selectFaults), when a fault list picked them. */
  faultIds?: string[];
  /** Only this shard of the universe (fault-shard.ts): `faults` must be exactly its faults. */
  shard?: Shard;
}

/** One pool task: a thread's own share of the shared fault list and the tail it may claim from, or else one range of the spec's universe. */
export interface FaultSimSlice {
  spec: Shared<CampaignSpec>;
  /** The caller's faults, shared (shared-universe.ts): the thread builds its slice from them instead of enumerating. */
  faults?: SharedFaults;
  /** The caller's compiled chip (with the shared faults): the thread takes a copy instead of reading and compiling the bench again. */
  net?: Shared<CompiledNetwork>;
  slice: number;
  /** The thread's own share: [start, end) pairs (flat), ascending, graded first; one pair when the faults are not shared. */
  ranges: number[];
  /** The campaign's tail (campaignSplit: chunks of one range each), claimed one at a time once the share is done, in the same engine run: `next` is an Int32 counter, the index of the next chunk. */
  claim?: { chunks: number[][]; next: SharedArrayBuffer };
  /** The good chip's runs, by vector then repetition, simulated once for every thread (shared-good-runs.ts). */
  goodRuns?: PackedGoodRun[][];
  /** Float64 [slice]: fault-vector evaluations this thread has done (of faults × vectors for the campaign). */
  progress: SharedArrayBuffer;
  /** The campaign's outcome table, shared (shared-outcomes.ts): the thread writes its slice's places. */
  outcomes: SharedOutcomes;
}

/** What a slice sends back: the result, its outcomes written into the shared table (`parts`: its share and each chunk it claimed — what of them does not live there), its CPU ms. */
export type FaultSimSliceResult = Omit<FaultSimResult, "outcomes"> & {
  parts: SliceOutcomes[];
  /** Pieces the thread graded: its own share and the tail chunks it claimed. */
  chunks: number;
  cpuMs: number;
  engineCpuMs: number;
  /** The engine run's begin and end, epoch ms (performance.timeOrigin + now: one clock across threads). */
  engineSpan: [number, number];
};

export const faultSimTask = taskModule<FaultSimSlice, FaultSimSliceResult>(import.meta.url, "./fault-sim-task.ts", "fault-sim-task");

/** The other task of the same module: the good chip on some (vector, repetition) units of the spec, packed in unit order; null: only start the thread (it loads the module while the caller shares the work). */
export interface GoodRunsJob {
  simulateGood: { spec: Shared<CampaignSpec>; net: Shared<CompiledNetwork>; units: [number, number][] } | null;
}

export const goodRunsTask = taskModule<GoodRunsJob, PackedGoodRun[]>(import.meta.url, "./fault-sim-task.ts", "fault-sim-task");

/**
 * The third task of the module: a thread's set-up for a campaign — the spec read, its copy of the
 * caller's chip and the fault analysis, the good runs unpacked — done while the caller still
 * encodes the faults, so a slice starts grading at once (0.17–0.3 s per thread on bnn, which
 * was serial after the faults were shared, for every --jobs). Resolves to the thread's CPU ms.
 */
export interface PrepareJob {
  prepare: { spec: Shared<CampaignSpec>; net: Shared<CompiledNetwork>; goodRuns?: PackedGoodRun[][] };
}

export const prepareTask = taskModule<PrepareJob, number>(import.meta.url, "./fault-sim-task.ts", "fault-sim-task");

/**
 * Start every thread of `pool` and load the engine there (a no-op task each): a command that
 * knows early that its campaign will be pooled starts them before its own long stretch
 * (coverage: while it enumerates the universe), so the campaign finds them ready.
 */
export function startCampaignThreads(pool: JobPool, signal?: AbortSignal): Promise<void> {
  return Promise.all(Array.from({ length: pool.size }, () => pool.run(goodRunsTask, { simulateGood: null }, { signal }))).then(() => undefined);
}

/** Fewest faults worth a thread of their own (below this, thread start-up costs more than it saves). */
export const MIN_FAULTS_PER_JOB = 2_000;

export interface ParallelOptions {
  /** Threads (default: available parallelism); at most one per MIN_FAULTS_PER_JOB faults; 1 = this thread. */
  jobs?: number;
  /** A pool to run on (else one is made for the campaign and closed after it). */
  pool?: JobPool;
  analysis?: FaultAnalysis;
  signal?: AbortSignal;
  /** Progress over all slices (engine units). */
  onProgress?: (done: number, total: number) => void;
  /** Fewest faults per thread (default MIN_FAULTS_PER_JOB; tests lower it to run small benches on threads). */
  minFaultsPerJob?: number;
  /**
   * Run on the pool even when the campaign is small in faults (one thread then), so this
   * thread only waits and a Ctrl-C is seen at once: for campaigns long in vectors.
   */
  offMainThread?: boolean;
  /** The good chip's runs the caller has already, packed (shared-good-runs.ts), by vector then repetition — every one: not simulated again (coverage keeps those of its expected-response check). */
  goodRuns?: PackedGoodRun[][];
  /** The caller's chip as already shared with this pool's threads, unchanged since (a warm-up's: campaign-warm-up.ts); else shared here. */
  sharedNet?: Shared<CompiledNetwork>;
  /**
   * The caller's faults as already shared (shareFaultsAsync of this very list, unchanged since: coverage shares its
   * universe once enumerated, so the campaign starts without 0.3 s of encoding on bnn); a table of another list is not used.
   */
  sharedFaults?: SharedFaults | null;
}

function sumPaths(parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Threads a campaign of `faults` faults uses for `jobs` requested. */
export function campaignThreads(faults: number, jobs = defaultJobs(), minFaultsPerJob = MIN_FAULTS_PER_JOB): number {
  return Math.max(1, Math.min(jobs, Math.ceil(faults / minFaultsPerJob)));
}

/** Join slice results in order: the result of one campaign over the concatenated slices. */
export function joinSliceResults(engine: string, all: readonly FaultSimResult[], elapsedMs: number): FaultSimResult {
  return {
    engine,
    outcomes: all.flatMap((r) => r.outcomes),
    evaluations: all.reduce((s, r) => s + r.evaluations, 0),
    fastPathEvaluations: all.reduce((s, r) => s + r.fastPathEvaluations, 0),
    ...(all[0]?.pathEvaluations ? { pathEvaluations: sumPaths(all.map((r) => r.pathEvaluations ?? {})) } : {}),
    elapsedMs,
    threadElapsedMs: all.map((r) => r.elapsedMs),
  };
}

/** Join in-thread results of consecutive fault slices: from their outcome tables when every one has one (no outcome object built), else as joinSliceResults. */
export function joinResults(engine: string, all: readonly FaultSimResult[], faults: readonly Fault[], vectors: readonly FaultSimVector[], elapsedMs: number): FaultSimResult {
  const tables = all.map(outcomeTableOf);
  if (all.length === 1 || tables.some((t) => !t)) return all.length === 1 ? all[0] : joinSliceResults(engine, all, elapsedMs);
  // (a spread of a result would read its outcomes, building the objects)
  const r = {
    engine,
    evaluations: all.reduce((s, x) => s + x.evaluations, 0),
    fastPathEvaluations: all.reduce((s, x) => s + x.fastPathEvaluations, 0),
    ...(all[0].pathEvaluations ? { pathEvaluations: sumPaths(all.map((x) => x.pathEvaluations ?? {})) } : {}),
    elapsedMs,
    threadElapsedMs: all.map((x) => x.elapsedMs),
  };
  return withOutcomes(r, joinOutcomeTables(tables as OutcomeTable[]), faults, vectors);
}

/** Join slice results: outcomes from the shared table the slices wrote (built on first read). */
export function joinSliceTables(engine: string, all: readonly FaultSimSliceResult[], faults: readonly Fault[], vectors: readonly FaultSimVector[], elapsedMs: number, shared: SharedOutcomes, startedAt = Number.NaN): FaultSimResult {
  const r = {
    engine,
    outcomes: null,
    evaluations: all.reduce((s, x) => s + x.evaluations, 0),
    fastPathEvaluations: all.reduce((s, x) => s + x.fastPathEvaluations, 0),
    ...(all[0]?.pathEvaluations ? { pathEvaluations: sumPaths(all.map((x) => x.pathEvaluations ?? {})) } : {}),
    elapsedMs,
    threadElapsedMs: all.map((x) => x.elapsedMs),
    threadCpuMs: all.map((x) => x.cpuMs),
    threadEngineCpuMs: all.map((x) => x.engineCpuMs),
    threadEngineSpanMs: all.map((x) => [x.engineSpan[0] - startedAt, x.engineSpan[1] - startedAt] as [number, number]),
    threadChunks: all.map((x) => x.chunks),
    ...(all.every((x) => x.phaseMs) ? { threadPhaseMs: all.map((x) => x.phaseMs!) } : {}),
    ...(all.some((x) => x.givenGoodRuns) ? { givenGoodRuns: all.reduce((n, x) => n + (x.givenGoodRuns ?? 0), 0) } : {}),
    ...(all.length === 1 && all[0].phaseMs ? { phaseMs: all[0].phaseMs } : {}),
  };
  return withOutcomes(r, joinSharedOutcomes(shared, all.flatMap((x) => x.parts)), faults, vectors);
}

/**
 * Where a campaign of `faults` faults runs: small ones in this thread (a thread would cost
 * more than it saves), others on `threads` pool threads — even one, so that Ctrl-C finds
 * the event loop free.
 */
export function campaignPlan(faults: number, opts: Pick<ParallelOptions, "jobs" | "pool" | "minFaultsPerJob" | "offMainThread"> = {}): { threads: number; onPool: boolean } {
  const threads = campaignThreads(faults, opts.pool?.size ?? opts.jobs, opts.minFaultsPerJob);
  const onPool = threads > 1 || faults >= (opts.minFaultsPerJob ?? MIN_FAULTS_PER_JOB) || Boolean(opts.pool) || Boolean(opts.offMainThread);
  return { threads, onPool };
}

export async function runParallelCampaign(spec: CampaignSpec, net: CompiledNetwork, faults: readonly Fault[], opts: ParallelOptions = {}): Promise<FaultSimResult> {
  const engine = faultEngines[spec.engine];
  const { threads: n, onPool } = campaignPlan(faults.length, opts);
  const given = completeGoodRuns(net, spec.vectors, opts.goodRuns);
  if (!onPool) {
    const unpacked = given && spec.engine === "fast" && given.map((reps) => reps.map((p) => unpackGoodRun(net, p)));
    return engine.run(net, faults, spec.vectors, { drop: spec.drop, proveUndetectable: spec.proveUndetectable, analysis: opts.analysis, signal: opts.signal, onProgress: opts.onProgress, ...(unpacked ? { goodRun: (v: number, rep: number) => unpacked[v][rep] } : {}) });
  }
  const start = performance.now();
  const startedAt = performance.timeOrigin + start;
  // one slice per thread; shared faults in column blocks dealt over the threads (every thread a mix of the chip's columns)
  // the caller's table of this very list (ParallelOptions.sharedFaults), else what shareFaults can encode (it may still decline: shareFaults)
  const handed = opts.sharedFaults && isSharingOf(opts.sharedFaults, faults) ? opts.sharedFaults : undefined;
  const shareable = handed !== undefined || faults.every((f) => f instanceof SiteFault);
  const progress = new SharedArrayBuffer(8 * n);
  const total = faults.length * spec.vectors.length; // fault-vector evaluations at most (a dropped fault's are counted done)
  const progressTimer = opts.onProgress
    ? setInterval(() => {
        const p = new Float64Array(progress);
        let done = 0;
        for (let k = 0; k < n; k++) done += p[k];
        if (total > 0) opts.onProgress!(Math.min(done, total), total);
      }, 200)
    : undefined;
  const pool = opts.pool ?? createJobPool(n);
  // the start-up and good-run tasks (up to 2 per thread) are pending at once, each listening for Ctrl-C: not a leak
  if (opts.signal) setMaxListeners(Math.max(getMaxListeners(opts.signal), 2 * n + 10), opts.signal);
  try {
    // the threads start (and load the engine) while this thread shares the spec, the chip and the faults — only on a pool
    // made here: a caller's pool was started by the caller (startCampaignThreads), and a start task on its threads would hold
    // the prepare tasks below in the pool's queue until this thread next yields, i.e. after it encoded the faults, not beside
    const started = opts.pool ? Promise.resolve() : Promise.all(Array.from({ length: n }, () => pool.run(goodRunsTask, { simulateGood: null }, { signal: opts.signal })));
    started.catch(() => undefined); // awaited below; a Ctrl-C before then must not leave it unhandled
    const shared = shareValue(spec);
    // the chip as the caller compiled it (serialised once; each thread deserialises its own copy, which it may perturb in place)
    const sharedNet = shareable ? (opts.sharedNet ?? shareValue(net)) : undefined;
    // the good machine first, its vectors dealt over the threads (they start meanwhile, and this thread shares the faults)
    // only with the caller's chip shared (a thread compiling the bench file would grade another chip than the runs') and for the engine that reads them
    const good = !sharedNet || spec.engine !== "fast" ? null : given ? Promise.resolve(given) : sharedGoodRuns(pool, n, shared, sharedNet, net, spec.vectors, opts.signal);
    good?.catch(() => undefined); // awaited below; an error in between must not leave it unhandled
    // with the good runs at hand, every thread sets up now (one task each: the threads are idle), while this one encodes the faults
    // (else the good-run tasks set the chip up on the threads meanwhile)
    const prepared = sharedNet && given && spec.engine === "fast" ? Promise.all(Array.from({ length: n }, () => pool.run(prepareTask, { prepare: { spec: shared, net: sharedNet, goodRuns: given } }, { signal: opts.signal }))) : null;
    prepared?.catch(() => undefined);
    const sharedFaults = handed ?? (shareable ? ((await shareFaultsAsync(faults, opts.signal)) ?? undefined) : undefined);
    // the threads write their outcomes into one shared table (no table cloned back or joined by copying)
    const outcomes = createSharedOutcomes(faults.length);
    // Shared faults: each thread's own share of column blocks dealt over the threads, then the tail's chunks, claimed one at a
    // time by whichever thread is free (the fast engine: it grades them in the same run); the caller's chip and good runs.
    // Else (a list the table cannot encode) one contiguous range each, rebuilt from the spec with its own chip and good runs.
    // (cut while the threads set up, from the shared table: the sites of 3.66 M fault objects took 58 ms on bnn)
    const split = sharedFaults ? campaignSplit(faults, n, { tail: spec.engine === "fast" ? CLAIMED_TAIL : 0, shared: sharedFaults }) : null;
    const claim = split && split.chunks.length > 0 ? { chunks: split.chunks, next: new SharedArrayBuffer(4) } : undefined;
    const slices = split ? split.slices : contiguousRanges(faults, n);
    const goodRuns = (await good) ?? undefined;
    await started;
    await prepared;
    const fromCaller = sharedFaults ? { faults: sharedFaults, net: sharedNet, goodRuns, ...(claim ? { claim } : {}) } : {};
    const all = await Promise.all(slices.map((ranges, k) => pool.run(faultSimTask, { spec: shared, ...fromCaller, slice: k, ranges, progress, outcomes }, { signal: opts.signal })));
    return joinSliceTables(engine.id, all, faults, spec.vectors, performance.now() - start, outcomes, startedAt);
  } finally {
    clearInterval(progressTimer);
    if (!opts.pool) await pool.close();
  }
}

/**
 * The good chip's run on every (vector, repetition) of a campaign, simulated once over the
 * pool's threads (units dealt round-robin) and packed for all of them (shared-good-runs.ts),
 * by vector then repetition; null when there are too many to keep (each thread simulates its own).
 */
async function sharedGoodRuns(pool: JobPool, n: number, spec: Shared<CampaignSpec>, sharedNet: Shared<CompiledNetwork>, net: CompiledNetwork, vectors: readonly FaultSimVector[], signal?: AbortSignal): Promise<PackedGoodRun[][] | null> {
  const units: [number, number][] = [];
  vectors.forEach((v, i) => {
    for (let rep = 0; rep < repetitionsOf(net, v); rep++) units.push([i, rep]);
  });
  if (units.length === 0 || units.length > MAX_SHARED_GOOD_RUNS) return null;
  const dealt = Array.from({ length: Math.min(n, units.length) }, (_, k) => units.filter((_, u) => u % n === k));
  const packed = await Promise.all(dealt.map((mine) => pool.run(goodRunsTask, { simulateGood: { spec, net: sharedNet, units: mine } }, { signal })));
  const runs: PackedGoodRun[][] = vectors.map(() => []);
  dealt.forEach((mine, k) => mine.forEach(([v, rep], j) => (runs[v][rep] = packed[k][j])));
  return runs;
}

/** The caller's good runs when there is one for every vector and repetition (else null: they are simulated here). */
function completeGoodRuns(net: CompiledNetwork, vectors: readonly FaultSimVector[], runs: PackedGoodRun[][] | undefined): PackedGoodRun[][] | null {
  if (!runs || runs.length !== vectors.length) return null;
  return vectors.every((v, i) => runs[i].length === repetitionsOf(net, v) && runs[i].every(Boolean)) ? runs : null;
}

/** `n` contiguous slices cut where columns end (faults that are not shared: a thread walks the universe for one range). */
function contiguousRanges(faults: readonly Fault[], n: number): number[][] {
  const b = columnBlockBounds(faults, n);
  return Array.from({ length: n }, (_, k) => [b[k], b[k + 1]]);
}
