/**
 * The pool task of a parallel fault-simulation campaign (parallel-campaign.ts): one
 * slice [start, end) of the collapsed fault universe. The thread rebuilds the network
 * and walks the universe from the shared spec (enumeration is deterministic, so its
 * faults — cut to the spec's shard, if any — are the caller's), building fault objects
 * for its slice only when the slice is of the whole universe; it writes
 * its progress into the shared progress array, and sends its outcomes back encoded as typed
 * arrays (outcome-encoding.ts). Ctrl-C terminates the thread (job-pool.ts).
 *
 *   pool.run(faultSimTask, { spec, slice: 1, start: 1200, end: 2400, progress })
 */
import { loadTestbench } from "../formats/testbench-loader.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import { selectFaults } from "../faults/fault-selection.ts";
import { defineTask } from "../parallel/job-pool.ts";
import { perThread, readShared } from "../parallel/shared-value.ts";
import { compileNetwork } from "../sim/compile.ts";
import { faultEngines } from "./engine-registry.ts";
import { inShard } from "./fault-shard.ts";
import type { FaultSimResult } from "./fault-engine.ts";
import { encodeOutcomes, type EncodedOutcomes } from "./outcome-encoding.ts";
import type { CampaignSpec, FaultSimSlice } from "./parallel-campaign.ts";

/**
 * What a thread builds from the spec before its first slice — the per-thread set-up cost
 * that `--jobs N` pays N times (the scale benchmark measures it with this function).
 */
export function sliceUniverse(spec: CampaignSpec, only?: { start: number; end: number }) {
  const { bench } = loadTestbench(spec.benchFile);
  const net = compileNetwork(bench);
  const models = loadFaultModels(spec.modelDirs, spec.modelIds);
  // A slice of the whole universe: fault objects for the slice only (the same walk, so the same faults), else all of them to pick from
  if (only && !spec.faultIds && !spec.shard) {
    const universe = enumerateFaults(net, bench, models, { collapse: spec.collapse, sites: spec.sites, params: spec.params, only });
    return { net, universe, faults: universe.faults, offset: only.start };
  }
  const universe = enumerateFaults(net, bench, models, { collapse: spec.collapse, sites: spec.sites, params: spec.params });
  const listed = spec.faultIds ? selectFaults(universe.faults, spec.faultIds).faults : universe.faults; // a fault list's ids pick the same faults
  const shard = spec.shard;
  return { net, universe, faults: shard ? listed.filter((f) => inShard(f.id, shard)) : listed, offset: 0 };
}

export function runFaultSimSlice(job: FaultSimSlice): FaultSimResult {
  const spec = readShared(job.spec);
  // one slice per thread (parallel-campaign.ts): the thread builds the fault objects of its slice only
  const { net, universe, faults, offset } = perThread(job.spec, `universe ${job.start}-${job.end}`, () => sliceUniverse(spec, { start: job.start, end: job.end }));
  const progress = new Float64Array(job.progress);
  return faultEngines[spec.engine].run(net, faults.slice(job.start - offset, job.end - offset), spec.vectors, {
    drop: spec.drop,
    proveUndetectable: spec.proveUndetectable,
    analysis: universe.analysis,
    onProgress: (done, total) => {
      progress[2 * job.slice] = done;
      progress[2 * job.slice + 1] = total;
    },
  });
}

/** What a pool thread sends back: the result with its outcomes encoded (outcome-encoding.ts) when they fit. */
export type FaultSimSliceResult = FaultSimResult & { encoded?: EncodedOutcomes };

export function runEncodedSlice(job: FaultSimSlice): FaultSimSliceResult {
  const r = runFaultSimSlice(job);
  const encoded = encodeOutcomes(r.outcomes, readShared(job.spec).vectors.map((v) => v.id));
  return encoded ? { ...r, outcomes: [], encoded } : r;
}

export default defineTask(runEncodedSlice);
