/**
 * `npm run train-stdp -- [--neurons 100] [--images 2000] [--seed 1] [--id ID]`: train seed 001's
 * 784 × N excitatory layer with STDP (src/classifier/stdp-trainer.ts), quantise the weights
 * to 16 levels (seed 002's 4-bit synapse), and write
 *
 *   testbenches/<id>.weights.bin   4-bit level file (formats/weight-file.ts version 2)
 *   testbenches/<id>.json          the bench, referencing it by sha256
 *
 * Bench (docs/seed001-multilevel.md says where each number comes from):
 *   device     the domain-wall synapse of seed001-dw-4x2 (G 0.25 … 5 µS, 16 levels, seed 001 eq. 6,
 *              seed 002's ratio 20), V_write 1 V, V_read 0.1 V
 *   neuron     lif-she, τ = 10 ns (seed 001 table II: 10 steps, a step = one ns-scale window here);
 *              I_c midway between the largest and second-largest column current, averaged over
 *              200 training digits, and a gain that fires the mean largest current 0.5 ns into
 *              the 1 ns integrate window; threshold adaptation Δa = 0.5, τ_adapt = 20 ns (ours)
 *   inhibition common, τ_inh = 1.5 ns: a spike late in a window holds the layer in the next one
 * Deterministic: the same flags write the same bytes (test/classifier/stdp-trainer.test.ts).
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { mnistSplit, MNIST_PIXELS } from "../src/classifier/mnist-dataset.ts";
import { quantiseLevels, trainStdp } from "../src/classifier/stdp-trainer.ts";
import { encodeWeightFile, sha256Hex } from "../src/formats/weight-file.ts";
import { parseTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork } from "../src/sim/compile.ts";
import { columnOutputUa } from "../src/sim/crossbar.ts";
import { columnElectrics } from "../src/sim/differential-read.ts";

const { values: a } = parseArgs({
  options: {
    neurons: { type: "string", default: "100" },
    images: { type: "string", default: "2000" },
    seed: { type: "string", default: "1" },
    id: { type: "string" },
    dir: { type: "string", default: "testbenches" },
  },
});
const neurons = Number(a.neurons);
const images = Number(a.images);
const seed = Number(a.seed);
const id = a.id ?? `seed001-dw-784x${neurons}`;
const t0 = performance.now();
const r = trainStdp({ neurons, images, seed });
const levels = quantiseLevels(r.weights, 16);
const bytes = encodeWeightFile([{ rows: MNIST_PIXELS, cols: neurons, bits: levels, levels: 16 }]);
writeFileSync(`${a.dir}/${id}.weights.bin`, bytes);

const iwPs = 1000;
const tau = 10;
const bench = {
  $schema: "../schemas/testbench.schema.json",
  schemaVersion: 1,
  id,
  title: `Seed 001 domain-wall synapses (16 levels) with STDP-trained weights, 784×${neurons}, common lateral inhibition and spike-frequency adaptation`,
  source: "Sengupta, Al Azim, Fong, Roy, Phys. Rev. Applied 6, 064003 (2016) (seed 001): eq. 4-6, table II; Sengupta et al., Sci. Rep. 6, 30039 (2016) (seed 002): 4-bit synapses, ratio 20, STDP and inhibition (table II)",
  notes: `Written by scripts/train-stdp.ts --neurons ${neurons} --images ${images} --seed ${seed}; docs/seed001-multilevel.md says where every number comes from.`,
  device: { rLowOhms: 202020.20202020202, rHighOhms: 5000000, accessOhms: 0, segmentOhms: 0, neuronInputOhms: 400, writeVoltageV: 1, readVoltageV: 0.1, domainWall: { levels: 16, wallOhms: 20000000 } },
  neuron: { model: "lif-she", criticalCurrentUa: 0, gainPerUaNs: 1, leakTauNs: tau, threshold: 1, adaptation: { kind: "threshold", increment: 0.5, tauAdaptNs: 20 } },
  timing: { iwPs, lwPs: 1000, iwRangePs: [iwPs, iwPs], lwRangePs: [1000, 1000], tickPs: 10 },
  coding: { kind: "binary" },
  layers: [{ rows: MNIST_PIXELS, cols: neurons, weights: { generator: "file", file: `${id}.weights.bin`, sha256: sha256Hex(bytes), layer: 0 }, inhibition: { kind: "common", tauInhNs: 1.5 } }],
  observe: "outputs",
};

// Calibrate I_c and the gain on 200 training digits (see header).
const net = compileNetwork(parseTestbench(JSON.stringify(bench), `${a.dir}/${id}.json`));
const l = net.layers[0];
const { train } = mnistSplit();
const electrics = Array.from({ length: neurons }, (_, c) => columnElectrics(l, c, 1));
let top = 0;
let mid = 0;
const n = 200;
for (let i = 0; i < n; i++) {
  const px = train.pixels.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS);
  const cur = electrics.map((e) => columnOutputUa(e, px)).sort((x, y) => y - x);
  top += cur[0] / n;
  mid += (cur[0] + (cur[1] ?? 0)) / 2 / n;
}
const ic = Number(mid.toFixed(4));
bench.neuron.criticalCurrentUa = ic;
bench.neuron.gainPerUaNs = Number((1 / (tau * (top - ic) * (1 - Math.exp(-0.5 / tau)))).toFixed(6));
writeFileSync(`${a.dir}/${id}.json`, `${JSON.stringify(bench, null, 2)}\n`);
console.log(
  `wrote ${a.dir}/${id}.json and ${id}.weights.bin (${bytes.length} bytes, sha256 ${sha256Hex(bytes).slice(0, 12)}…): ${images} images, ${r.spikes} training spikes, ` +
    `I_c ${ic} µA (mean largest ${top.toFixed(2)} µA), ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
