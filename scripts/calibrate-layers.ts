/**
 * Suggest per-layer neuron parameters for a multi-layer bench, reproducibly:
 *
 *   node --import tsx scripts/calibrate-layers.ts testbenches/mlp-16x8x4.json [fireFraction]
 *
 * For each layer it drives random half-density input sets, takes the column-current
 * distribution, and places the critical current at its 30th percentile and the
 * one-window firing current at the (1 − fireFraction) quantile, so a realistic share
 * of neurons fire and many sit near the threshold edge (what makes faults testable).
 * The seed 000 leak (τ = 30 ns) is kept. Prints JSON for the layers' `neuron` overrides.
 */
import { readFileSync } from "node:fs";
import { parseTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork, columnOutputUa, createRng } from "../src/sim/index.ts";

const file = process.argv[2];
const fireFraction = Number(process.argv[3] ?? 0.35);
const tb = parseTestbench(readFileSync(file, "utf8"), file);
const net = compileNetwork(tb);
const rng = createRng(7);
const out = net.layers.map((l, li) => {
  const samples: number[] = [];
  const density = li === 0 ? 0.5 : 0.35;
  for (let t = 0; t < Math.max(20, Math.ceil(4000 / l.cols)); t++) {
    const active = Array.from({ length: l.rows }, () => (rng.next() < density ? 1 : 0));
    for (let c = 0; c < l.cols; c++) {
      const o = c * l.rows;
      samples.push(columnOutputUa({ cellOhms: l.cellOhms.subarray(o, o + l.rows), segmentOhms: l.segmentOhms.subarray(o, o + l.rows), neuronInputOhms: l.neuronInputOhms[c], writeVoltageV: net.writeVoltageV }, active));
    }
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const ic = q(0.3);
  const iFire = q(1 - fireFraction);
  const tau = tb.neuron.leakTauNs;
  const iw = tb.timing.iwPs / 1000;
  const gain = 1 / ((iFire - ic) * tau * (1 - Math.exp(-iw / tau)));
  return { criticalCurrentUa: Number(ic.toFixed(2)), gainPerUaNs: Number(gain.toPrecision(6)) };
});
console.log(JSON.stringify(out, null, 2));
