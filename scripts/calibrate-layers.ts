/**
 * Suggest per-layer neuron parameters for a multi-layer bench, reproducibly:
 *
 *   node --import tsx scripts/calibrate-layers.ts testbenches/mlp-16x8x4.json [fireFraction]
 *
 * For each layer it drives random half-density input sets (0.35 for deeper layers),
 * takes the distribution of the neuron current (the column's current, minus the
 * reference column's when the bench reads differentially, src/sim/differential-read.ts),
 * and places the critical current at its 30th percentile — but never below 0, a
 * critical current is a magnitude — and the one-window firing current at the
 * (1 − fireFraction) quantile, so a realistic share of neurons fire and many sit near
 * the threshold edge (what makes faults testable). The seed 000 leak (τ = 30 ns) is
 * kept. Prints JSON for the layers' `neuron` overrides, the current quantiles it used,
 * and the reference weight whose cell branch (MTJ + access transistor) conductance is
 * midway between the P and AP branches — the balanced reference for a differential
 * read (weight 0.5 is midway in MTJ conductance only; the access resistance in series
 * pulls the branch midpoint lower).
 */
import { readFileSync } from "node:fs";
import { parseTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork, createRng, highOhms, neuronCurrentUa } from "../src/sim/index.ts";

const file = process.argv[2];
const fireFraction = Number(process.argv[3] ?? 0.35);
const tb = parseTestbench(readFileSync(file, "utf8"), file);
const net = compileNetwork(tb);
const rng = createRng(7);
const quantiles: Record<string, number>[] = [];
const out = net.layers.map((l, li) => {
  const samples: number[] = [];
  const density = li === 0 ? 0.5 : 0.35;
  for (let t = 0; t < Math.max(20, Math.ceil(4000 / l.cols)); t++) {
    const active = Array.from({ length: l.rows }, () => (rng.next() < density ? 1 : 0));
    for (let c = 0; c < l.cols; c++) samples.push(neuronCurrentUa(l, c, active, net.writeVoltageV));
  }
  samples.sort((a, b) => a - b);
  const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const ic = Math.max(0, q(0.3));
  const iFire = q(1 - fireFraction);
  quantiles.push({ layer: li, q10Ua: q(0.1), q30Ua: q(0.3), q50Ua: q(0.5), q70Ua: q(0.7), q90Ua: q(0.9) });
  const tau = tb.neuron.leakTauNs;
  const iw = tb.timing.iwPs / 1000;
  const gain = 1 / ((iFire - ic) * tau * (1 - Math.exp(-iw / tau)));
  return { criticalCurrentUa: Number(ic.toFixed(2)), gainPerUaNs: Number(gain.toPrecision(6)) };
});
const d = tb.device;
const gBranch = (ohms: number) => 1 / (ohms + d.accessOhms);
const gMidBranch = (gBranch(d.rLowOhms) + gBranch(highOhms(d))) / 2;
const gMtj = 1 / (1 / gMidBranch - d.accessOhms);
const balancedWeight = (gMtj - 1 / highOhms(d)) / (1 / d.rLowOhms - 1 / highOhms(d));
console.error(JSON.stringify({ referenceColumn: d.referenceColumn ?? null, balancedReferenceWeight: Number(balancedWeight.toFixed(4)), currentQuantilesUa: quantiles }));
console.log(JSON.stringify(out, null, 2));
