/**
 * Lifetime: the classification accuracy of a trained chip over the years while its
 * R_H synapses flip to R_L (seed 004 §III-B, figs. 7 and 14). As in the paper only the
 * first crossbar (A1) is aged; every R_H cell of column c draws its own flip time
 *
 *   t = −τ0·e^(Δ_c)·ln(1 − u)    (so P(t ≤ T) = P_sw(T) of seed 004 eq. 2, retention.ts)
 *
 * with Δ_c the column's Δ (one curve = one Δ per column: uniform, the bench's regions,
 * or seed 004's mixed array, lifetime-curves.ts), and the flips are applied cumulatively
 * step by step. After each step the accuracy is measured through the simulator on the
 * given images; only the columns that gained flips that step are re-solved
 * (chip-classifier.ts), and the loop yields to the event loop so Ctrl-C (`signal`)
 * ends it promptly with the curves finished so far.
 *
 * The reference column (docs/differential-read.md) is `fixed` (never ages: every flip
 * pushes its column's current up, so the hidden layer drifts towards firing all
 * together) or `aging`: each reference row is an R_L/R_H pair at the reference's
 * conductance weight whose R_H member relaxes like the array's cells (its row goes to
 * weight 1 at its own flip time), one such reference per distinct Δ of the curve. Then
 * a column with half its driven cells R_H keeps, in expectation, its score shrunk by
 * (1 − P_sw) instead of shifted (docs/mnist-chip.md gives the numbers).
 *
 *   const r = await lifetimeSweep(net, heldOut, { years: 10, stepYears: 1, curves: lifetimeCurves(net, [40]), trials: 5 });
 *   r.curves[0].points[10].mean   // accuracy after 10 years at Δ = 40
 */
import { createChipEvaluator, type ChipEvaluator } from "../classifier/chip-classifier.ts";
import type { DigitSet } from "../classifier/mnist-dataset.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { mtjOhms } from "../sim/compile.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import type { LifetimeCurveSpec } from "./lifetime-curves.ts";
import { nsPerYear, RetentionInputError, tau0Ns } from "./retention.ts";

export { lifetimeCurves, mixedRetentionRegion, type LifetimeCurveSpec } from "./lifetime-curves.ts";

/** How the reference column behaves over the life (see the header). */
export type ReferenceAging = "fixed" | "aging";

export interface LifetimeProgress {
  curve: string;
  trial: number;
  years: number;
  accuracy: number;
  /** Accuracy evaluations done and planned (steps without new flips reuse the last one). */
  done: number;
  total: number;
}

export interface LifetimeOptions {
  years: number;
  stepYears: number;
  curves: LifetimeCurveSpec[];
  trials: number;
  seed?: number;
  /** Score on the first `images` images of the set (default all). */
  images?: number;
  /** Reference column behaviour, default "fixed". */
  reference?: ReferenceAging;
  /** Ends the sweep early (Ctrl-C): the result holds the curves finished before. */
  signal?: AbortSignal;
  onProgress?: (p: LifetimeProgress) => void;
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
  label: string;
  /** R_H cells of A1 at year 0. */
  atRiskCells: number;
  points: LifetimePoint[];
}

export interface LifetimeResult {
  bench: string;
  images: number;
  trials: number;
  seed: number;
  reference: ReferenceAging;
  curves: LifetimeCurve[];
  /** True when `signal` ended the sweep before every curve was finished. */
  interrupted: boolean;
}

/** Let pending events (SIGINT) run when `ms` have passed since the last yield. */
function yielder(ms = 40): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < ms) return;
    await new Promise((r) => setImmediate(r));
    last = performance.now();
  };
}

/** Flip time of one relaxing cell of stability Δ, years. */
const flipYears = (u: number, deltaKt: number) => (-Math.log1p(-u) * tau0Ns * Math.exp(deltaKt)) / nsPerYear;

/** What a lifetime unit (one trial of one curve) needs besides the chip and the digits: plain data, so a pool thread can run it. */
export interface LifetimeTrialSpec {
  years: number;
  stepYears: number;
  curves: LifetimeCurveSpec[];
  trials: number;
  seed: number;
  images?: number;
  reference: ReferenceAging;
}

/** One trial of one curve: the accuracy and the cumulative flips of A1 after each step (index 0 = year 0). */
export interface LifetimeTrial {
  accuracy: number[];
  flipped: number[];
}

/** The evaluator and the cells at risk of one chip, built once per thread. */
export interface LifetimeBench {
  net: CompiledNetwork;
  set: DigitSet;
  ev: ChipEvaluator;
  atRisk: number[];
  nSteps: number;
  /** Accuracy of the unaged chip. */
  acc0: number;
}

/** Check the options (flag names in the messages) and give the spec with its defaults. */
export function lifetimeTrialSpec(net: CompiledNetwork, o: LifetimeOptions): LifetimeTrialSpec {
  if (!(o.years > 0)) throw new RetentionInputError(`--years must be positive, got ${o.years}`);
  if (!(o.stepYears > 0) || o.stepYears > o.years) throw new RetentionInputError(`--step must be in (0, years], got ${o.stepYears}`);
  if (!Number.isInteger(o.trials) || o.trials < 1) throw new RetentionInputError(`--trials must be a positive integer, got ${o.trials}`);
  const reference = o.reference ?? "fixed";
  if (reference === "aging" && !net.layers[0].reference) throw new RetentionInputError(`--reference aging: ${net.id} reads single-ended (no device.referenceColumn)`);
  return { years: o.years, stepYears: o.stepYears, curves: o.curves, trials: o.trials, seed: o.seed ?? 1, images: o.images, reference };
}

/** Units of a lifetime sweep: curve-major, trial-minor. */
export const lifetimeUnits = (s: LifetimeTrialSpec) => s.curves.length * s.trials;

/** The evaluator of a chip for a sweep (the unaged accuracy included). */
export async function lifetimeBench(net: CompiledNetwork, set: DigitSet, s: LifetimeTrialSpec, signal?: AbortSignal): Promise<LifetimeBench> {
  const ev = createChipEvaluator(net, set, Math.min(s.images ?? set.count, set.count));
  const layer = net.layers[0];
  const atRisk: number[] = [];
  for (let i = 0; i < layer.weights.length; i++) if (layer.weights[i] === 0) atRisk.push(i);
  const b = { net, set, ev, atRisk, nSteps: Math.round(s.years / s.stepYears), acc0: NaN };
  b.acc0 = await accuracyOf(b, yielder(), signal);
  return b;
}

async function accuracyOf(b: Pick<LifetimeBench, "ev" | "set">, pause: () => Promise<void>, signal?: AbortSignal): Promise<number> {
  let ok = 0;
  for (let i = 0; i < b.ev.count; i++) {
    if (b.ev.classify(i) === b.set.labels[i]) ok++;
    await pause();
    if (signal?.aborted) return NaN;
  }
  return ok / b.ev.count;
}

/**
 * Unit `unit` (trial unit mod trials of curve ⌊unit / trials⌋), from its own stream
 * mixSeed(seed, curve, trial); the chip is restored afterwards. Null when `signal` ended it.
 */
export async function lifetimeTrial(b: LifetimeBench, s: LifetimeTrialSpec, unit: number, o: { signal?: AbortSignal; onStep?: (k: number, accuracy: number) => void } = {}): Promise<LifetimeTrial | null> {
  const ci = Math.floor(unit / s.trials);
  const t = unit % s.trials;
  const spec = s.curves[ci];
  const { ev, atRisk, nSteps } = b;
  const layer = b.net.layers[0];
  const rows = layer.rows;
  const pause = yielder();
  const aborted = () => o.signal?.aborted ?? false;
  const base = layer.cellOhms.slice();
  const lowBranch = mtjOhms(b.net.device, 1) + b.net.device.accessOhms;
  const stepOf = (years: number) => Math.max(1, Math.ceil(years / s.stepYears - 1e-12));
  // Re-solve changed columns a few at a time, so a step that touches them all still yields.
  const refresh = async (cols: Iterable<number>) => {
    const all = [...cols];
    for (let k = 0; k < all.length && !aborted(); k += 8) {
      ev.refreshColumns(all.slice(k, k + 8));
      await pause();
    }
  };
  // One reference group per distinct Δ of the curve (aging), or the layer's own (fixed).
  const deltas = [...new Set(spec.columnDeltaKt)];
  const groupOf = s.reference === "aging" ? Uint8Array.from(spec.columnDeltaKt, (d) => deltas.indexOf(d)) : new Uint8Array(layer.cols);
  const rng = createRng(mixSeed(s.seed, ci, t));
  // step at which each at-risk cell flips (> nSteps = not within the life)
  const byStep: number[][] = Array.from({ length: nSteps + 1 }, () => []);
  for (const cell of atRisk) {
    const d = spec.columnDeltaKt[Math.floor(cell / rows)];
    const k = stepOf(flipYears(rng.next(), d));
    if (k <= nSteps) byStep[k].push(cell);
  }
  const refOhms = s.reference === "aging" ? deltas.map(() => layer.reference!.cellOhms.slice()) : [];
  const refStep = deltas.map((d) => Array.from({ length: rows }, () => stepOf(flipYears(rng.next(), d))));
  const accuracy = [b.acc0];
  const flipped = [0];
  let interrupted = false;
  for (let k = 1; k <= nSteps; k++) {
    const cols = new Set<number>();
    for (const cell of byStep[k]) {
      layer.cellOhms[cell] = lowBranch;
      cols.add(Math.floor(cell / rows));
    }
    let refChanged = false;
    refOhms.forEach((ohms, g) => {
      for (let r = 0; r < rows; r++) if (refStep[g][r] === k) (ohms[r] = lowBranch), (refChanged = true);
    });
    flipped.push(flipped[k - 1] + byStep[k].length);
    if (cols.size) await refresh(cols);
    if (refOhms.length && (refChanged || k === 1)) ev.setReferences(groupOf, refOhms);
    const acc = cols.size || refChanged || k === 1 ? await accuracyOf(b, pause, o.signal) : accuracy[k - 1];
    if (aborted()) {
      interrupted = true;
      break;
    }
    accuracy.push(acc);
    o.onStep?.(k, acc);
  }
  layer.cellOhms.set(base);
  // Re-solve the restored chip for the next trial — not after Ctrl-C, which ends the sweep (and must end it promptly).
  await refresh(Array.from({ length: layer.cols }, (_, c) => c));
  if (refOhms.length) ev.setReferences(new Uint8Array(layer.cols), [layer.reference!.cellOhms]);
  return interrupted || aborted() ? null : { accuracy, flipped };
}

/** The sweep's record from its units (lifetimeUnits order); the curves before the first missing unit. */
export function lifetimeResult(benchId: string, s: Pick<LifetimeTrialSpec, "curves" | "trials" | "stepYears" | "seed" | "reference">, images: number, atRiskCells: number, units: readonly (LifetimeTrial | null | undefined)[]): LifetimeResult {
  const curves: LifetimeCurve[] = [];
  for (const [ci, spec] of s.curves.entries()) {
    const trials = units.slice(ci * s.trials, (ci + 1) * s.trials);
    if (trials.length < s.trials || trials.some((u) => !u)) break;
    const done = trials as LifetimeTrial[];
    const nSteps = done[0].accuracy.length - 1;
    const flips = new Float64Array(nSteps + 1);
    for (const u of done) for (let k = 1; k <= nSteps; k++) flips[k] += u.flipped[k] / s.trials;
    curves.push({
      label: spec.label,
      atRiskCells,
      points: Array.from({ length: nSteps + 1 }, (_, k) => {
        const xs = done.map((u) => u.accuracy[k]);
        const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
        const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
        return { years: k * s.stepYears, mean, std, min: Math.min(...xs), max: Math.max(...xs), flips: flips[k] };
      }),
    });
  }
  return { bench: benchId, images, trials: s.trials, seed: s.seed, reference: s.reference, curves, interrupted: curves.length < s.curves.length };
}

/** Units `units` of a sweep in this thread, in order (null from the one Ctrl-C cut short; none after it). */
export async function runLifetimeTrials(b: LifetimeBench, s: LifetimeTrialSpec, units: readonly number[], o: Pick<LifetimeOptions, "signal" | "onProgress"> = {}): Promise<(LifetimeTrial | null)[]> {
  const out: (LifetimeTrial | null)[] = [];
  const total = units.length * b.nSteps;
  let done = 0;
  for (const u of units) {
    if (o.signal?.aborted) break;
    const curve = s.curves[Math.floor(u / s.trials)].label;
    const trial = (u % s.trials) + 1;
    out.push(await lifetimeTrial(b, s, u, { signal: o.signal, onStep: (k, accuracy) => o.onProgress?.({ curve, trial, years: k * s.stepYears, accuracy, done: ++done, total }) }));
  }
  return out;
}

/** The id a unit is sharded by (fault-shard.ts): its curve's label and trial. */
export const lifetimeUnitId = (s: Pick<LifetimeTrialSpec, "curves" | "trials">, unit: number) => `${s.curves[Math.floor(unit / s.trials)].label}#${unit % s.trials}`;

/** Accuracy of a chip over its life under retention flips, mean and spread over Monte-Carlo trials (in this thread; `lifetime --jobs N` runs the units on the pool). */
export async function lifetimeSweep(net: CompiledNetwork, set: DigitSet, o: LifetimeOptions): Promise<LifetimeResult> {
  const s = lifetimeTrialSpec(net, o);
  const b = await lifetimeBench(net, set, s, o.signal);
  const units = await runLifetimeTrials(b, s, Array.from({ length: lifetimeUnits(s) }, (_, u) => u), o);
  return lifetimeResult(net.id, s, b.ev.count, b.atRisk.length, units);
}

/** First time (years) at which the mean accuracy falls below `floor`, or null if it never does. */
export function yearsAboveFloor(curve: LifetimeCurve, floor: number): number | null {
  const p = curve.points.find((q) => q.mean < floor);
  return p ? p.years : null;
}
