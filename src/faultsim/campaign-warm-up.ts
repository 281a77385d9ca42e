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
export const WARM_UP_VECTORS = 4;
/** Columns of each hidden layer, and of the last layer, whose faults the warm-up grades (from the middle of the layer). */
export const WARM_UP_COLUMNS = { hidden: 4, last: 2 };

/** The faults of a few columns of every layer (from the middle of each), as the universe would list them. */
export function warmUpFaults(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], spec: Pick<CampaignSpec, "sites" | "params" | "collapse">): Fault[] {
  const faults: Fault[] = [];
  let base = 0; // layer-major column index of the layer's first column
  net.layers.forEach((l, k) => {
    const w = Math.min(l.cols, k === net.layers.length - 1 ? WARM_UP_COLUMNS.last : WARM_UP_COLUMNS.hidden);
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
export async function warmCampaignThreads(pool: JobPool, spec: CampaignSpec, net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], signal?: AbortSignal): Promise<{ sharedNet: Shared<CompiledNetwork>; faults: number; vectors: number }> {
  const sharedNet = shareValue(net);
  const faults = warmUpFaults(net, bench, models, spec);
  const vectors = spec.vectors.slice(0, WARM_UP_VECTORS);
  const { faultIds: _ids, shard: _shard, ...rest } = spec; // the warm-up's faults are its own
  if (faults.length > 0 && vectors.length > 0) await runParallelCampaign({ ...rest, vectors }, net, faults, { pool, sharedNet, minFaultsPerJob: 1, signal });
  return { sharedNet, faults: faults.length, vectors: vectors.length };
}
