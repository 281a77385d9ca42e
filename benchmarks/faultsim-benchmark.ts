/**
 * Fault-simulation benchmark on bnn-784x1024x10 (`npm run bench -- faultsim`):
 * every dead-synapse, retention-flip and neuron fault (1.22 M) against 64 random
 * binary vectors (3 windows, density 0.5, fixed seed). Prints the fast engine's whole
 * campaign (fault dropping on, worker threads), the reference engine on random faults
 * for a fixed time budget, both rates per CPU-second (robust to a busy machine) and per
 * wall-second, and the speedup.
 *
 * FAULTSIM_MODELS=all takes every shipped model (resistive opens included: 3.66 M faults).
 *
 *   npm run bench -- faultsim
 *   FAULTSIM_THREADS=1 FAULTSIM_REFERENCE_SECONDS=20 npm run bench -- faultsim
 *   FAULTSIM_MODELS=all FAULTSIM_THREADS=1 FAULTSIM_REFERENCE_SECONDS=0 npm run bench -- faultsim
 */
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../src/faults/index.ts";
import { computeCoverage, faultEngines, runParallelCampaign, type CampaignSpec, type FaultSimVector } from "../src/faultsim/index.ts";
import { compileNetwork, createRng, patternEvents } from "../src/sim/index.ts";

const root = join(import.meta.dirname, "..");
const sevenModels = ["dead-synapse", "retention-flip", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"];

const cpuSecondsSince = (t: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1e6;
};
const fmt = (n: number) => Math.round(n).toLocaleString("en");

export default async function faultsimBenchmark(): Promise<void> {
  const t0 = performance.now();
  const benchFile = join(root, "testbenches", "bnn-784x1024x10.json");
  const { bench } = loadTestbench(benchFile);
  const net = compileNetwork(bench);
  const modelIds = process.env.FAULTSIM_MODELS === "all" ? undefined : sevenModels;
  const models = loadFaultModels(undefined, modelIds);
  const universe = enumerateFaults(net, bench, models, { collapse: true });
  const tEnum = performance.now() - t0;
  console.log(`bnn-784x1024x10: ${fmt(universe.counts.total.uncollapsed)} faults of ${models.length} models (${models.map((m) => m.id).join(", ")}), loaded and enumerated in ${(tEnum / 1000).toFixed(2)} s`);
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} at start (wall times are only meaningful on an idle machine)`);

  const rng = createRng(64);
  const rows = net.layers[0].rows;
  const vectors: FaultSimVector[] = Array.from({ length: 64 }, (_, k) => {
    let bits = "";
    for (let r = 0; r < rows; r++) bits += rng.next() < 0.5 ? "1" : "0";
    return { id: `r${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 };
  });

  const threads = Number(process.env.FAULTSIM_THREADS ?? Math.min(2, availableParallelism()));
  const spec: CampaignSpec = { benchFile, modelIds, collapse: true, vectors, engine: "fast", drop: true };
  const cpuFast0 = process.cpuUsage();
  const fast = await runParallelCampaign(spec, net, universe.faults, { jobs: threads, analysis: universe.analysis });
  const fastCpu = cpuSecondsSince(cpuFast0);
  const fastRate = fast.evaluations / fastCpu;
  console.log(
    `fast engine, ${threads} thread(s): ${fmt(fast.evaluations)} fault-vector evaluations (${fmt(fast.fastPathEvaluations)} on the fast path) ` +
      `in ${(fast.elapsedMs / 1000).toFixed(2)} s wall, ${fastCpu.toFixed(1)} CPU-s (all threads, GC and worker start-up included)`,
  );
  console.log(`  = ${fmt(fastRate)} evaluations per CPU-second, ${fmt(fast.evaluations / (fast.elapsedMs / 1000))} per wall-second`);
  console.log(`  by path: ${Object.entries(fast.pathEvaluations ?? {}).map(([k, n]) => `${k} ${fmt(n)}`).join(", ")}; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} at the end`);
  const c = computeCoverage(fast.outcomes, universe.faults).total;
  console.log(`  coverage of the 64 random vectors: DT ${fmt(c.DT)}, PD ${fmt(c.PD)}, ND ${fmt(c.ND)}, UD ${fmt(c.UD)}; FC ${(100 * c.faultCoverage).toFixed(2)} %, TC ${(100 * c.testCoverage).toFixed(2)} %`);

  // Reference engine: random faults, the first 8 vectors, no dropping, until the budget is spent.
  const budgetMs = 1000 * Number(process.env.FAULTSIM_REFERENCE_SECONDS ?? 10);
  const sampleRng = createRng(7);
  let refEvals = 0;
  let sampled = 0;
  const cpuRef0 = process.cpuUsage();
  const tRef = performance.now();
  while (performance.now() - tRef < budgetMs || sampled === 0) {
    const f = universe.faults[Math.floor(sampleRng.next() * universe.faults.length)];
    refEvals += faultEngines.reference.run(net, [f], vectors.slice(0, 8), { drop: false, analysis: universe.analysis }).evaluations;
    sampled++;
  }
  const refWall = (performance.now() - tRef) / 1000;
  const refCpu = cpuSecondsSince(cpuRef0);
  const refRate = refEvals / refCpu;
  console.log(`reference engine: ${refEvals} evaluations (${sampled} random faults × 8 vectors, no dropping) in ${refWall.toFixed(2)} s wall, ${refCpu.toFixed(1)} CPU-s = ${refRate.toFixed(1)} evaluations per CPU-second`);
  console.log(`speedup, evaluations per CPU-second: ${fmt(fastRate / refRate)}× (target ≥ 1000×)`);
  console.log(`fast campaign wall time, load + enumeration + ${threads}-thread simulation of every fault × 64 vectors: ${((tEnum + fast.elapsedMs) / 1000).toFixed(2)} s (target ≤ 30 s on 2 idle cores)`);
}
