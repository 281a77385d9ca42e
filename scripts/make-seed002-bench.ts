/**
 * `node --import tsx scripts/make-seed002-bench.ts [--rows-cols 784x9] [--id ID] [--neuron-from FILE] [--drive-ua I]`:
 * write seed 002's stochastic 784×9 chip as a testbench (docs/seed002-stochastic.md).
 *
 *   weights   src/classifier/digit-prototypes.ts (0/1 digits of the `mnist` package, 4-bit);
 *   device    seed 002 table II: R_AP 3.7 MΩ (the crossbar's maximum), R_P = R_AP/20 (its
 *             max/min ratio 20), heavy metal 400 Ω, no access or line resistance given;
 *   timing    one time step = a 0.5 ns write (IW) and a 0.5 ns read/reset (LW);
 *   inhibition common, τ_inh = 50 steps × 0.5 ns = 25 ns (table II);
 *   neuron    stochastic-lif-she with the parameters of `--neuron-from` (a bench written by
 *             `snn-atpg calibrate seed002-she-eb20 --testbench <this bench> -o FILE`), else
 *             placeholders to be calibrated;
 *   drive     writeVoltageV is chosen so the mean current of the "1" neurons over "1" digits
 *             (the weaker class) is `--drive-ua` (default: the calibrated neuron's one-pulse
 *             50 % current, I50 = I_c + θ/(g·τ·(1 − e^(−IW/τ))), times 1.25).
 * A smaller bench of the same construction: `--rows-cols 784x3` (the first neurons).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { classImages, digitPrototypeWeights, prototypeClass } from "../src/classifier/digit-prototypes.ts";
import { parseTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork } from "../src/sim/compile.ts";
import { columnOutputUa } from "../src/sim/crossbar.ts";
import { columnElectrics } from "../src/sim/differential-read.ts";

const { values: a } = parseArgs({
  options: {
    "rows-cols": { type: "string", default: "784x9" },
    id: { type: "string" },
    "neuron-from": { type: "string" },
    "drive-ua": { type: "string" },
  },
});
const [rows, cols] = a["rows-cols"]!.split("x").map(Number);
if (rows !== 784 || !(cols >= 1 && cols <= 9)) throw new Error(`--rows-cols must be 784xN with N in 1..9, got ${a["rows-cols"]}`);
const id = a.id ?? `seed002-stochastic-${rows}x${cols}`;
const iwPs = 500;
const placeholder = { model: "stochastic-lif-she", criticalCurrentUa: 40, gainPerUaNs: 0.05, leakTauNs: 1, threshold: 1, sigmoidWidth: 0.1 };
const calibrated = a["neuron-from"] ? (JSON.parse(readFileSync(a["neuron-from"], "utf8")) as { neuron: typeof placeholder }).neuron : placeholder;
const neuron = { ...calibrated, model: "stochastic-lif-she", seed: 2016 };
const weights = digitPrototypeWeights(cols);

const bench = {
  $schema: "../schemas/testbench.schema.json",
  schemaVersion: 1,
  id,
  title: `Seed 002 stochastic MTJ-SHE neurons, ${rows}×${cols}, 0/1 digits, common lateral inhibition (homeostasis off at test)`,
  source: "Sengupta, Panda, Wijesinghe, Kim, Roy, Sci. Rep. 6, 30039 (2016) (seed 002): tables I-II, fig. 5",
  notes: `Written by scripts/make-seed002-bench.ts; weights by src/classifier/digit-prototypes.ts; neuron by \`snn-atpg calibrate seed002-she-eb20\` at IW 500 ps. docs/seed002-stochastic.md says where every number comes from.`,
  device: { rLowOhms: 185000, rHighOhms: 3700000, accessOhms: 0, segmentOhms: 0, neuronInputOhms: 400, writeVoltageV: 1, readVoltageV: 0.1 },
  neuron,
  timing: { iwPs, lwPs: 500, iwRangePs: [500, 500], lwRangePs: [500, 500], tickPs: 10 },
  coding: { kind: "binary" },
  layers: [{ rows, cols, weights, inhibition: { kind: "common", tauInhNs: 25 } }],
  observe: "outputs",
};

// Drive: the "1" neurons' mean current over 50 "1" digits at 1 V, scaled to the target.
const net = compileNetwork(parseTestbench(JSON.stringify(bench), `${id}.json`));
const layer = net.layers[0];
const ones = classImages(1, 50, 400);
let sum = 0;
let n = 0;
for (let c = 0; c < cols; c++) {
  if (prototypeClass(c) !== 1) continue;
  const e = columnElectrics(layer, c, 1);
  for (const img of ones) {
    sum += columnOutputUa(e, img);
    n++;
  }
}
const perVoltUa = n ? sum / n : 0;
const tau = neuron.leakTauNs;
const i50 = neuron.criticalCurrentUa + neuron.threshold / (neuron.gainPerUaNs * tau * (1 - Math.exp(-iwPs / 1000 / tau)));
const driveUa = a["drive-ua"] ? Number(a["drive-ua"]) : 1.25 * i50;
if (perVoltUa > 0) bench.device.writeVoltageV = Number((driveUa / perVoltUa).toFixed(4));

// One weight row per line (784 lines) instead of one number per line.
const text = JSON.stringify({ ...bench, layers: [{ ...bench.layers[0], weights: "@W@" }] }, null, 2).replace(
  '"@W@"',
  `[\n${weights.map((r) => `        ${JSON.stringify(r)}`).join(",\n")}\n      ]`,
);
writeFileSync(`testbenches/${id}.json`, `${text}\n`);
console.log(`wrote testbenches/${id}.json: I50 ${i50.toFixed(1)} µA, "1" neurons ${perVoltUa.toFixed(1)} µA/V → writeVoltageV ${bench.device.writeVoltageV}`);
