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

export interface SlicedRunOptions<R> {
  signal?: AbortSignal;
  /** Called as each slice finishes, with the units done so far and the slice's results. */
  onSlice?: (unitsDone: number, units: number, start: number, results: readonly R[]) => void;
}

/** What a sliced run gives: a result per unit (undefined for units of slices cut short by Ctrl-C). */
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
  const bounds = sliceBounds(units, pool.size);
  const results: (R | undefined)[] = new Array(units).fill(undefined);
  let done = 0;
  let interrupted = false;
  await Promise.all(
    bounds.slice(0, -1).map(async (start, k) => {
      const end = bounds[k + 1];
      if (end === start) return;
      try {
        const part = await pool.run(task, { kind, spec, start, end }, { signal: o.signal });
        for (let i = 0; i < part.length; i++) results[start + i] = part[i];
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
