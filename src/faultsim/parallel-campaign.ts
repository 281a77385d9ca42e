/**
 * Parallel fault simulation over worker threads: the fault list is cut into
 * contiguous slices (so column batches stay together), this thread simulates the
 * first slice and each worker one other slice, and the outcomes are joined in order.
 * Classes do not depend on the split (every fault is classified on its own).
 *
 * Workers rebuild the network and the universe from a spec (files and options, not
 * objects), so the spec must be what produced `faults` here.
 *
 *   const r = await runParallelCampaign(spec, net, universe.faults, { workers: 2, analysis });
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { FaultAnalysis } from "../faults/fault-analysis.ts";
import type { Fault } from "../faults/fault.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { workerEntry } from "../package-root.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { InterruptedError } from "../formats/errors.ts";
import { faultEngines, type FaultEngineId } from "./engine-registry.ts";
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
}

export interface WorkerJob {
  spec: CampaignSpec;
  start: number;
  end: number;
  abortFlag: SharedArrayBuffer;
}

export type WorkerMessage =
  | { kind: "progress"; done: number; total: number }
  | { kind: "result"; result: FaultSimResult }
  | { kind: "error"; message: string; stack: string };

export interface ParallelOptions {
  /** Threads in total, this one included (default: available cores, at most 2 per 100 k faults, ≥ 1). */
  workers?: number;
  analysis?: FaultAnalysis;
  signal?: AbortSignal;
  /** Progress of this thread's slice (engine units). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Simulate every slice on a worker while this thread only waits, so a Ctrl-C (an
   * event-loop callback) is seen at once: on abort the workers are terminated and the
   * campaign rejects with InterruptedError (no partial result). For long campaigns.
   */
  offMainThread?: boolean;
}

function sumPaths(parts: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Default thread count for a campaign of `faults` faults. */
export function defaultWorkers(faults: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(faults / 50_000)));
}

export async function runParallelCampaign(spec: CampaignSpec, net: CompiledNetwork, faults: readonly Fault[], opts: ParallelOptions = {}): Promise<FaultSimResult> {
  const engine = faultEngines[spec.engine];
  const n = Math.max(1, Math.min(opts.workers ?? defaultWorkers(faults.length), faults.length || 1));
  const base = { drop: spec.drop, proveUndetectable: spec.proveUndetectable, analysis: opts.analysis, signal: opts.signal, onProgress: opts.onProgress };
  if (n === 1 && !opts.offMainThread) return engine.run(net, faults, spec.vectors, base);
  if (opts.offMainThread && opts.signal?.aborted) throw new InterruptedError();
  /** Slices simulated on workers start here: slice 0 is this thread's unless offMainThread. */
  const firstWorkerSlice = opts.offMainThread ? 0 : 1;
  const start = performance.now();
  const bounds = Array.from({ length: n + 1 }, (_, k) => Math.round((k * faults.length) / n));
  const abortFlag = new SharedArrayBuffer(4);
  const flag = new Int32Array(abortFlag);
  let stop: (err: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => undefined);
  const onAbort = () => {
    Atomics.store(flag, 0, 1);
    if (opts.offMainThread) stop(new InterruptedError());
  };
  opts.signal?.addEventListener("abort", onAbort);
  const workers: Worker[] = [];
  const pending = bounds.slice(firstWorkerSlice, -1).map((s, k) => {
    const job: WorkerJob = { spec, start: s, end: bounds[firstWorkerSlice + k + 1], abortFlag };
    const w = new Worker(workerEntry(import.meta.url, "fault-sim-worker", "./fault-sim-worker-boot.mjs"), { workerData: job });
    workers.push(w);
    return new Promise<FaultSimResult>((resolve, reject) => {
      w.on("message", (m: WorkerMessage) => {
        if (m.kind === "result") resolve(m.result);
        else if (m.kind === "progress" && k === 0 && opts.offMainThread) opts.onProgress?.(m.done, m.total);
        else if (m.kind === "error") reject(Object.assign(new Error(`fault-simulation worker: ${m.message}`), { stack: m.stack }));
      });
      w.on("error", reject);
      w.on("exit", (code) => {
        if (code !== 0) reject(new Error(`fault-simulation worker exited with code ${code}`));
      });
    });
  });
  try {
    const mine = opts.offMainThread ? [] : [engine.run(net, faults.slice(0, bounds[1]), spec.vectors, base)];
    const theirs = await Promise.race([Promise.all(pending), stopped]);
    const all = [...mine, ...theirs];
    return {
      engine: engine.id,
      outcomes: all.flatMap((r) => r.outcomes),
      evaluations: all.reduce((s, r) => s + r.evaluations, 0),
      fastPathEvaluations: all.reduce((s, r) => s + r.fastPathEvaluations, 0),
      ...(all[0].pathEvaluations ? { pathEvaluations: sumPaths(all.map((r) => r.pathEvaluations ?? {})) } : {}),
      elapsedMs: performance.now() - start,
      threadElapsedMs: all.map((r) => r.elapsedMs),
    };
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    for (const w of workers) void w.terminate();
  }
}
