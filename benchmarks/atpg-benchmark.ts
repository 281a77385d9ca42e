/**
 * `npm run bench -- atpg`: generate a test program for bnn-784x1024x10 (seed 004's binary
 * MLP, 802 816 + 10 240 cells, outputs only) and report its coverage and the time it took.
 *
 * The full collapsed universe is ~1.2 M faults (dead-synapse and retention-flip on every
 * cell); every candidate vector is fault-simulated against the faults still undetected,
 * so the generator runs on a deterministic sample: every neuron fault, every layer-1
 * synapse fault, and every 64th layer-0 synapse fault. The time budget bounds the search;
 * faults it did not reach are AU ("aborted: the time budget ran out").
 */
import { buildProgram, createGenerateInput, generateProgram } from "../src/atpg/index.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export default async function atpgBenchmark(): Promise<void> {
  const t0 = performance.now();
  const loaded = loadTestbench(join(root, "testbenches", "bnn-784x1024x10.json"));
  let l0 = 0;
  const { universe, input } = createGenerateInput(loaded, {
    modelIds: ["dead-neuron", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-synapse", "retention-flip"],
    select: (f) => f.site.kind === "neuron" || f.layer === 1 || l0++ % 64 === 0,
  });
  const tEnum = performance.now();
  console.log(`bnn-784x1024x10: ${universe.faults.length} collapsed faults; generating for a sample of ${input.faults.length} (every neuron fault, every layer-1 synapse fault, every 64th layer-0 synapse fault) — ${((tEnum - t0) / 1000).toFixed(1)} s to enumerate`);
  let phase = "";
  const result = generateProgram(input, {
    seed: 1,
    monteCarloChips: 32,
    timeBudgetMs: 60_000,
    validationFactor: 2,
    settings: { searchLimit: 12, maxWindows: 4, randomWarmup: 48, randomPatience: 12 },
    onProgress: (p) => {
      if (p !== phase) {
        phase = p;
        console.log(`  ${p} … ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      }
    },
  });
  const { summary } = buildProgram(input, result, { toolVersion: "bench" });
  const tEnd = performance.now();
  console.log(
    `  program: ${summary.vectors} vectors, ${summary.windows} windows, ${summary.totalTestTimeNs} ns of test time; ` +
      `compaction ${summary.compaction ? `${summary.compaction.before} → ${summary.compaction.afterSetCover}` : "none"}; ` +
      `yield loss ≤ ${(summary.guardBand.yieldLossBound * 100).toFixed(2)} % (estimate ${(summary.guardBand.estimatedYieldLoss * 100).toFixed(4)} %)`,
  );
  console.log("  coverage of the sample by model (uncollapsed counts):");
  for (const [m, c] of Object.entries(summary.coverage.byModel)) {
    console.log(`    ${m.padEnd(20)} ${String(c.all).padStart(7)} faults  DT ${String(c.DT).padStart(6)}  PD ${String(c.PD).padStart(6)}  AU ${String(c.AU).padStart(6)}  UD ${String(c.UD).padStart(6)}  TC ${c.testCoveragePercent.toFixed(2)} %`);
  }
  const t = summary.coverage.total;
  console.log(`    ${"total".padEnd(20)} ${String(t.all).padStart(7)} faults  DT ${String(t.DT).padStart(6)}  PD ${String(t.PD).padStart(6)}  AU ${String(t.AU).padStart(6)}  UD ${String(t.UD).padStart(6)}  TC ${t.testCoveragePercent.toFixed(2)} %`);
  console.log(`  time: enumerate ${((tEnum - t0) / 1000).toFixed(1)} s, generate ${(result.elapsedMs / 1000).toFixed(1)} s, total ${((tEnd - t0) / 1000).toFixed(1)} s`);
}
