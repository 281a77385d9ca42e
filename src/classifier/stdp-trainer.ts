/**
 * Unsupervised STDP training of a one-layer 784 × N excitatory network with common
 * lateral inhibition and spike-frequency adaptation (seed 001 §II and §V.4, seed 002's
 * learning rule and inhibition), in the papers' discrete time steps. Deterministic: the
 * only randomness is the seeded Poisson input and initial weights (sim/rng.ts).
 *
 *   const r = trainStdp({ neurons: 100, images: 600, seed: 1 });
 *   r.weights      // 784·N weights in [0, 1], row-major (pixel r, neuron c at r·N + c)
 *   quantiseLevels(r.weights, 16)   // seed 002's 4-bit synapse
 *
 * Per image (binarised digits of `mnistSplit()`, training-set order), for `steps` steps:
 *   input      pixel j spikes with probability p_max·pixel (seed 001 table II: 0 … 0.06375)
 *   current    I_i = Σ_j w_ij·s_j, v_i ← v_i·e^(−1/τ_mem) + I_i  (τ_mem = 10 steps, table II)
 *   spike      v_i ≥ θ + θ_i^a → reset v = 0; θ_i^a += Δθ (adaptation, seed 001 eq. 5 in its
 *              adaptive-threshold form), θ_i^a decays with τ_adapt
 *   inhibition a spike of any neuron holds every neuron for τ_inh steps (seed 002's rule; τ_inh
 *              is ours, see stdpConstants); of the
 *              neurons over threshold in one step only the one furthest over fires (ties:
 *              lowest index) — the inhibitory signal wins the race against the others
 *   STDP       pre trace x_j (τ+ = 4.5 steps), post trace y_i (τ− = 5 steps) — seed 002 table II;
 *              on a post spike w_ij += η+·x_j·(1 − w_ij); on a pre spike w_ij −= η−·y_i·w_ij
 *              (η+ = 0.03, η− = 0.01, seed 002 table II; soft bounds keep w in [0, 1])
 *   normalise  after each image each neuron's weights are scaled to a fixed sum (the
 *              weight normalisation of Diehl & Cook 2015, seed 001 ref. [17])
 * After training every neuron gets the class it fired most for over the images it saw
 * (seed 001 §II: "assigned classes based on their highest response").
 */
import { createRng } from "../sim/rng.ts";
import { MNIST_PIXELS, mnistSplit, type DigitSet } from "./mnist-dataset.ts";

export interface StdpOptions {
  /** Excitatory neurons (seed 001: 100). */
  neurons: number;
  /** Training images presented once each, in training-set order. */
  images: number;
  seed: number;
  /** Steps per image (seed 001 table II: 350). */
  steps?: number;
  /** Largest input spike probability per step (seed 001 table II: 0.06375). */
  maxInputProbability?: number;
  /** Digits the training keeps (default all ten). */
  digits?: readonly number[];
  train?: DigitSet;
}

export interface StdpResult {
  rows: number;
  cols: number;
  /** rows·cols weights in [0, 1], row-major. */
  weights: Float64Array;
  /** Class each neuron was assigned (−1: never fired). */
  neuronClass: Int8Array;
  /** Post-synaptic spikes over the whole training. */
  spikes: number;
}

/** The learning constants (seed 001 table II, seed 002 table II) and ours (marked). */
export const stdpConstants = {
  tauMemSteps: 10, // seed 001 table II
  tauPlusSteps: 4.5, // seed 002 table II
  tauMinusSteps: 5, // seed 002 table II
  etaPlus: 0.03, // seed 002 table II
  etaMinus: 0.01, // seed 002 table II
  tauInhSteps: 10, // ours (seed 002 table II: 50, which leaves at most 7 spikes in 350 steps and learns less here)
  threshold: 6, // ours: ~6 coincident strong inputs
  adaptIncrement: 0.5, // ours
  tauAdaptSteps: 1000, // ours (seed 001 gives no number)
  weightSum: 120, // ours: mean weight 0.15 per neuron
} as const;

/** Train (see header). */
export function trainStdp(o: StdpOptions): StdpResult {
  const k = stdpConstants;
  const steps = o.steps ?? 350;
  const pMax = o.maxInputProbability ?? 0.06375;
  const train = o.train ?? mnistSplit().train;
  const n = o.neurons;
  const R = MNIST_PIXELS;
  const rng = createRng(o.seed);
  const w = new Float64Array(R * n);
  for (let i = 0; i < w.length; i++) w[i] = 0.3 * rng.next();
  normalise(w, R, n, k.weightSum);
  const v = new Float64Array(n);
  const thAdapt = new Float64Array(n);
  const x = new Float64Array(R);
  const y = new Float64Array(n);
  const dMem = Math.exp(-1 / k.tauMemSteps);
  const dPlus = Math.exp(-1 / k.tauPlusSteps);
  const dMinus = Math.exp(-1 / k.tauMinusSteps);
  const dAdapt = Math.exp(-1 / k.tauAdaptSteps);
  const counts = new Int32Array(n * 10);
  const pre: number[] = [];
  let spikes = 0;
  let shown = 0;
  for (let img = 0; img < train.count && shown < o.images; img++) {
    const label = train.labels[img];
    if (o.digits && !o.digits.includes(label)) continue;
    shown++;
    const px = train.pixels.subarray(img * R, (img + 1) * R);
    v.fill(0);
    x.fill(0);
    y.fill(0);
    let inhibitedUntil = -1;
    for (let t = 0; t < steps; t++) {
      pre.length = 0;
      for (let j = 0; j < R; j++) {
        x[j] *= dPlus;
        if (px[j] && rng.next() < pMax) pre.push(j);
      }
      for (let i = 0; i < n; i++) {
        y[i] *= dMinus;
        thAdapt[i] *= dAdapt;
        v[i] *= dMem;
      }
      // pre spikes: depression by the post trace, then the input current and the pre trace
      for (const j of pre) {
        const o = j * n;
        for (let i = 0; i < n; i++) {
          w[o + i] -= k.etaMinus * y[i] * w[o + i];
          if (t >= inhibitedUntil) v[i] += w[o + i];
        }
        x[j] += 1;
      }
      if (t < inhibitedUntil) continue;
      // the neuron furthest over its threshold fires; the common inhibition holds the rest (ties: lowest index)
      let win = -1;
      let margin = 0;
      for (let i = 0; i < n; i++) {
        const m = v[i] - (k.threshold + thAdapt[i]);
        if (m >= 0 && (win < 0 || m > margin)) [win, margin] = [i, m];
      }
      if (win >= 0) {
        spikes++;
        counts[win * 10 + label]++;
        thAdapt[win] += k.adaptIncrement;
        y[win] += 1;
        for (let j = 0; j < R; j++) if (x[j] > 0) w[j * n + win] += k.etaPlus * x[j] * (1 - w[j * n + win]);
        inhibitedUntil = t + 1 + k.tauInhSteps;
        v.fill(0);
      }
    }
    normalise(w, R, n, k.weightSum);
  }
  const neuronClass = new Int8Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let d = 0; d < 10; d++) if (counts[i * 10 + d] > best) [best, neuronClass[i]] = [counts[i * 10 + d], d];
  }
  return { rows: R, cols: n, weights: w, neuronClass, spikes };
}

/** Scale each neuron's weights to sum to `target`, clamped to [0, 1]. */
function normalise(w: Float64Array, rows: number, n: number, target: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < rows; j++) s += w[j * n + i];
    if (s <= 0) continue;
    const f = target / s;
    for (let j = 0; j < rows; j++) w[j * n + i] = Math.min(1, w[j * n + i] * f);
  }
}

/** Quantise weights in [0, 1] to `levels` levels: round((levels − 1)·w), as levels 0 … levels − 1. */
export function quantiseLevels(w: ArrayLike<number>, levels: number): Uint8Array {
  const top = levels - 1;
  return Uint8Array.from(w as ArrayLike<number>, (x) => Math.min(top, Math.max(0, Math.round(x * top))));
}
