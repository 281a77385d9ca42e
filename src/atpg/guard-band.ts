/**
 * Guard bands: the probability that a *good* chip fails a vector because of process
 * variation, estimated by Monte Carlo, and the timing tolerance its spikes need.
 *
 *   const gb = createGuardBand(net, bench, { seed: 1 });
 *   const r = evaluateGuardBand(gb, stim);   // r.goodFailProbability, r.toleranceBandPs, r.accepted
 *
 * Three estimates, the largest wins (all conservative in a different way):
 *   empirical      failing chips / N among N chips drawn at the bench's σ;
 *   scaled sigma   the same normal draws with every deviation × λ (default 2): a failure
 *                  probability of 1e-3 at λ = 1 is ~6 % at λ = 2, which N = 64 chips can
 *                  see. With a linear fail boundary in the Gaussian variation space,
 *                  P(1) = Φ(λ·Φ⁻¹(P(λ))) (scaled-sigma sampling, Sun & Li 2014); P(λ) is
 *                  taken at its 90 % Wilson upper confidence bound, because a vector kept
 *                  for passing a small population is otherwise a lucky draw (winner's curse:
 *                  measured on mlp-16x8x4, the point estimate understated fresh-chip
 *                  failures ~100×); when ≥ 2 chips fail at λ, a third population at 1.5λ
 *                  gives the curvature: y(λ) = λ·Φ⁻¹(P(λ)) is extrapolated linearly in 1/λ
 *                  to λ = 1 (the scaled-sigma-sampling model), which is larger than the
 *                  straight estimate when the fail boundary is not a plane;
 *   margin tails   for every observable neuron and window, ln(x_peak/θ) over the chips is
 *                  ~Gaussian; Σ Φ(−|μ|/σ) over the windows (union bound). A chip's sample
 *                  of window w counts only while its spike history of that neuron before w
 *                  matches the nominal one (the conditional spread, not a bimodal mix).
 * The timing tolerance is widened to 2 × the largest spike-time shift seen on the
 * λ = 1 chips and 1.2 × the largest on the λ chips that still spike in the right windows
 * (at least the program's default, at most the integrate window).
 */
import type { Testbench } from "../formats/testbench-format.ts";
import { worstShiftPs } from "../faultsim/response-rule.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableLayers, observableSpikes, simulateNetwork } from "../sim/network.ts";
import type { Stimulus } from "../sim/stimulus.ts";
import { wilsonUpper, Z_ONE_SIDED_90 } from "../stats/binomial-confidence.ts";
import { normalCdf, normalQuantile } from "../stats/normal-distribution.ts";
import { hasVariation, monteCarloChipScales, monteCarloChip, variabilityOf, type VariabilitySigmas } from "./variability-model.ts";
import { windowMargins, type WindowMargins } from "./window-margins.ts";

/** Default largest good-chip failure probability per vector. */
export const DEFAULT_FAIL_BOUND = 1e-3;

/** Default Monte-Carlo chips per population. */
export const DEFAULT_MC_CHIPS = 64;

/** Guard-band settings. */
export interface GuardBandOptions {
  /** Largest acceptable good-chip failure probability per vector (default `DEFAULT_FAIL_BOUND`, 1e-3). */
  failBound?: number;
  /** Monte-Carlo chips per population (default 64; raised to what the bound needs, see certifiableChips). */
  chips?: number;
  /**
   * Draw each chip when it is simulated instead of holding the populations (for a band
   * evaluated once: a neuron-phase candidate's; on bnn-784x1024x10 the two populations
   * hold 128 × 6.4 MB of cell resistances). The same chips either way.
   */
  streaming?: boolean;
  /** Seed of the chip population. */
  seed: number;
  /** λ of the scaled-sigma population (default 2). */
  scaledSigma?: number;
  /** Smallest timing tolerance written, ps (the program default). */
  minTolerancePs?: number;
  /** Tester resolution, ps (tolerances are rounded up to it). */
  tickPs?: number;
}

/** A bench's nominal chip and its Monte-Carlo populations. */
export interface GuardBand {
  net: CompiledNetwork;
  sigmas: VariabilitySigmas;
  sigmaSource: "bench" | "seed 003 defaults";
  /** Chips per population. */
  count: number;
  /** Chip i of the λ = 1 population and of the λ-scaled one (drawn from the same normals). */
  pair(i: number): readonly [CompiledNetwork, CompiledNetwork];
  failBound: number;
  scaledSigma: number;
  minTolerancePs: number;
  tickPs: number;
  seed: number;
}

/** Guard-band verdict for one vector. */
export interface VectorGuardBand {
  goodFailProbability: number;
  accepted: boolean;
  toleranceBandPs: number;
  empiricalFails: number;
  scaledFails: number;
  marginTail: number;
  /** Nominal margins, and mean / sd of ln(x_peak/θ) over the λ = 1 chips, per layer [col·windows + w]. */
  nominal: WindowMargins;
  mean: Float64Array[];
  sd: Float64Array[];
}

/** Build the populations once per bench. */
export function createGuardBand(net: CompiledNetwork, bench: Pick<Testbench, "device" | "timing">, o: GuardBandOptions): GuardBand {
  const { sigmas, source } = variabilityOf(bench);
  const scaledSigma = o.scaledSigma ?? 2;
  const failBound = o.failBound ?? DEFAULT_FAIL_BOUND;
  // never fewer chips than it takes for a vector with no failures to be accepted at all
  const count = hasVariation(sigmas) ? Math.max(o.chips ?? DEFAULT_MC_CHIPS, certifiableChips(failBound, scaledSigma)) : 0;
  // the λ = 1 and the λ-scaled populations share their normal draws: drawn in one pass
  const draw = (i: number) => monteCarloChipScales(net, sigmas, o.seed, i, [1, scaledSigma]) as [CompiledNetwork, CompiledNetwork];
  const held = o.streaming ? null : Array.from({ length: count }, (_, i) => draw(i));
  return {
    net,
    sigmas,
    sigmaSource: source,
    count,
    pair: held ? (i) => held[i] : draw,
    failBound,
    scaledSigma,
    minTolerancePs: o.minTolerancePs ?? 500,
    tickPs: o.tickPs ?? bench.timing.tickPs,
    seed: o.seed,
  };
}

/**
 * ln ρ values below this (x_peak < 5 % of θ) are clamped in the statistics: "far below
 * threshold" is all that matters there, and a neuron just under its critical current
 * (ρ = 0, ln ρ = −20) next to one just over it would otherwise fake a huge spread.
 */
export const farBelow = -3;

/** What one Monte-Carlo chip pair of a band gives: the worst spike-time shifts (null: a spike missing or extra) and the λ = 1 chip's window margins. */
export interface GuardBandChip {
  shift: number | null;
  scaledShift: number | null;
  margins: WindowMargins;
}

/** The nominal chip's response to a vector: what every chip is compared with. */
export interface GuardBandNominal {
  expected: ReturnType<typeof observableSpikes>;
  margins: WindowMargins;
}

export function guardBandNominal(gb: GuardBand, stim: Stimulus): GuardBandNominal {
  const run = simulateNetwork(gb.net, stim);
  return { expected: observableSpikes(gb.net, run.spikes), margins: windowMargins(gb.net, run, stim.windows) };
}

/** Chip pairs [from, to) of a band on a vector (each chip drawn from its own seed: any thread computes the same). */
export function guardBandChips(gb: GuardBand, stim: Stimulus, nominal: GuardBandNominal, from: number, to: number): GuardBandChip[] {
  const out: GuardBandChip[] = [];
  for (let ci = from; ci < to; ci++) {
    const [chip, scaledChip] = gb.pair(ci);
    const scaledShift = worstShiftPs(nominal.expected, observableSpikes(scaledChip, simulateNetwork(scaledChip, stim).spikes));
    const r = simulateNetwork(chip, stim);
    out.push({ shift: worstShiftPs(nominal.expected, observableSpikes(chip, r.spikes)), scaledShift, margins: windowMargins(chip, r, stim.windows) });
  }
  return out;
}

/** Whether chips [from, to) of the 1.5λ population fail the vector at `toleranceBandPs`. */
export function guardBandFarFails(gb: GuardBand, stim: Stimulus, nominal: GuardBandNominal, toleranceBandPs: number, from: number, to: number): boolean[] {
  const out: boolean[] = [];
  for (let i = from; i < to; i++) {
    const chip = monteCarloChip(gb.net, gb.sigmas, gb.seed, i, 1.5 * gb.scaledSigma);
    const sh = worstShiftPs(nominal.expected, observableSpikes(chip, simulateNetwork(chip, stim).spikes));
    out.push(sh === null || sh > toleranceBandPs);
  }
  return out;
}

/** Where a band's chips are simulated: here (default), or spread over a pool — the same chips, folded in chip order. */
export interface GuardBandChipRunner {
  chips(from: number, to: number): Promise<GuardBandChip[]>;
  farFails(toleranceBandPs: number, from: number, to: number): Promise<boolean[]>;
}

/** Estimate a vector's good-chip failure probability and timing tolerance. */
export function evaluateGuardBand(gb: GuardBand, stim: Stimulus): VectorGuardBand {
  const nominal = guardBandNominal(gb, stim);
  const fold = foldChips(gb, nominal, stim.windows);
  // chip by chip: a chip pair of bnn is 2 × 6.4 MB of cells, not held
  for (let ci = 0; ci < gb.count; ci++) fold.add(guardBandChips(gb, stim, nominal, ci, ci + 1)[0]);
  return fold.finish(stim, (tol) => guardBandFarFails(gb, stim, nominal, tol, 0, gb.count).filter(Boolean).length);
}

/** evaluateGuardBand with the chips simulated by `runner` (e.g. slices on the job pool); the same verdict. */
export async function evaluateGuardBandWith(gb: GuardBand, stim: Stimulus, runner: GuardBandChipRunner): Promise<VectorGuardBand> {
  const nominal = guardBandNominal(gb, stim);
  const fold = foldChips(gb, nominal, stim.windows);
  for (const c of await runner.chips(0, gb.count)) fold.add(c);
  let far = 0;
  const v = fold.finish(stim, (tol) => ((far = -1), tol));
  if (far === -1) {
    // the 1.5λ population was wanted: recompute the verdict with its failure count
    const fails = (await runner.farFails(v.toleranceBandPs, 0, gb.count)).filter(Boolean).length;
    return fold.finish(stim, () => fails);
  }
  return v;
}

/** The statistics of a band, folded chip by chip in chip order (so the sums do not depend on where the chips ran). */
function foldChips(gb: GuardBand, nominal: GuardBandNominal, W: number) {
  const nm = nominal.margins;
  const mean = nm.logPeak.map((a) => new Float64Array(a.length));
  const sq = nm.logPeak.map((a) => new Float64Array(a.length));
  const count = nm.logPeak.map((a) => new Float64Array(a.length));
  const shifts: (number | null)[] = [];
  const scaledShifts: (number | null)[] = [];
  const add = (c: GuardBandChip) => {
    scaledShifts.push(c.scaledShift);
    shifts.push(c.shift);
    const m = c.margins;
    m.logPeak.forEach((a, li) => {
      const f = m.fired[li];
      const f0 = nm.fired[li];
      for (let col = 0; col * W < a.length; col++) {
        // a sample counts while the chip's spike history of this neuron matches the nominal one
        for (let w = 0; w < W; w++) {
          const i = col * W + w;
          const v = Math.max(farBelow, a[i]);
          mean[li][i] += v;
          sq[li][i] += v * v;
          count[li][i]++;
          if (f[i] !== f0[i]) break;
        }
      }
    });
  };
  /** The verdict; `farFails(tolerance)` counts the 1.5λ population's failures when the curvature is needed. */
  const finish = (stim: Stimulus, farFails: (toleranceBandPs: number) => number): VectorGuardBand => {
    const n = gb.count;
    const sd = mean.map((a, li) =>
      a.map((s, i) => {
        const k = count[li][i];
        if (k < 2) return 0;
        const mu = s / k;
        return Math.sqrt(Math.max(0, sq[li][i] / k - mu * mu) * (k / (k - 1)));
      }),
    );
    const mu = mean.map((a, li) => a.map((s, i) => (count[li][i] > 0 ? s / count[li][i] : Math.max(farBelow, nm.logPeak[li][i]))));
    const worstShift = Math.max(0, ...shifts.filter((s): s is number => s !== null));
    const worstScaledShift = Math.max(0, ...scaledShifts.filter((s): s is number => s !== null));
    const tick = gb.tickPs;
    // spike times move non-linearly near an edge (the crossing time diverges as the drive
    // nears θ), so the band also covers the λ-scaled chips that still spike in the right window
    const wanted = Math.max(2 * worstShift, 1.2 * worstScaledShift) + tick;
    const toleranceBandPs = Math.min(stim.iwPs, Math.max(gb.minTolerancePs, Math.ceil(wanted / tick) * tick));
    const empiricalFails = shifts.filter((s) => s === null || s > toleranceBandPs).length;
    const scaledFails = scaledShifts.filter((s) => s === null || s > toleranceBandPs).length;
    let marginTail = 0;
    if (n > 0) {
      for (const li of observableLayers(gb.net)) {
        const f = nm.fired[li];
        for (let i = 0; i < f.length; i++) {
          const s = sd[li][i];
          const below = f[i] ? -mu[li][i] : mu[li][i]; // distance to the wrong side, signed
          marginTail += s > 0 ? normalCdf(below / s) : below >= 0 ? 1 : 0;
        }
      }
    }
    let scaledEstimate = n > 0 ? normalCdf(gb.scaledSigma * normalQuantile(wilsonUpper(scaledFails, n, Z_ONE_SIDED_90))) : 0;
    if (n > 0 && scaledFails >= 2) {
      // enough failures to see the curve: extrapolate y(λ) = λ·Φ⁻¹(P(λ)) linearly in 1/λ from λ and 1.5λ
      const far = 1.5 * gb.scaledSigma;
      const fails = farFails(toleranceBandPs);
      const y1 = gb.scaledSigma * normalQuantile((scaledFails + 0.5) / (n + 1));
      const y2 = far * normalQuantile((fails + 0.5) / (n + 1));
      const slope = (y1 - y2) / (1 / gb.scaledSigma - 1 / far); // per unit of 1/λ
      if (slope > 0) scaledEstimate = Math.max(scaledEstimate, normalCdf(y1 + slope * (1 - 1 / gb.scaledSigma)));
    }
    const goodFailProbability = Math.min(1, Math.max(n > 0 ? empiricalFails / n : 0, scaledEstimate, marginTail));
    return { goodFailProbability, accepted: goodFailProbability <= gb.failBound, toleranceBandPs, empiricalFails, scaledFails, marginTail, nominal: nm, mean: mu, sd };
  };
  return { add, finish };
}

/** Smallest population in which a vector with zero failures at λ can be accepted under `failBound`. */
export function certifiableChips(failBound: number, scaledSigma: number): number {
  for (let n = 1; n < 100_000; n++) if (normalCdf(scaledSigma * normalQuantile(wilsonUpper(0, n, Z_ONE_SIDED_90))) <= failBound) return n;
  return 100_000;
}

/** Estimated yield loss of a whole program: 1 − Π(1 − p_v), bounded above by Σ p_v. */
export function programYieldLoss(probabilities: readonly number[]): number {
  let pass = 1;
  for (const p of probabilities) pass *= 1 - p;
  return 1 - pass;
}
