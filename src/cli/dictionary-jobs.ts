/**
 * The fault dictionary of a program with `--jobs N`: read from the cache when it is
 * there and current, else built — its faults on the job pool, a one-thread pool with
 * N = 1 so that Ctrl-C stops it (the same dictionary as fault-dictionary.ts's in-thread
 * buildDictionary) — and cached.
 *
 *   const { dictionary, cached } = await dictionaryWithJobs({ program, programFile, bench, cacheDir }, 2, ctx.signal, phaseProgress(ctx));
 */
import { dictionaryOnPool } from "../characterise/campaign-runs.ts";
import { cachedDictionaryAsync, storeDictionaryAsync } from "../faultsim/dictionary-cache.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import type { DictionaryOptions, FaultDictionary } from "../faultsim/fault-dictionary.ts";
import { withStoppablePool } from "./jobs-option.ts";
import type { PhaseProgress } from "./phase-progress.ts";

export async function dictionaryWithJobs(o: DictionaryOptions, jobs: number, signal?: AbortSignal, progress?: PhaseProgress): Promise<{ dictionary: FaultDictionary; cached: boolean; notCached: string | null }> {
  // reading and writing a bnn-size cache are seconds of work: Ctrl-C is looked at as they go
  const pause = () => checkpoint(signal);
  const c = await cachedDictionaryAsync(o, pause);
  if (c.dictionary) return { dictionary: c.dictionary, cached: true, notCached: null };
  const opts = { ...o, models: c.models };
  // minutes on a large bench (every collapsed fault, no dropping): a counted phase when the pool runs it
  progress?.phase("building the program's fault dictionary (every collapsed fault, no dropping)", undefined, "faults");
  // on a pool thread even with --jobs 1: Ctrl-C terminates it (in this thread the build is one synchronous pass, minutes on bnn)
  const dictionary = await withStoppablePool(jobs, jobs, (pool) => dictionaryOnPool(pool, opts, signal, (done, total) => progress?.update(done, total)));
  progress?.phase("caching the fault dictionary");
  const notCached = await storeDictionaryAsync(c.file, dictionary, pause);
  progress?.end();
  return { dictionary, cached: false, notCached };
}
