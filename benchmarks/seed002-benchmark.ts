/**
 * Seed 002's stochastic 784×9 chip (`npm run bench -- seed002`): `generate --decision
 * sprt` on the neuron fault models, then every vector run SEED002_RUNS times (default
 * 1,000) on a good chip and on each of its target faults through the bench executor and
 * the sim target (fresh thermal noise per run), wrong calls counted against the stated
 * α / β; then the program's detection probability per fault model with its interval.
 *
 *   npm run bench -- seed002
 *   SEED002_RUNS=200 SEED002_ALPHA=0.05 npm run bench -- seed002
 */
import { loadavg } from "node:os";
import { join } from "node:path";
import { buildProgram, createGenerateInput, generateProgram } from "../src/atpg/index.ts";
import { executeProgram } from "../src/bench/bench-executor.ts";
import { detectionProbabilities } from "../src/faultsim/detection-probability.ts";
import { faultSimVectors } from "../src/faultsim/program-vectors.ts";
import type { Program, ProgramVector } from "../src/formats/program-format.ts";
import { inMemoryProgram } from "../src/formats/streamed-program.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import type { Perturbation } from "../src/sim/perturbation.ts";
import { wilsonInterval } from "../src/stats/binomial-confidence.ts";
import { createSimTarget } from "../src/targets/sim-target.ts";

const root = join(import.meta.dirname, "..");
const RUNS = Number(process.env.SEED002_RUNS ?? 1000);
const ALPHA = Number(process.env.SEED002_ALPHA ?? 0.01);
const MODELS = ["dead-neuron", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak"];

const cpu = <T>(f: () => T): [T, number] => {
  const t = process.cpuUsage();
  const r = f();
  const d = process.cpuUsage(t);
  return [r, (d.user + d.system) / 1e6];
};

export default async function seed002Benchmark(): Promise<void> {
  const loaded = loadTestbench(join(root, "testbenches", "seed002-stochastic-784x9.json"));
  console.log(`seed 002 784×9 stochastic chip, models ${MODELS.join(", ")}; α = β = ${ALPHA}, ${RUNS} runs per chip; load average ${loadavg()[0].toFixed(1)} at start`);
  const { input } = createGenerateInput(loaded, { modelIds: MODELS });
  const [built, genCpu] = cpu(() => {
    const r = generateProgram(input, { seed: 1 });
    return buildProgram(input, r, { toolVersion: "bench", decision: "sprt", alpha: ALPHA, beta: ALPHA, stochasticSamples: 128 });
  });
  const { program, summary } = built;
  console.log(`generate: ${program.vectors.length} vectors, ${genCpu.toFixed(1)} CPU-s; classic coverage TC ${summary.coverage.total.testCoveragePercent.toFixed(2)} % (DT ${summary.coverage.total.DT}, PD ${summary.coverage.total.PD} of ${summary.coverage.total.all})`);
  const byId = new Map(input.faults.map((f) => [f.id, f]));
  const runCount = async (v: ProgramVector, perturbations: readonly Perturbation[] | undefined, seed: number): Promise<number> => {
    const raw: Program = { schemaVersion: 1, testbench: program.testbench, timingTolerancePs: program.timingTolerancePs, decision: program.decision, metadata: {}, vectors: [v] };
    const p = inMemoryProgram(raw, "seed002.json");
    const target = createSimTarget({ bench: loaded.bench, perturbations, chipSeed: seed });
    let failed = 0;
    for (let run = 0; run < RUNS; run++) if ((await executeProgram({ program: p, programFile: "seed002.json", bench: loaded, target, targetLabel: "sim", dutId: "bench", keepRecords: false })).footer.verdict === "fail") failed++;
    return failed;
  };
  console.log("vector  criterion                 pGood    pBad     cap  | good: failed (rate, 95 % upper) ≤ α? | target: passed (rate, 95 % upper) ≤ β?");
  let ok = true;
  const t0 = process.cpuUsage();
  for (const v of program.vectors as ProgramVector[]) {
    const rule = v.decision;
    if (rule?.rule !== "sprt") {
      console.log(`${v.id}: no SPRT within the cap (rule ${rule?.rule})`);
      continue;
    }
    const crit = v.criterion ? `${v.criterion.kind}${"outputs" in v.criterion && v.criterion.outputs ? ` [${v.criterion.outputs.join(",")}]` : ""}` : "exact-train";
    const g = await runCount(v, undefined, 11);
    const gUp = wilsonInterval(g, RUNS).high;
    ok &&= g / RUNS <= rule.alpha || wilsonInterval(g, RUNS).low <= rule.alpha;
    const parts: string[] = [];
    for (const id of (v.targets ?? []).slice(0, 4)) {
      const f = byId.get(id);
      if (!f) continue;
      const passed = RUNS - (await runCount(v, f.perturbations, 13));
      parts.push(`${id} ${passed} (${(passed / RUNS).toFixed(4)}, ${wilsonInterval(passed, RUNS).high.toFixed(4)})`);
    }
    console.log(`${v.id.padEnd(7)} ${crit.padEnd(25)} ${rule.pGood.toFixed(4)}  ${rule.pBad.toFixed(4)}  ${String(rule.maxRepetitions).padStart(4)} | ${g} (${(g / RUNS).toFixed(4)}, ${gUp.toFixed(4)}) | ${parts.join("; ")}`);
  }
  const d = process.cpuUsage(t0);
  console.log(`runs: ${((d.user + d.system) / 1e6).toFixed(1)} CPU-s. β applies to a target only if its match probability is ≤ the vector's pBad (the rule states which chips it catches); the others show their detection rate.`);
  const simVectors = faultSimVectors(program, "seed002.json", { timingResolutionPs: loaded.bench.timing.tickPs });
  const [det, detCpu] = cpu(() => detectionProbabilities(input.net, input.faults, program.vectors as ProgramVector[], simVectors, { samples: 200, tickPs: loaded.bench.timing.tickPs, defaultRule: program.decision }));
  console.log(`detection probability (200 samples per fault and vector, 95 % simultaneous intervals, z = ${det.z.toFixed(2)}; ${detCpu.toFixed(1)} CPU-s):`);
  for (const [m, s] of [...Object.entries(det.byModel), ["total", det.total] as const]) console.log(`  ${m.padEnd(20)} ${String(s.faults).padStart(4)}  ${s.mean.toFixed(4)}  [${s.low.toFixed(4)}, ${s.high.toFixed(4)}]`);
  console.log(ok ? "every good-chip error rate is consistent with its stated α" : "a good-chip error rate exceeds its stated α (see the table)");
}
