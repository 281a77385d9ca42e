/**
 * The fault dictionary of a program with `--jobs N`: read from the cache when it is
 * there and current, else built — its faults on the job pool with N ≥ 2, in this
 * thread with 1 (the same dictionary either way, fault-dictionary.ts) — and cached.
 *
 *   const { dictionary, cached } = await dictionaryWithJobs({ program, programFile, bench, cacheDir }, 2, ctx.signal, phaseProgress(ctx));
 */
import { dictionaryOnPool } from "../characterise/campaign-runs.ts";
import { assembleDictionary, cachedDictionary, dictionaryFailing, dictionaryPlan, storeDictionary, type DictionaryOptions, type FaultDictionary } from "../faultsim/fault-dictionary.ts";
import { checkpoint } from "../formats/interrupt-checkpoint.ts";
import { withJobPool } from "./jobs-option.ts";
import type { PhaseProgress } from "./phase-progress.ts";

export async function dictionaryWithJobs(o: DictionaryOptions, jobs: number, signal?: AbortSignal, progress?: PhaseProgress): Promise<{ dictionary: FaultDictionary; cached: boolean }> {
  const c = cachedDictionary(o);
  if (c.dictionary) return { dictionary: c.dictionary, cached: true };
  const opts = { ...o, models: c.models };
  // minutes on a large bench (every collapsed fault, no dropping): a counted phase when the pool runs it
  progress?.phase("building the program's fault dictionary (every collapsed fault, no dropping)", undefined, "faults");
  const dictionary = await withJobPool(jobs, jobs, async (pool) => (pool ? dictionaryOnPool(pool, opts, signal, (done, total) => progress?.update(done, total)) : buildDictionaryInSteps(opts, signal, (done, total) => progress?.update(done, total))));
  progress?.phase("caching the fault dictionary");
  storeDictionary(c.file, dictionary);
  progress?.end();
  return { dictionary, cached: false };
}

/** Busy time between two Ctrl-C checkpoints of the one-thread build (a chunk's faults are sized to it). */
const STEP_MS = 500;

/**
 * buildDictionary (fault-dictionary.ts) in this thread, in chunks of faults with a Ctrl-C
 * checkpoint and a progress update between them: each fault's failing vectors depend on
 * the fault alone, so the dictionary is buildDictionary's. A chunk grows while it takes
 * under STEP_MS (on bnn-784x1024x10 a detected fault costs a whole-chip simulation per
 * detecting vector, so one chunk of the whole universe was minutes without a turn).
 */
export async function buildDictionaryInSteps(o: DictionaryOptions, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<FaultDictionary> {
  const t0 = Date.now();
  const p = dictionaryPlan(o);
  const n = p.universe.faults.length;
  const failing: Record<string, string[]>[] = [];
  let chunk = 64;
  for (let start = 0; start < n; ) {
    await checkpoint(signal, 0);
    const end = Math.min(n, start + chunk);
    const s0 = performance.now();
    for (const f of dictionaryFailing(p, start, end)) failing.push(f);
    if (performance.now() - s0 < STEP_MS) chunk *= 2;
    start = end;
    onProgress?.(start, n);
  }
  return assembleDictionary(p, failing, Date.now() - t0);
}
