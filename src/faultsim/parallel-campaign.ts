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
 * Ctrl-C (`signal`) on a pooled campaign terminates the threads at once and rejects with
 * an InterruptedError (no partial result: a coverage run is recomputed, never resumed);
 * an in-process campaign hands its signal to the engine (unfinished faults AU).
 */
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { Fault } from "../faults/fault.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { createJobPool, defaultJobs, JobsInterruptedError, taskModule, type JobPool } from "../parallel/job-pool.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import { decodeOutcomes, type EncodedOutcomes } from "./outcome-encoding.ts";
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
  /** Float64 [2·slice] done, [2·slice + 1] total (engine units). */
  progress: SharedArrayBuffer;
}

export const faultSimTask = taskModule<FaultSimSlice, FaultSimResult & { encoded?: EncodedOutcomes }>(import.meta.url, "./fault-sim-task.ts", "fault-sim-task");

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
  if (!onPool) {
    return engine.run(net, faults, spec.vectors, { drop: spec.drop, proveUndetectable: spec.proveUndetectable, analysis: opts.analysis, signal: opts.signal, onProgress: opts.onProgress });
  }
  const start = performance.now();
  const bounds = Array.from({ length: n + 1 }, (_, k) => Math.round((k * faults.length) / n));
  const progress = new SharedArrayBuffer(16 * n);
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
      bounds.slice(0, -1).map((s, k) => pool.run(faultSimTask, { spec: shared, slice: k, start: s, end: bounds[k + 1], progress }, { signal: opts.signal })),
    );
    // Outcomes come back encoded; rebuilding 1.8 M objects a slice takes seconds: Ctrl-C between chunks.
    const between = () => checkpoint(opts.signal).catch(() => {
      throw new JobsInterruptedError("interrupted (Ctrl-C) while receiving the pool threads' fault outcomes");
    });
    for (let k = 0; k < all.length; k++) {
      const { encoded, ...r } = all[k];
      all[k] = encoded ? { ...r, outcomes: await decodeOutcomes(encoded, (i) => faults[bounds[k] + i].id, spec.vectors.map((v) => v.id), between) } : r;
    }
    return joinSliceResults(engine.id, all, performance.now() - start);
  } finally {
    clearInterval(progressTimer);
    if (!opts.pool) await pool.close();
  }
}
