/**
 * The fault dictionary of a program with `--jobs N`: read from the cache when it is
 * there and current, else built — its faults on the job pool with N ≥ 2, in this
 * thread with 1 (the same dictionary either way, fault-dictionary.ts) — and cached.
 *
 *   const { dictionary, cached } = await dictionaryWithJobs({ program, programFile, bench, cacheDir }, 2, ctx.signal, phaseProgress(ctx));
 */
import { dictionaryOnPool } from "../characterise/campaign-runs.ts";
import { buildDictionary, cachedDictionary, storeDictionary, type DictionaryOptions, type FaultDictionary } from "../faultsim/fault-dictionary.ts";
import { withJobPool } from "./jobs-option.ts";
import type { PhaseProgress } from "./phase-progress.ts";

export async function dictionaryWithJobs(o: DictionaryOptions, jobs: number, signal?: AbortSignal, progress?: PhaseProgress): Promise<{ dictionary: FaultDictionary; cached: boolean }> {
  const c = cachedDictionary(o);
  if (c.dictionary) return { dictionary: c.dictionary, cached: true };
  const opts = { ...o, models: c.models };
  // minutes on a large bench (every collapsed fault, no dropping): a counted phase when the pool runs it
  progress?.phase("building the program's fault dictionary (every collapsed fault, no dropping)", undefined, "faults");
  const dictionary = await withJobPool(jobs, jobs, async (pool) => (pool ? dictionaryOnPool(pool, opts, signal, (done, total) => progress?.update(done, total)) : buildDictionary(opts)));
  progress?.phase("caching the fault dictionary");
  storeDictionary(c.file, dictionary);
  progress?.end();
  return { dictionary, cached: false };
}
