/**
 * Parallel fault simulation on the job pool (parallel/job-pool.ts): the fault list is
 * cut into contiguous slices (so column batches stay together), each slice runs as a
 * pool task, and the outcomes are joined in slice order. Every fault is classified on
 * its own, so the classes — and the report — do not depend on the number of jobs.
 *
 * Workers rebuild the network and the universe from a spec (files and options, not
 * objects) that is shared with them once (parallel/shared-value.ts), so the spec must
 * be what produced `faults` here.
 *
 *   const r = await runParallelCampaign(spec, net, universe.faults, { jobs: 2, analysis, signal });
 *
 * Ctrl-C (`signal`) first raises a shared flag — the engines stop at the next vector and
 * report unfinished faults AU "interrupted" — and terminates the threads if they have
 * not answered within `graceMs` (a vector of a large chip can take longer than that).
 */
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { Fault } from "../faults/fault.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { createJobPool, defaultJobs, taskModule, type JobPool } from "../parallel/job-pool.ts";
import { shareValue, type Shared } from "../parallel/shared-value.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { faultEngines, type FaultEngineId } from "./engine-registry.ts";
import type { Shard } from "./fault-shard.ts";
import type { FaultSimResult, FaultSimVector } from "./fault-engine.ts";

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

/** One pool task: faults [start, end) of the spec's universe. */
export interface FaultSimSlice {
  spec: Shared<CampaignSpec>;
  slice: number;
  start: number;
  end: number;
  /** Int32 [0]: 1 = stop at the next vector. */
  abortFlag: SharedArrayBuffer;
  /** Float64 [2·slice] done, [2·slice + 1] total (engine units). */
  progress: SharedArrayBuffer;
}

export const faultSimTask = taskModule<FaultSimSlice, FaultSimResult>(import.meta.url, "./fault-sim-task.ts", "fault-sim-task");

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
  /** After Ctrl-C, how long threads may take to hand back partial results before they are terminated, ms. */
  graceMs?: number;
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

export async function runParallelCampaign(spec: CampaignSpec, net: CompiledNetwork, faults: readonly Fault[], opts: ParallelOptions = {}): Promise<FaultSimResult> {
  const engine = faultEngines[spec.engine];
  const n = campaignThreads(faults.length, opts.pool?.size ?? opts.jobs, opts.minFaultsPerJob);
  // Small campaigns run here (a thread would cost more than it saves); larger ones always
  // on the pool, even with one job, so that Ctrl-C finds the event loop free.
  if (faults.length < (opts.minFaultsPerJob ?? MIN_FAULTS_PER_JOB) && !opts.pool) {
    return engine.run(net, faults, spec.vectors, { drop: spec.drop, proveUndetectable: spec.proveUndetectable, analysis: opts.analysis, signal: opts.signal, onProgress: opts.onProgress });
  }
  const start = performance.now();
  const bounds = Array.from({ length: n + 1 }, (_, k) => Math.round((k * faults.length) / n));
  const abortFlag = new SharedArrayBuffer(4);
  const progress = new SharedArrayBuffer(16 * n);
  const hard = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    Atomics.store(new Int32Array(abortFlag), 0, 1);
    timer = setTimeout(() => hard.abort(), opts.graceMs ?? 500);
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener("abort", onAbort, { once: true });
  const progressTimer = opts.onProgress
    ? setInterval(() => {
        const p = new Float64Array(progress);
        let done = 0;
        let total = 0;
        for (let k = 0; k < n; k++) (done += p[2 * k]), (total += p[2 * k + 1]);
        if (total > 0) opts.onProgress!(done, total);
      }, 200)
    : undefined;
  const pool = opts.pool ?? createJobPool(n);
  try {
    const shared = shareValue(spec);
    const all = await Promise.all(
      bounds.slice(0, -1).map((s, k) => pool.run(faultSimTask, { spec: shared, slice: k, start: s, end: bounds[k + 1], abortFlag, progress }, { signal: hard.signal })),
    );
    return joinSliceResults(engine.id, all, performance.now() - start);
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    clearTimeout(timer);
    clearInterval(progressTimer);
    if (!opts.pool) await pool.close();
  }
}
