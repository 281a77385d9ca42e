/**
 * Lifetime: the classification accuracy of a trained chip over the years while its
 * R_H synapses flip to R_L (seed 004 §III-B, figs. 7 and 14). As in the paper only the
 * first crossbar (A1) is aged; every R_H cell of column c draws its own flip time
 *
 *   t = −τ0·e^(Δ_c)·ln(1 − u)    (so P(t ≤ T) = P_sw(T) of seed 004 eq. 2, retention.ts)
 *
 * with Δ_c the column's Δ (its region's, or the device's; or one Δ for the whole array
 * when `deltaKt` is a number), and the flips are applied cumulatively year by year.
 * After each step the accuracy is measured through the simulator on the given images;
 * only the columns that gained flips that step are re-solved (chip-classifier.ts).
 *
 *   const r = lifetimeSweep(net, heldOut, { years: 10, stepYears: 1, deltas: [40, "bench"], trials: 5 });
 *   r.curves[0].points[10].mean   // accuracy after 10 years at Δ = 40
 */
import { createChipEvaluator } from "../classifier/chip-classifier.ts";
import type { DigitSet } from "../classifier/mnist-dataset.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { mtjOhms } from "../sim/compile.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import { nsPerYear, RetentionInputError, tau0Ns } from "./retention.ts";

export interface LifetimeOptions {
  years: number;
  stepYears: number;
  /** Δ values for a uniform array, or "bench" for the bench's own per-column Δ (mixed arrays). */
  deltas: (number | "bench")[];
  trials: number;
  seed?: number;
  /** Score on the first `images` images of the set (default all). */
  images?: number;
}

export interface LifetimePoint {
  years: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** Mean number of flipped cells in A1 by then. */
  flips: number;
}

export interface LifetimeCurve {
  delta: number | "bench";
  /** R_H cells of A1 at year 0. */
  atRiskCells: number;
  points: LifetimePoint[];
}

export interface LifetimeResult {
  bench: string;
  images: number;
  trials: number;
  seed: number;
  curves: LifetimeCurve[];
}

/** Accuracy of a chip over its life under retention flips, mean and spread over Monte-Carlo trials. */
export function lifetimeSweep(net: CompiledNetwork, set: DigitSet, o: LifetimeOptions): LifetimeResult {
  if (!(o.years > 0)) throw new RetentionInputError(`--years must be positive, got ${o.years}`);
  if (!(o.stepYears > 0) || o.stepYears > o.years) throw new RetentionInputError(`--step must be in (0, years], got ${o.stepYears}`);
  if (!Number.isInteger(o.trials) || o.trials < 1) throw new RetentionInputError(`--trials must be a positive integer, got ${o.trials}`);
  const seed = o.seed ?? 1;
  const layer = net.layers[0];
  const rows = layer.rows;
  const ev = createChipEvaluator(net, set, Math.min(o.images ?? set.count, set.count));
  const base = layer.cellOhms.slice();
  const lowBranch = mtjOhms(net.device, 1) + net.device.accessOhms;
  const atRisk: number[] = [];
  for (let i = 0; i < layer.weights.length; i++) if (layer.weights[i] === 0) atRisk.push(i);
  const nSteps = Math.round(o.years / o.stepYears);
  const acc0 = ev.accuracy();
  const curves = o.deltas.map((delta, di): LifetimeCurve => {
    const perStep: number[][] = Array.from({ length: nSteps + 1 }, () => []);
    const flipsPerStep = new Float64Array(nSteps + 1);
    for (let t = 0; t < o.trials; t++) {
      const rng = createRng(mixSeed(seed, di, t));
      // step at which each at-risk cell flips (nSteps + 1 = not within the life)
      const byStep: number[][] = Array.from({ length: nSteps + 1 }, () => []);
      for (const cell of atRisk) {
        const d = delta === "bench" ? layer.columnDeltaKt?.[Math.floor(cell / rows)] ?? NaN : delta;
        if (!Number.isFinite(d)) throw new RetentionInputError(`column ${Math.floor(cell / rows)} has no Δ: give --delta or device.deltaKt`);
        const years = (-Math.log1p(-rng.next()) * tau0Ns * Math.exp(d)) / nsPerYear;
        const k = Math.max(1, Math.ceil(years / o.stepYears - 1e-12));
        if (k <= nSteps) byStep[k].push(cell);
      }
      perStep[0].push(acc0);
      let flipped = 0;
      for (let k = 1; k <= nSteps; k++) {
        const cols = new Set<number>();
        for (const cell of byStep[k]) {
          layer.cellOhms[cell] = lowBranch;
          cols.add(Math.floor(cell / rows));
        }
        flipped += byStep[k].length;
        flipsPerStep[k] += flipped / o.trials;
        if (cols.size) ev.refreshColumns(cols);
        perStep[k].push(cols.size || k === 1 ? ev.accuracy() : perStep[k - 1][perStep[k - 1].length - 1]);
      }
      layer.cellOhms.set(base);
      ev.refreshColumns(Array.from({ length: layer.cols }, (_, c) => c));
    }
    return {
      delta,
      atRiskCells: atRisk.length,
      points: perStep.map((xs, k) => {
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
        return { years: k * o.stepYears, mean, std, min: Math.min(...xs), max: Math.max(...xs), flips: flipsPerStep[k] };
      }),
    };
  });
  return { bench: net.id, images: ev.count, trials: o.trials, seed, curves };
}

/** First time (years) at which the mean accuracy falls below `floor`, or null if it never does. */
export function yearsAboveFloor(curve: LifetimeCurve, floor: number): number | null {
  const p = curve.points.find((q) => q.mean < floor);
  return p ? p.years : null;
}

/**
 * Seed 004's mixed-retention mapping: the `fraction` of A1's columns holding the most
 * R_H (weight-0) cells go on Δ = `highDelta`, the rest keep the device's Δ. Returns the
 * testbench `regions` entry (columns ascending).
 */
export function mixedRetentionRegion(weights: ArrayLike<number>, rows: number, cols: number, fraction = 0.1, highDelta = 60): { columns: number[]; deltaKt: number; note: string } {
  const count = new Array(cols).fill(0);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) if (weights[c * rows + r] === 0) count[c]++;
  const order = [...count.keys()].sort((a, b) => count[b] - count[a] || a - b);
  const n = Math.round(cols * fraction);
  return {
    columns: order.slice(0, n).sort((a, b) => a - b),
    deltaKt: highDelta,
    note: `seed 004 mixed array: the ${n} of ${cols} columns with the most R_H cells (${count[order[n - 1]]}–${count[order[0]]}) on Δ = ${highDelta}`,
  };
}
