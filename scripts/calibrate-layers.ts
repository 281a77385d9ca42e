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
 * pulls the branch midpoint lower). Last, as a check of the bench as it stands, it
 * simulates 10 random 3-window vectors per input density (seed 64) and prints the share
 * of layer-0 neurons that fire and the output spikes per vector (stderr).
 */
import { readFileSync } from "node:fs";
import { parseTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork, createRng, highOhms, neuronCurrentUa, patternEvents, simulateNetwork } from "../src/sim/index.ts";

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
  // state gained per µA above I_c over one window: τ(1 − e^(−IW/τ)), or IW without leak
  const gain = 1 / ((iFire - ic) * (tau === null ? iw : tau * (1 - Math.exp(-iw / tau))));
  return { criticalCurrentUa: Number(ic.toFixed(2)), gainPerUaNs: Number(gain.toPrecision(6)) };
});
const d = tb.device;
const gBranch = (ohms: number) => 1 / (ohms + d.accessOhms);
const gMidBranch = (gBranch(d.rLowOhms) + gBranch(highOhms(d))) / 2;
const gMtj = 1 / (1 / gMidBranch - d.accessOhms);
const balancedWeight = (gMtj - 1 / highOhms(d)) / (1 / d.rLowOhms - 1 / highOhms(d));
console.error(JSON.stringify({ referenceColumn: d.referenceColumn ?? null, balancedReferenceWeight: Number(balancedWeight.toFixed(4)), currentQuantilesUa: quantiles }));
console.log(JSON.stringify(out, null, 2));
const check = createRng(64);
const last = net.layers.length - 1;
const firing = [0.3, 0.5, 0.7].map((density) => {
  const vectors = 10;
  let layer0 = 0;
  const outputSpikes: number[] = [];
  for (let k = 0; k < vectors; k++) {
    let bits = "";
    for (let r = 0; r < net.layers[0].rows; r++) bits += check.next() < density ? "1" : "0";
    const run = simulateNetwork(net, { iwPs: tb.timing.iwPs, lwPs: tb.timing.lwPs, windows: 3, events: patternEvents([bits], 3, tb.timing.iwPs, tb.timing.lwPs) });
    layer0 += new Set(run.layers[0].spikes.map((x) => x.neuron)).size;
    outputSpikes.push(run.layers[last].spikes.length);
  }
  return { density, layer0FiringPercent: Number(((100 * layer0) / vectors / net.layers[0].cols).toFixed(1)), outputSpikesPerVector: outputSpikes };
});
console.error(JSON.stringify({ firingCheck: firing }));
