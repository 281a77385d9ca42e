/**
 * A sliced run: `units` independent pieces of work (open-sweep cases, Monte-Carlo trials,
 * faults of a dictionary) cut into contiguous slices that run as tasks of the job pool,
 * their results joined in unit order. A unit's result depends only on the unit (its own
 * seed, its own fault), never on the slice it landed in, so the joined results — and
 * every report made from them — are the same for any number of jobs.
 *
 *   const spec = shareValue({ bench, cases });
 *   const { results } = await runSliced(pool, sliceTask, "openSweep", spec, cases.length, { signal });
 *
 * Slices are a few per thread (SLICES_PER_THREAD), so uneven units still keep every
 * thread busy. On Ctrl-C (`signal`) the pool is terminated; the units of the slices that
 * finished before are kept and `interrupted` is set (a caller that can report part of its
 * work — the lifetime curves finished so far — does so).
 */
import { getMaxListeners, setMaxListeners } from "node:events";
import { JobsInterruptedError, type JobPool, type TaskModule } from "./job-pool.ts";
import type { Shared } from "./shared-value.ts";

/** One pool task of a sliced run: units [start, end) of the spec's work. */
export interface SliceJob<K extends string = string, S = unknown> {
  kind: K;
  spec: Shared<S>;
  start: number;
  end: number;
}

/** Slices per pool thread: enough to even out units of unequal cost, few enough that a slice outweighs its message. */
export const SLICES_PER_THREAD = 4;

/** Contiguous slice bounds of `units` for `threads` threads: [b0 = 0, b1, …, bn = units]. */
export function sliceBounds(units: number, threads: number, perThread = SLICES_PER_THREAD): number[] {
  const n = Math.max(1, Math.min(units, threads * perThread));
  return Array.from({ length: n + 1 }, (_, k) => Math.round((k * units) / n));
}

/**
 * Units dealt round-robin over the slices `bounds` (sliceBounds) — unit 0 to slice 0, unit 1
 * to slice 1, …, skipping full slices — each slice's units laid out where the slice lies:
 * `order[k]` is the original index of the unit at position k. A slice then holds a sample of
 * the whole, so units whose cost comes in runs (criticality: faults listed model by model,
 * an output-layer fault scoring every digit) even out over the threads. Put results back
 * with `results[order[k]] = dealtResults[k]`.
 */
export function dealtOrder(bounds: readonly number[]): number[] {
  const n = bounds.length - 1;
  const units = bounds[n];
  const next = bounds.slice(0, -1);
  const order = new Array<number>(units);
  let s = 0;
  for (let i = 0; i < units; i++) {
    while (next[s] === bounds[s + 1]) s = (s + 1) % n;
    order[next[s]++] = i;
    s = (s + 1) % n;
  }
  return order;
}

export interface SlicedRunOptions<R> {
  signal?: AbortSignal;
  /** Slices per thread (default SLICES_PER_THREAD; Infinity: a slice per unit, for units of a quarter second and more). */
  slicesPerThread?: number;
  /** Called as each slice finishes, with the units done so far and the slice's results. */
  onSlice?: (unitsDone: number, units: number, start: number, results: readonly R[]) => void;
  /** Keep every unit's result in `results` (default true); false: the caller takes them in onSlice (a 6.9 M-entry array and its copy cost the main thread half a second on bnn). */
  collect?: boolean;
}

/** What a sliced run gives: a result per unit (undefined for units of slices cut short by Ctrl-C; empty with `collect: false`). */
export interface SlicedRunResult<R> {
  results: (R | undefined)[];
  interrupted: boolean;
}

/** Run `units` units of kind `kind` on the pool, slice by slice; results in unit order. */
export async function runSliced<K extends string, S, R>(
  pool: JobPool,
  task: TaskModule<SliceJob<K, S>, R[]>,
  kind: K,
  spec: Shared<S>,
  units: number,
  o: SlicedRunOptions<R> = {},
): Promise<SlicedRunResult<R>> {
  const bounds = sliceBounds(units, pool.size, o.slicesPerThread);
  // every queued slice listens for Ctrl-C on the signal: more than Node's 10 is expected here, not a leak
  if (o.signal) setMaxListeners(Math.max(getMaxListeners(o.signal), bounds.length + 10), o.signal);
  const collect = o.collect ?? true;
  const results: (R | undefined)[] = collect ? new Array(units).fill(undefined) : [];
  let done = 0;
  let interrupted = false;
  await Promise.all(
    bounds.slice(0, -1).map(async (start, k) => {
      const end = bounds[k + 1];
      if (end === start) return;
      try {
        const part = await pool.run(task, { kind, spec, start, end }, { signal: o.signal });
        if (collect) for (let i = 0; i < part.length; i++) results[start + i] = part[i];
        done += end - start;
        o.onSlice?.(done, units, start, part);
      } catch (err) {
        if (!(err instanceof JobsInterruptedError)) throw err;
        interrupted = true;
      }
    }),
  );
  return { results, interrupted };
}
