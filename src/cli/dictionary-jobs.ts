/**
 * The fault dictionary of a program with `--jobs N`: read from the cache when it is
 * there and current, else built — its faults on the job pool with N ≥ 2, in this
 * thread with 1 (the same dictionary either way, fault-dictionary.ts) — and cached.
 *
 *   const { dictionary, cached } = await dictionaryWithJobs({ program, programFile, bench, cacheDir }, 2, ctx.signal);
 */
import { dictionaryOnPool } from "../characterise/campaign-runs.ts";
import { buildDictionary, cachedDictionary, storeDictionary, type DictionaryOptions, type FaultDictionary } from "../faultsim/fault-dictionary.ts";
import { withJobPool } from "./jobs-option.ts";

export async function dictionaryWithJobs(o: DictionaryOptions, jobs: number, signal?: AbortSignal): Promise<{ dictionary: FaultDictionary; cached: boolean }> {
  const c = cachedDictionary(o);
  if (c.dictionary) return { dictionary: c.dictionary, cached: true };
  const opts = { ...o, models: c.models };
  const dictionary = await withJobPool(jobs, jobs, async (pool) => (pool ? dictionaryOnPool(pool, opts, signal) : buildDictionary(opts)));
  storeDictionary(c.file, dictionary);
  return { dictionary, cached: false };
}
