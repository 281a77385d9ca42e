/**
 * Per-layer neuron calibration of a multi-layer bench (was scripts/calibrate-layers.ts):
 * place each layer's critical current and gain where its own column currents put a
 * realistic share of neurons at the one-window firing edge.
 *
 * For each layer: drive random input sets (density 0.5 on layer 0, 0.35 deeper — a hidden
 * layer fires sparsely), take the distribution of the neuron current (the column's current,
 * minus the reference column's when the bench reads differentially), and set
 *   I_c   = its 30th percentile, never below 0 (a critical current is a magnitude)
 *   I_fire = its (1 − fireFraction) quantile: the current that reaches θ in one window
 *   gain  = θ / ((I_fire − I_c) · τ(1 − e^(−IW/τ)))   (IW without leak)
 * so about fireFraction of the neurons fire in one window and many sit near the edge.
 * When I_fire ≤ I_c no positive gain exists (the layer's currents do not spread above its
 * critical current): a CalibrationError says so with the numbers, and nothing is written.
 *
 *   const cal = calibrateLayers(bench, { fireFraction: 0.35 });
 *   cal.layers[1].neuron   // { criticalCurrentUa: 42.24, gainPerUaNs: 0.0448756 }
 */
import { InputError } from "../formats/errors.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { compileNetwork, highOhms } from "../sim/compile.ts";
import { neuronCurrentUa } from "../sim/differential-read.ts";
import { simulateNetwork } from "../sim/network.ts";
import { createRng } from "../sim/rng.ts";
import { patternEvents } from "../sim/stimulus.ts";

/** The layer's currents cannot be calibrated (the message carries the numbers and the fix). */
export class CalibrationError extends InputError {}

export interface LayerCalibration {
  layer: number;
  neuron: { criticalCurrentUa: number; gainPerUaNs: number };
  /** The quantiles of the neuron current the choice was made from, µA. */
  quantilesUa: { q10: number; q30: number; q50: number; q70: number; q90: number };
  /** The current that reaches θ in one integrate window, µA. */
  fireCurrentUa: number;
}

export interface LayerCalibrationOptions {
  /** Share of neurons that fire in one window (0 < f < 0.7; default 0.35). */
  fireFraction?: number;
  /** Seed of the random input sets (default 7). */
  seed?: number;
}

/** State gained per µA above I_c over one integrate window: τ(1 − e^(−IW/τ)) ns, or IW without leak. */
export function windowIntegral(leakTauNs: number | null, iwNs: number): number {
  return leakTauNs === null ? iwNs : leakTauNs * (1 - Math.exp(-iwNs / leakTauNs));
}

export function calibrateLayers(bench: Testbench, o: LayerCalibrationOptions = {}): { layers: LayerCalibration[] } {
  const fireFraction = o.fireFraction ?? 0.35;
  if (!(fireFraction > 0 && fireFraction < 0.7)) throw new CalibrationError(`--fire-fraction must be in (0, 0.7) (the firing current must lie above the 30th-percentile critical current), got ${fireFraction}`);
  const net = compileNetwork(bench);
  const rng = createRng(o.seed ?? 7);
  const integral = windowIntegral(bench.neuron.leakTauNs, bench.timing.iwPs / 1000);
  const layers = net.layers.map((l, li): LayerCalibration => {
    const samples: number[] = [];
    const density = li === 0 ? 0.5 : 0.35;
    for (let t = 0; t < Math.max(20, Math.ceil(4000 / l.cols)); t++) {
      const active = Array.from({ length: l.rows }, () => (rng.next() < density ? 1 : 0));
      for (let c = 0; c < l.cols; c++) samples.push(neuronCurrentUa(l, c, active, net.writeVoltageV));
    }
    samples.sort((a, b) => a - b);
    const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
    const ic = Math.max(0, q(0.3));
    const fire = q(1 - fireFraction);
    const quantilesUa = { q10: q(0.1), q30: q(0.3), q50: q(0.5), q70: q(0.7), q90: q(0.9) };
    if (!(fire > ic)) {
      throw new CalibrationError(
        `${bench.id}: layer ${li}: the neuron current that should fire in one window (the ${(100 * (1 - fireFraction)).toFixed(0)}th percentile, ${fire.toFixed(2)} µA) ` +
          `is not above the critical current (${ic.toFixed(2)} µA, the 30th percentile clamped at 0; quantiles 10/50/90 %: ${quantilesUa.q10.toFixed(2)} / ${quantilesUa.q50.toFixed(2)} / ${quantilesUa.q90.toFixed(2)} µA): ` +
          `no positive gain exists. The layer's currents do not spread above zero — check its weights and reference column, or raise --fire-fraction`,
      );
    }
    const criticalCurrentUa = Number(ic.toFixed(2));
    const gain = bench.neuron.threshold / ((fire - criticalCurrentUa) * integral);
    return { layer: li, neuron: { criticalCurrentUa, gainPerUaNs: Number(gain.toPrecision(6)) }, quantilesUa, fireCurrentUa: fire };
  });
  return { layers };
}

/** The bench with each layer's neuron overrides replaced by the calibration. */
export function calibratedLayersBench(bench: Testbench, cal: { layers: readonly LayerCalibration[] }): Testbench {
  return { ...bench, layers: bench.layers.map((l, i) => ({ ...l, neuron: { ...l.neuron, ...cal.layers[i].neuron } })) };
}

/**
 * The reference-cell weight whose branch (MTJ + access transistor) conductance lies midway
 * between the P and AP branches: the balanced reference of a differential read
 * (docs/differential-read.md; weight 0.5 is midway in MTJ conductance only).
 */
export function balancedReferenceWeight(d: Testbench["device"]): number {
  const gBranch = (ohms: number) => 1 / (ohms + d.accessOhms);
  const gMtj = 1 / (1 / ((gBranch(d.rLowOhms) + gBranch(highOhms(d))) / 2) - d.accessOhms);
  return (gMtj - 1 / highOhms(d)) / (1 / d.rLowOhms - 1 / highOhms(d));
}

/** A check of a bench as it stands: 10 random 3-window vectors per input density (seed 64), the share of layer-0 neurons that fire and the output spikes per vector. */
export function firingCheck(bench: Testbench): { density: number; layer0FiringPercent: number; outputSpikesPerVector: number[] }[] {
  const net = compileNetwork(bench);
  const rng = createRng(64);
  const last = net.layers.length - 1;
  const { iwPs, lwPs } = bench.timing;
  return [0.3, 0.5, 0.7].map((density) => {
    let layer0 = 0;
    const outputSpikesPerVector: number[] = [];
    for (let k = 0; k < 10; k++) {
      let bits = "";
      for (let r = 0; r < net.layers[0].rows; r++) bits += rng.next() < density ? "1" : "0";
      const run = simulateNetwork(net, { iwPs, lwPs, windows: 3, events: patternEvents([bits], 3, iwPs, lwPs) });
      layer0 += new Set(run.layers[0].spikes.map((x) => x.neuron)).size;
      outputSpikesPerVector.push(run.layers[last].spikes.length);
    }
    return { density, layer0FiringPercent: Number(((100 * layer0) / 10 / net.layers[0].cols).toFixed(1)), outputSpikesPerVector };
  });
}
