/**
 * Fault-simulation benchmark on bnn-784x1024x10 (`npm run bench -- faultsim`):
 * every dead-synapse, retention-flip and neuron fault against 64 random binary
 * vectors (3 windows, density 0.5, fixed seed). Prints the fault universe, the fast
 * engine's whole campaign (with fault dropping), the reference engine's rate on a
 * random fault sample run for a fixed time budget, and the speedup of the two rates.
 *
 *   npm run bench -- faultsim            FAULTSIM_REFERENCE_SECONDS=20 npm run bench -- faultsim
 */
import { join } from "node:path";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../src/faults/index.ts";
import { computeCoverage, faultEngines, type FaultSimVector } from "../src/faultsim/index.ts";
import { compileNetwork, createRng, patternEvents } from "../src/sim/index.ts";

const root = join(import.meta.dirname, "..");

export default async function faultsimBenchmark(): Promise<void> {
  const t0 = performance.now();
  const { bench } = loadTestbench(join(root, "testbenches", "bnn-784x1024x10.json"));
  const net = compileNetwork(bench);
  const models = loadFaultModels(undefined, ["dead-synapse", "retention-flip", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"]);
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

  const fast = faultEngines.fast.run(net, universe.faults, vectors, { drop: true, analysis: universe.analysis });
  const cov = computeCoverage(fast.outcomes, universe.faults);
  const fastRate = fast.evaluations / (fast.elapsedMs / 1000);
  console.log(
    `fast engine: ${fast.evaluations} fault-vector evaluations (${fast.fastPathEvaluations} on the fast path) in ${(fast.elapsedMs / 1000).toFixed(2)} s ` +
      `= ${Math.round(fastRate).toLocaleString("en")} evaluations/s`,
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
  console.log(`speedup (fast / reference evaluations per second): ${Math.round(fastRate / refRate).toLocaleString("en")}×`);
  console.log(`fast campaign wall time (enumeration + good simulation + all faults × 64 vectors): ${((tEnum + fast.elapsedMs) / 1000).toFixed(2)} s`);
}
