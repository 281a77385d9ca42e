/**
 * The pool task of a parallel fault-simulation campaign (parallel-campaign.ts): one
 * thread's own share of the collapsed fault universe (ranges [start, end) of the list), then,
 * in the same engine run, the tail chunks it claims from the campaign's shared counter
 * (CampaignOptions.tail). The thread rebuilds the network
 * from the shared spec and its faults from the caller's shared fault table
 * (shared-universe.ts); only when that is absent does it walk the universe from the spec (enumeration is deterministic, so its
 * faults — cut to the spec's shard, if any — are the caller's), building fault objects
 * for its slice only when the slice is of the whole universe; it writes
 * its progress into the shared progress array. Ctrl-C terminates the thread (job-pool.ts).
 *
 *   pool.run(faultSimTask, { spec, faults, net, slice: 1, ranges: [1200, 2400, 3600, 4800], claim: { chunks, next }, progress, outcomes })
 */
import { readFileSync } from "node:fs";
import { loadTestbench } from "../formats/testbench-loader.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import { selectFaults } from "../faults/fault-selection.ts";
import { defineTask } from "../parallel/job-pool.ts";
import { perThread, readShared } from "../parallel/shared-value.ts";
import { compileNetwork } from "../sim/compile.ts";
import { faultEngines } from "./engine-registry.ts";
import { inShard } from "./fault-shard.ts";
import { outcomeTableOf } from "./outcome-table.ts";
import { writeSliceOutcomes, type SharedOutcomes, type SliceOutcomes } from "./shared-outcomes.ts";
import { pointFaultWindow, sharedFaultRanges } from "./shared-universe.ts";
import type { CampaignOptions } from "./campaign.ts";
import { createFaultAnalysis, type FaultAnalysis } from "../faults/fault-analysis.ts";
import type { Fault } from "../faults/fault.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import type { CampaignSpec, FaultSimSlice, FaultSimSliceResult, GoodRunsJob, PrepareJob } from "./parallel-campaign.ts";
import { goodResponse, type GoodResponse } from "./good-response.ts";
import { packGoodRun, unpackGoodRun, type PackedGoodRun } from "./shared-good-runs.ts";
import type { Shared } from "../parallel/shared-value.ts";

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

/** Grade one slice; the outcomes go back as the engine's typed table (no object per fault is built or cloned). */
/** CPU time of this thread, ms (Linux /proc/thread-self; NaN elsewhere). */
export function threadCpuMs(): number {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s (USER_HZ)
  } catch {
    return Number.NaN;
  }
}

export function runFaultSimSlice(job: FaultSimSlice): FaultSimSliceResult {
  const cpu0 = threadCpuMs();
  const spec = readShared(job.spec);
  let net: CompiledNetwork;
  let analysis: FaultAnalysis;
  let faults: readonly Fault[];
  if (job.faults) {
    // The caller's faults, shared: the network and its analysis once per thread, the slice's fault objects from the shared table.
    // the caller's chip when it sent it (no bench read and compiled again), else compiled from the spec
    ({ net, analysis } = job.net
      ? networkOf(job.net)
      : perThread(job.spec, "network", () => {
          const n = compileNetwork(loadTestbench(spec.benchFile).bench);
          return { net: n, analysis: createFaultAnalysis(n) };
        }));
    // its own share, then a window that each tail chunk it claims takes in turn (the largest chunk's size)
    faults = sharedFaultRanges(job.faults, job.ranges, job.claim ? windowOf(job.claim) : 0);
  } else {
    // one slice per thread, one range (parallel-campaign.ts): the thread builds the fault objects of its slice only
    const [start, end] = job.ranges;
    if (job.ranges.length !== 2 || job.claim) throw new Error(`a slice of the spec's universe is one range, not claimed, got ${job.ranges.length / 2} ranges${job.claim ? ", claimed" : ""}`);
    const u = perThread(job.spec, `universe ${start}-${end}`, () => sliceUniverse(spec, { start, end }));
    ({ net } = u);
    analysis = u.universe.analysis;
    faults = u.faults.slice(start - u.offset, end - u.offset);
  }
  const progress = new Float64Array(job.progress);
  const good = job.goodRuns ? unpackedGoodRuns(job.spec, net, job.goodRuns) : null;
  // The claimed tail: the run's list is the own share, then the window each claimed chunk takes; their outcomes go into the shared table as each is graded
  const parts: SliceOutcomes[] = [];
  const tail = job.faults && job.claim && job.claim.chunks.length > 0 ? tailOf(faults, job.claim, job.outcomes, parts) : undefined;
  const units = faults.length * spec.vectors.length;
  const engineCpu0 = threadCpuMs();
  const engineAt = performance.timeOrigin + performance.now();
  const r = faultEngines[spec.engine].run(net, faults, spec.vectors, {
    drop: spec.drop,
    proveUndetectable: spec.proveUndetectable,
    analysis,
    ...(tail ? { tail } : {}),
    ...(good ? { goodRun: good } : {}),
    // fault-vector units (with a tail the engine reports them itself)
    onProgress: (done, total) => (progress[job.slice] = tail ? done : total > 0 ? (units * done) / total : 0),
  });
  const engineCpuMs = threadCpuMs() - engineCpu0;
  const engineSpan: [number, number] = [engineAt, performance.timeOrigin + performance.now()];
  // the outcomes into their places of the campaign's shared table (shared-outcomes.ts): only the sentences and vector lists go back
  const table = outcomeTableOf(r)!;
  parts.unshift(writeSliceOutcomes(job.outcomes, job.ranges, table, 0, tail ? tail.start : faults.length));
  const { engine, evaluations, fastPathEvaluations, pathEvaluations, elapsedMs, phaseMs, givenGoodRuns } = r;
  return { engine, evaluations, fastPathEvaluations, elapsedMs, parts, chunks: 1 + (r.claimed?.length ?? 0), cpuMs: threadCpuMs() - cpu0, engineCpuMs, engineSpan, ...(pathEvaluations ? { pathEvaluations } : {}), ...(phaseMs ? { phaseMs } : {}), ...(givenGoodRuns ? { givenGoodRuns } : {}) };
}

/** The window a run's claimed chunks take in turn: the largest chunk's size. */
function windowOf(claim: NonNullable<FaultSimSlice["claim"]>): number {
  return Math.max(0, ...claim.chunks.map(([a, b]) => b - a));
}

/**
 * A run's claimed tail: its list is the own share, then a window (sharedFaultRanges); each
 * claim on the campaign's shared counter points the window at the chunk, and each chunk
 * graded goes into the campaign's shared outcome table at once (its part kept in `parts`).
 */
function tailOf(faults: readonly Fault[], claim: NonNullable<FaultSimSlice["claim"]>, outcomes: SharedOutcomes, parts: SliceOutcomes[]): NonNullable<CampaignOptions["tail"]> {
  const start = faults.length - windowOf(claim);
  const next = new Int32Array(claim.next);
  return {
    start,
    claim: () => {
      const j = Atomics.add(next, 0, 1);
      if (j >= claim.chunks.length) return -1;
      pointFaultWindow(faults, claim.chunks[j][0], claim.chunks[j][1]);
      return j;
    },
    size: (j) => claim.chunks[j][1] - claim.chunks[j][0],
    graded: (j, table) => void parts.push(writeSliceOutcomes(outcomes, claim.chunks[j], table, start, start + claim.chunks[j][1] - claim.chunks[j][0])),
  };
}

/** The good chip on some (vector, repetition) units of the spec, packed in unit order (parallel-campaign.ts deals them over the threads). */
export function simulateGoodRuns(job: GoodRunsJob["simulateGood"]): PackedGoodRun[] {
  if (!job) return [];
  const spec = readShared(job.spec);
  const { net } = networkOf(job.net);
  return job.units.map(([v, rep]) => packGoodRun(goodResponse(net, spec.vectors[v], rep).run));
}

/**
 * The good chip's runs, simulated once over the pool (shared-good-runs.ts): each read in place
 * when the engine first asks for it, once per thread and campaign — not all before the engine
 * starts (bnn, 64 vectors: ~0.1 s per thread that, with --jobs 2, two threads and the main
 * thread cutting the campaign shared two cores for).
 */
function unpackedGoodRuns(spec: Shared<CampaignSpec>, net: CompiledNetwork, runs: PackedGoodRun[][]): (v: number, rep: number) => GoodResponse | undefined {
  return perThread(spec, "good-runs", () => {
    const unpacked = runs.map((reps) => new Array<GoodResponse | undefined>(reps.length));
    return (v: number, rep: number) => {
      const p = runs[v]?.[rep];
      if (!p) return undefined;
      return (unpacked[v][rep] ??= unpackGoodRun(net, p));
    };
  });
}

/** A thread's set-up for a campaign (PrepareJob), cached for its slice: the spec, the chip's copy and analysis, the good runs (read as the engine asks). */
export function prepareSlice(job: PrepareJob["prepare"]): number {
  const cpu0 = threadCpuMs();
  readShared(job.spec);
  const { net } = networkOf(job.net);
  if (job.goodRuns) unpackedGoodRuns(job.spec, net, job.goodRuns);
  return threadCpuMs() - cpu0;
}

/** The caller's chip and its fault analysis, once per thread. */
function networkOf(shared: Shared<CompiledNetwork>): { net: CompiledNetwork; analysis: FaultAnalysis } {
  return perThread(shared, "network", () => {
    const n = readShared(shared);
    return { net: n, analysis: createFaultAnalysis(n) };
  });
}

export default defineTask((job: FaultSimSlice | GoodRunsJob | PrepareJob) => ("simulateGood" in job ? simulateGoodRuns(job.simulateGood) : "prepare" in job ? prepareSlice(job.prepare) : runFaultSimSlice(job)));
