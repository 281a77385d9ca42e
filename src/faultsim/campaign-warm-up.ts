/**
 * A pooled campaign's warm-up: the pool's threads grade the faults of a few columns of every
 * layer on the program's first vectors, through the campaign's own path (parallel-campaign.ts:
 * the chip shared, the faults from a shared table, the good machine on the pool), while the
 * caller still enumerates the universe (coverage on a chip of bnn's size: seconds on one core,
 * the threads idle).
 *
 * Why: V8 compiles a thread's engine when it first runs hot — on bnn 0.4–0.5 CPU-s of
 * concurrent compilation per thread (--trace-opt), on V8's helper threads. With --jobs 1 that
 * ran on the idle second core; with --jobs 2 it took a share of the two cores the threads
 * needed (the CPU outside the threads' slices 1.57 → 0.9 CPU-s in the campaign with a warm-up).
 * Warmed, the threads compile while the main thread enumerates, and each thread's copy of the
 * chip and its fault analysis are built then too: the chip is shared once, and the campaign
 * reuses it (`sharedNet`: the caller must not change the chip in between).
 *
 * Two passes (WARM_UP_PASSES: the first vector, then the first 12): V8 gives an object
 * literal's fields the exact class of the values first stored (Int32Array, the plan table…)
 * and widens them to "any" when the literal is made a second time — and code optimised on the
 * exact class is thrown away then. The campaign makes its per-run objects (the engine run's
 * state, the slice's tables, the scratch) once per thread, so after a one-pass warm-up the
 * campaign was that second time: on bnn with --jobs 2, 35 optimised functions of the engine
 * dropped at its start ("code dependencies", --trace-deopt) and compiled again in the
 * campaign's window; after two passes, 7–10. And 12 vectors, not 4: the engine's hot
 * functions (gradeVector, columnBatchChanged, nextLayerVerdict) were still first compiled in
 * the campaign's window after 4 — V8's compile work there (--trace-opt, bnn, --jobs 2, both
 * threads) 1.66–1.75 s after 4 vectors, 1.14–1.26 s after 12 (~1 s of the threads' wall
 * beside coverage's 4–5 s enumeration; coverage end to end unchanged within the VM's noise).
 * And 16 hidden columns, not 4 (2026-12-05): after 4, the cone update (nextLayerVerdict), the
 * column batch's sensitivities and the observable-layer comparison were still first compiled
 * in the campaign's window — compile work there ~1.0 s with --jobs 2 (both threads), with 16
 * columns and the engine's classes kept between runs (fast-engine.ts, keptRuns) ~0.45 s; the
 * warm-up 0.8–1.0 → 1.1 s on bnn, still inside the enumeration.
 *
 *   const warming = warmCampaignThreads(pool, spec, net, bench, models, signal);   // then enumerate
 *   runParallelCampaign(spec, net, faults, { pool, sharedNet: (await warming).sharedNet });
 */
import type { Testbench } from "../formats/testbench-format.ts";
import { enumerateFaults, type LoadedFaultModel } from "../faults/index.ts";
import type { Fault } from "../faults/fault.ts";
import type { JobPool } from "../parallel/job-pool.ts";
import { shareValue, type Shared } from "../parallel/shared-value.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { runParallelCampaign, type CampaignSpec } from "./parallel-campaign.ts";

/** Vectors of the warm-up (the program's first). */
export const WARM_UP_VECTORS = 12;
/** The warm-up's passes over its faults, by vectors: every per-run object is made twice before the campaign (see above). */
export const WARM_UP_PASSES = [1, WARM_UP_VECTORS] as const;
/** Columns of each hidden layer, and of the last layer, whose faults the warm-up grades (from the middle of the layer; see above). */
export const WARM_UP_COLUMNS = { hidden: 16, last: 2 };

/** The faults of a few columns of every layer (from the middle of each), as the universe would list them. */
export function warmUpFaults(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], spec: Pick<CampaignSpec, "sites" | "params" | "collapse">, columns: { hidden: number; last: number } = WARM_UP_COLUMNS): Fault[] {
  const faults: Fault[] = [];
  let base = 0; // layer-major column index of the layer's first column
  net.layers.forEach((l, k) => {
    const w = Math.min(l.cols, k === net.layers.length - 1 ? columns.last : columns.hidden);
    const start = base + Math.floor((l.cols - w) / 2);
    faults.push(...enumerateFaults(net, bench, models, { collapse: spec.collapse, sites: spec.sites, params: spec.params, columns: { start, end: start + w } }).faults);
    base += l.cols;
  });
  return faults;
}

/**
 * Warm the pool's threads up on `net` (see above). Resolves to the chip as shared with them
 * (hand it to the campaign on the same pool: `ParallelOptions.sharedNet`) and the warm-up's
 * size; rejects as the campaign would (a Ctrl-C: InterruptedError).
 */
export async function warmCampaignThreads(pool: JobPool, spec: CampaignSpec, net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], signal?: AbortSignal): Promise<{ sharedNet: Shared<CompiledNetwork>; faults: number; vectors: number; passes: number[] }> {
  const sharedNet = shareValue(net);
  const faults = warmUpFaults(net, bench, models, spec);
  const { faultIds: _ids, shard: _shard, ...rest } = spec; // the warm-up's faults are its own
  const passes: number[] = [];
  for (const n of WARM_UP_PASSES) {
    const vectors = spec.vectors.slice(0, n);
    if (faults.length === 0 || vectors.length === 0) break;
    await runParallelCampaign({ ...rest, vectors }, net, faults, { pool, sharedNet, minFaultsPerJob: 1, signal });
    passes.push(vectors.length);
  }
  return { sharedNet, faults: faults.length, vectors: passes.at(-1) ?? 0, passes };
}
