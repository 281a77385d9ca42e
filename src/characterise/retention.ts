/**
 * Retention: thermally activated AP→P flips of synapse MTJs over the chip's life
 * (seed 004). Only weight-0 (R_H, anti-parallel) cells are at risk; P→AP is far less
 * likely and is ignored, as in the paper. Each at-risk cell flips independently with
 *
 *   P_sw(t) = 1 − exp(−(t/τ0)·e^(−Δ)),   τ0 = 1 ns,   Δ = E_B/k_BT
 *
 * (Δ = 40: P ≈ 0.125 after 1 year, ≈ 0.738 after 10). For each of `steps` equal time
 * steps up to `years`, per layer: the expected number of flipped cells N·P_sw(t), and —
 * with `trials` > 0 — a Monte-Carlo estimate where every at-risk cell draws its own flip
 * time t = −τ0·e^Δ·ln(1 − u), so one trial's counts are cumulative over the steps.
 *
 *   const r = retentionSweep(net, { deltaKt: 40, years: 10, steps: 10, trials: 20 });
 *   r.steps[9].layers[0].expectedFlips
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import { InputError } from "../formats/errors.ts";

/** Attempt time τ0, ns (seed 004). */
export const tau0Ns = 1;

/** Length of a year used for lifetimes: 365.25 days, ns. */
export const nsPerYear = 365.25 * 24 * 3600 * 1e9;

/** Probability that an AP cell has flipped to P after `timeNs` (seed 004). */
export function retentionFlipProbability(deltaKt: number, timeNs: number, tau0 = tau0Ns): number {
  return -Math.expm1(-(timeNs / tau0) * Math.exp(-deltaKt));
}

export interface RetentionOptions {
  /** Thermal stability factor Δ = E_B/k_BT. */
  deltaKt: number;
  /** Lifetime to cover, years. */
  years: number;
  /** Equal time steps up to `years`; default 10. */
  steps?: number;
  /** Monte-Carlo trials; 0 (default) = expected values only. */
  trials?: number;
  /** Seed of the Monte-Carlo draws; default 1. */
  seed?: number;
}

/** One layer at one time step. */
export interface RetentionLayerStep {
  layer: number;
  /** Weight-0 (R_H) cells of the layer. */
  atRiskCells: number;
  /** atRiskCells · P_sw(t). */
  expectedFlips: number;
  /** Monte-Carlo mean, standard deviation, min and max over the trials (absent without trials). */
  monteCarlo?: { mean: number; std: number; min: number; max: number };
}

export interface RetentionStep {
  step: number;
  years: number;
  pSwitch: number;
  layers: RetentionLayerStep[];
}

/** Frozen result of a retention sweep. */
export interface RetentionResult {
  deltaKt: number;
  tau0Ns: number;
  years: number;
  trials: number;
  seed: number;
  steps: RetentionStep[];
}

/** Bad retention parameters (exit 2). */
export class RetentionInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "RetentionInputError";
  }
}

/** Number of weight-0 (R_H) cells; multi-level cells with w > 0 are not counted as at risk. */
export function atRiskCellCount(weights: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i] === 0) n++;
  return n;
}

/** What one Monte-Carlo trial of one layer needs: its cells at risk and the time grid. */
export interface RetentionTrialSpec {
  /** Weight-0 cells of each layer. */
  atRisk: number[];
  steps: number;
  stepNs: number;
  ratePerNs: number;
  seed: number;
  trials: number;
}

/** Units of a retention Monte Carlo: trial-major, layer-minor (a slice of units mixes big and small layers). */
export const retentionUnits = (s: RetentionTrialSpec) => s.trials * s.atRisk.length;

/**
 * Cumulative flips by the end of each step (index 0 … steps) in one trial of one layer:
 * unit u is trial ⌊u / layers⌋ of layer u mod layers, drawn from its own stream
 * (mixSeed(seed, layer, trial)), so a trial's counts do not depend on which thread drew it.
 */
export function retentionTrialCounts(s: RetentionTrialSpec, unit: number): number[] {
  const layer = unit % s.atRisk.length;
  const trial = Math.floor(unit / s.atRisk.length);
  const rng = createRng(mixSeed(s.seed, layer, trial));
  const perStep = new Array<number>(s.steps + 1).fill(0);
  for (let c = 0; c < s.atRisk[layer]; c++) {
    const tNs = -Math.log1p(-rng.next()) / s.ratePerNs;
    const k = Math.ceil(tNs / s.stepNs);
    if (k <= s.steps) perStep[Math.max(k, 1)]++;
  }
  for (let k = 1; k <= s.steps; k++) perStep[k] += perStep[k - 1];
  return perStep;
}

/** Check the options and lay out the trials. */
export function retentionTrialSpec(net: CompiledNetwork, o: RetentionOptions): RetentionTrialSpec {
  const steps = o.steps ?? 10;
  const trials = o.trials ?? 0;
  const seed = o.seed ?? 1;
  if (!(o.deltaKt > 0) || !Number.isFinite(o.deltaKt)) throw new RetentionInputError(`delta must be a positive number (Δ = E_B/k_BT, e.g. 40), got ${o.deltaKt}`);
  if (!(o.years > 0) || !Number.isFinite(o.years)) throw new RetentionInputError(`years must be a positive number, got ${o.years}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RetentionInputError(`steps must be a positive integer, got ${steps}`);
  if (!Number.isInteger(trials) || trials < 0) throw new RetentionInputError(`trials must be a non-negative integer, got ${trials}`);
  return { atRisk: net.layers.map((l) => atRiskCellCount(l.weights)), steps, stepNs: (o.years * nsPerYear) / steps, ratePerNs: Math.exp(-o.deltaKt) / tau0Ns, seed, trials };
}

/** The sweep's record from the trials' counts (unit order of retentionTrialCounts). */
export function retentionResult(o: RetentionOptions, s: RetentionTrialSpec, unitCounts: readonly (readonly number[])[]): RetentionResult {
  const { steps, trials, atRisk } = s;
  const out: RetentionStep[] = [];
  for (let k = 1; k <= steps; k++) {
    const pSwitch = retentionFlipProbability(o.deltaKt, k * s.stepNs);
    out.push({
      step: k,
      years: (o.years * k) / steps,
      pSwitch,
      layers: atRisk.map((n, li) => {
        const entry: RetentionLayerStep = { layer: li, atRiskCells: n, expectedFlips: n * pSwitch };
        if (trials > 0) {
          const xs = Array.from({ length: trials }, (_, t) => unitCounts[t * atRisk.length + li][k]);
          const mean = xs.reduce((a, b) => a + b, 0) / trials;
          const variance = trials > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (trials - 1) : 0;
          entry.monteCarlo = { mean, std: Math.sqrt(variance), min: Math.min(...xs), max: Math.max(...xs) };
        }
        return entry;
      }),
    });
  }
  return { deltaKt: o.deltaKt, tau0Ns, years: o.years, trials, seed: s.seed, steps: out };
}

/** Expected and Monte-Carlo flipped-cell counts per step and layer, in this thread (`retention --jobs N` runs the trials on the pool). */
export function retentionSweep(net: CompiledNetwork, o: RetentionOptions): RetentionResult {
  const s = retentionTrialSpec(net, o);
  return retentionResult(o, s, Array.from({ length: retentionUnits(s) }, (_, u) => retentionTrialCounts(s, u)));
}
