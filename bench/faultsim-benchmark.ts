/**
 * Fault-simulation benchmark on bnn-784x1024x10 (`npm run bench -- faultsim`):
 * every dead-synapse, retention-flip and neuron fault against 64 random binary
 * vectors (3 windows, density 0.5, fixed seed). Prints the fault universe, the fast
 * engine's whole campaign (with fault dropping), the reference engine's rate on a
 * random fault sample run for a fixed time budget, and the speedup of the two rates.
 *
 *   npm run bench -- faultsim       (FAULTSIM_REFERENCE_SECONDS=20, FAULTSIM_THREADS=1 to change the defaults)
 */
import { join } from "node:path";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../src/faults/index.ts";
import { computeCoverage, faultEngines, runParallelCampaign, type CampaignSpec, type FaultSimVector } from "../src/faultsim/index.ts";
import { availableParallelism } from "node:os";
import { compileNetwork, createRng, patternEvents } from "../src/sim/index.ts";

const root = join(import.meta.dirname, "..");
const modelIds = ["dead-synapse", "retention-flip", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"];

export default async function faultsimBenchmark(): Promise<void> {
  const t0 = performance.now();
  const benchFile = join(root, "testbenches", "bnn-784x1024x10.json");
  const { bench } = loadTestbench(benchFile);
  const net = compileNetwork(bench);
  const models = loadFaultModels(undefined, modelIds);
  const universe = enumerateFaults(net, bench, models, { collapse: true });
  const tEnum = performance.now() - t0;
  console.log(`bnn-784x1024x10: ${universe.counts.total.uncollapsed} faults (${universe.counts.total.collapsed} collapsed) of ${models.length} models, enumerated in ${(tEnum / 1000).toFixed(2)} s`);

  const rng = createRng(64);
  const rows = net.layers[0].rows;
  const vectors: FaultSimVector[] = Array.from({ length: 64 }, (_, k) => {
    let bits = "";
    for (let r = 0; r < rows; r++) bits += rng.next() < 0.5 ? "1" : "0";
    return { id: `r${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 };
  });

  const threads = Number(process.env.FAULTSIM_THREADS ?? Math.min(2, availableParallelism()));
  const spec: CampaignSpec = { benchFile, modelIds, collapse: true, vectors, engine: "fast", drop: true };
  const fast = await runParallelCampaign(spec, net, universe.faults, { workers: threads, analysis: universe.analysis });
  const cov = computeCoverage(fast.outcomes, universe.faults);
  const threadSeconds = (fast.threadElapsedMs ?? [fast.elapsedMs]).reduce((a, b) => a + b, 0) / 1000;
  const fastRate = fast.evaluations / threadSeconds;
  console.log(
    `fast engine, ${threads} thread(s): ${fast.evaluations.toLocaleString("en")} fault-vector evaluations (${fast.fastPathEvaluations.toLocaleString("en")} on the fast path) ` +
      `in ${(fast.elapsedMs / 1000).toFixed(2)} s wall, ${threadSeconds.toFixed(2)} thread-s = ${Math.round(fastRate).toLocaleString("en")} evaluations/s per thread`,
  );
  const c = cov.total;
  console.log(`  coverage: DT ${c.DT}, PD ${c.PD}, ND ${c.ND}, UD ${c.UD}; FC ${(100 * c.faultCoverage).toFixed(2)} %, TC ${(100 * c.testCoverage).toFixed(2)} %`);
  for (const [id, m] of Object.entries(cov.byModel)) console.log(`  ${id.padEnd(18)} ${m.all} faults, FC ${(100 * m.faultCoverage).toFixed(2)} %`);

  // Reference engine: random faults, all 64 vectors without dropping, until the time budget is spent.
  const budgetMs = 1000 * Number(process.env.FAULTSIM_REFERENCE_SECONDS ?? 10);
  const sampleRng = createRng(7);
  let refEvals = 0;
  let refMs = 0;
  let sampled = 0;
  while (refMs < budgetMs) {
    const f = universe.faults[Math.floor(sampleRng.next() * universe.faults.length)];
    const r = faultEngines.reference.run(net, [f], vectors.slice(0, 8), { drop: false, analysis: universe.analysis });
    refEvals += r.evaluations;
    refMs += r.elapsedMs;
    sampled++;
  }
  const refRate = refEvals / (refMs / 1000);
  console.log(`reference engine: ${refEvals} evaluations (${sampled} random faults × 8 vectors, no dropping) in ${(refMs / 1000).toFixed(2)} s = ${refRate.toFixed(1)} evaluations/s`);
  console.log(`speedup (fast / reference evaluations per second, per thread): ${Math.round(fastRate / refRate).toLocaleString("en")}×`);
  console.log(`fast campaign wall time (load + enumeration + ${threads}-thread simulation of all faults × 64 vectors): ${((tEnum + fast.elapsedMs) / 1000).toFixed(2)} s`);
}
