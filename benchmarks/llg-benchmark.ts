/**
 * Macrospin LLG benchmark (`npm run bench -- llg`): switching trials per second per
 * core for the seed 002 neuron (0.5 ns write pulse near I50, relax-and-read), on one
 * thread and on a worker pool over every core; the raw cost of one stochastic Heun
 * step; then the seed 002 fig. 3 sweep with 1000 trials per current (E_B 10/20/30 k_BT
 * at 1 ns; 1, 0.5, 0.2 ns at 20 k_BT) and the seed 000 neuron's 1 ns midpoint — the
 * figures quoted in docs/device-model.md.
 *
 *   npm run bench -- llg            LLG_SWEEP_TRIALS=300 npm run bench -- llg   (quicker sweep)
 */
import { join } from "node:path";
import { countAtCurrents, currentGrid, findTransition, measureSwitchingCurve } from "../src/characterise/switching-curve.ts";
import { inProcessRunner, poolRunner } from "../src/characterise/worker-pool.ts";
import { defaultJobs } from "../src/parallel/job-pool.ts";
import { loadDeviceFile } from "../src/formats/device-format.ts";
import { deriveDeviceConstants } from "../src/sim/device/device-constants.ts";
import { llgParamsOf, MacrospinSolver } from "../src/sim/device/llg-solver.ts";
import { resetToP } from "../src/sim/device/pulse-train.ts";
import { createRng } from "../src/sim/rng.ts";

const root = join(import.meta.dirname, "..");
const device = (id: string) => deriveDeviceConstants(loadDeviceFile(join(root, "devices", `${id}.json`)));

export default async function llgBenchmark(): Promise<void> {
  const c = device("seed002-she-eb20");

  // raw step cost at 300 K (noise included) and at 0 K
  for (const temperatureK of [300, 0]) {
    const s = new MacrospinSolver(llgParamsOf(c, { temperatureK }));
    const rng = createRng(1);
    resetToP(s, rng, 0.05);
    s.advance(40, 20_000, rng);
    const steps = 2_000_000;
    const t0 = performance.now();
    for (let k = 0; k < steps / 2000; k++) {
      resetToP(s, rng, 0.05);
      s.advance(40, 2000, rng);
    }
    const ns = ((performance.now() - t0) * 1e6) / steps;
    console.log(`stochastic Heun step (${temperatureK} K): ${ns.toFixed(1)} ns/step = ${(1000 / ns).toFixed(1)} M steps/s on one core`);
  }

  // switching trials per second: one thread, then every core
  const task = { currentsUa: [57], pulsePs: 500, seed: 9 };
  const local = inProcessRunner();
  const t1 = performance.now();
  await countAtCurrents(c, local, { ...task, trials: 2000 });
  const single = 2000 / ((performance.now() - t1) / 1000);
  console.log(`switching trials (0.5 ns pulse at 57 µA + relax/read, ${c.timeStepPs} ps step), 1 thread: ${Math.round(single)} trials/s`);
  const cores = defaultJobs();
  const pool = poolRunner(cores);
  try {
    await countAtCurrents(c, pool, { ...task, trials: 200 }); // warm the workers
    const n = 4000 * cores;
    const t2 = performance.now();
    await countAtCurrents(c, pool, { ...task, trials: n });
    const rate = n / ((performance.now() - t2) / 1000);
    console.log(`worker pool, ${cores} thread(s): ${Math.round(rate)} trials/s = ${Math.round(rate / cores)} LLG trials/s per core`);

    // seed 002 fig. 3 with large trial counts
    const trials = Number(process.env.LLG_SWEEP_TRIALS ?? 1000);
    console.log(`\nseed 002 fig. 3, ${trials} trials per current, 12 currents per curve (logistic fit: I50 ± SE, scale s, 10–90 % width):`);
    const cases: [string, number][] = [
      ["seed002-she-eb10", 1000],
      ["seed002-she-eb20", 1000],
      ["seed002-she-eb30", 1000],
      ["seed002-she-eb20", 500],
      ["seed002-she-eb20", 200],
      ["seed000-mtj-she-neuron", 1000],
    ];
    for (const [id, pulsePs] of cases) {
      const d = device(id);
      const t3 = performance.now();
      const r = await findTransition(d, pool, { pulsePs, seed: 31 });
      const curve = await measureSwitchingCurve(d, pool, { currentsUa: currentGrid(r.lowUa, r.highUa, 12), pulsePs, trials, seed: 32 });
      const f = curve.fit;
      console.log(
        `  ${id.padEnd(24)} E_B ${d.energyBarrierKt.toFixed(1).padStart(5)} k_BT  ${String(pulsePs).padStart(5)} ps:  I50 ${f.midpointUa.toFixed(1)} ± ${f.midpointStdErrUa.toFixed(1)} µA,` +
          ` s ${f.scaleUa.toFixed(2)} µA (s/I50 ${(f.scaleUa / f.midpointUa).toFixed(3)}), 10–90 % ${curve.width1090Ua.toFixed(1)} µA,` +
          ` monotonic ${curve.monotonicViolation ? "NO" : "yes"}  [${((performance.now() - t3) / 1000).toFixed(1)} s]`,
      );
    }
  } finally {
    await pool.close();
  }
}
