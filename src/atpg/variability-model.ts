/**
 * Process variability → Monte-Carlo good chips. Each chip is a `CompiledNetwork` of
 * the same bench whose bit-cells and neurons are drawn from the bench's Gaussian
 * variation (seed 003: σ 1 % free-layer and oxide thickness, 3 % TMR, 5 % area).
 *
 *   const chips = createMonteCarloChips(net, variabilityOf(bench).sigmas, { count: 64, seed: 7 });
 *
 * How each variation moves the simulator (one independent draw per cell / neuron):
 *   oxide thickness t  R_P ∝ t/√φ · exp(1.025·t[Å]·√φ) / A   (Brinkman–Simmons tunnelling, φ = 0.4 eV
 *                      for MgO, as in the usual MTJ compact models; t = 0.85 nm, seed 003 table I)
 *                      → d ln R_P = (1/t + 10.25·√φ nm⁻¹)·t·σ_t·z ≈ 6.5 % per 1 % of thickness
 *   area A             R_P, R_AP ∝ 1/A
 *   TMR                R_AP = R_P·(1 + TMR), TMR ← TMR·(1 + σ_TMR·z)
 *   free-layer t_FL    neuron critical current ∝ t_FL, gain per µA ∝ 1/t_FL (spin-Hall switching:
 *                      I_c ∝ M_s·t_FL, torque per unit current ∝ 1/(M_s·t_FL))
 *   neuronSigma        an extra independent relative σ on the critical current and on the gain
 * The reference column of a differential read varies like the array's cells (its own
 * draws, one per reference cell). The access transistor, the line segments and the
 * neuron input resistance do not vary (seed 003 gives no σ for them). Chips can be built with every deviation multiplied by
 * `scale` (scaled-sigma sampling, see guard-band.ts) from the same normal draws.
 */
import type { DeviceParams, Testbench } from "../formats/testbench-format.ts";
import { highOhms, type CompiledLayer, type CompiledNetwork } from "../sim/compile.ts";
import { createRng, mixSeed } from "../sim/rng.ts";

/** Relative standard deviations of the process (fractions, 0.01 = 1 %). */
export interface VariabilitySigmas {
  thicknessSigma: number;
  tmrSigma: number;
  areaSigma: number;
  neuronSigma: number;
}

/** Seed 003's variability, used when a bench declares none. */
export const seed003Variability: VariabilitySigmas = { thicknessSigma: 0.01, tmrSigma: 0.03, areaSigma: 0.05, neuronSigma: 0 };

/** Tunnelling constants of the MgO barrier (see header). */
export const tunnelBarrier = {
  /** Oxide thickness, nm (seed 003 table I, SMTJ). */
  oxideThicknessNm: 0.85,
  /** Effective barrier height, eV (Brinkman–Simmons fit used by MTJ compact models). */
  barrierHeightEv: 0.4,
  /** Exponent coefficient of exp(k·t·√φ) with t in Å and φ in eV. */
  exponentPerAngstromSqrtEv: 1.025,
} as const;

/** d ln R_P / (relative thickness change): how strongly 1 % of oxide thickness moves R_P. */
export function resistanceThicknessGain(): number {
  const { oxideThicknessNm: t, barrierHeightEv: phi, exponentPerAngstromSqrtEv: k } = tunnelBarrier;
  return 1 + k * 10 * t * Math.sqrt(phi);
}

/** The variability a guard band uses: the bench's, or seed 003's defaults. */
export function variabilityOf(bench: Pick<Testbench, "device">): { sigmas: VariabilitySigmas; source: "bench" | "seed 003 defaults" } {
  const v = bench.device.variability;
  if (!v) return { sigmas: { ...seed003Variability }, source: "seed 003 defaults" };
  return { sigmas: { thicknessSigma: v.thicknessSigma, tmrSigma: v.tmrSigma, areaSigma: v.areaSigma, neuronSigma: v.neuronSigma }, source: "bench" };
}

/** Whether any variation is present. */
export function hasVariation(s: VariabilitySigmas): boolean {
  return s.thicknessSigma > 0 || s.tmrSigma > 0 || s.areaSigma > 0 || s.neuronSigma > 0;
}

/** Options of the Monte-Carlo population. */
export interface MonteCarloOptions {
  count: number;
  seed: number;
  /** Multiply every deviation by this (default 1). */
  scale?: number;
}

function cellOhmsOf(d: DeviceParams, w: number, rL: number, rH: number): number {
  const g = w / rL + (1 - w) / rH;
  return 1 / g + d.accessOhms;
}

/**
 * Layer `li` of one chip at each of `scales`, from one set of normal draws: the chips of
 * a population at scale 1 and at λ (scaled-sigma sampling) share their draws, so drawing
 * them together costs one pass over the cells instead of one per scale.
 */
function perturbLayerScales(net: CompiledNetwork, l: CompiledLayer, li: number, s: VariabilitySigmas, chipSeed: number, scales: readonly number[]): CompiledLayer[] {
  const d = net.device;
  const rL0 = d.rLowOhms;
  const tmr0 = highOhms(d) / rL0 - 1;
  const gainT = resistanceThicknessGain();
  const k = scales.length;
  const drawCell = (r: { normal(): number }, w: number, out: Float64Array[], i: number): void => {
    const zt = r.normal();
    const za = r.normal();
    const zm = r.normal();
    for (let j = 0; j < k; j++) {
      const scale = scales[j];
      const area = Math.max(0.2, 1 + scale * s.areaSigma * za);
      const rL = (rL0 * Math.exp(gainT * scale * s.thicknessSigma * zt)) / area;
      const tmr = Math.max(0, tmr0 * (1 + scale * s.tmrSigma * zm));
      out[j][i] = cellOhmsOf(d, w, rL, rL * (1 + tmr));
    }
  };
  const rng = createRng(mixSeed(chipSeed, li, 1));
  const cellOhms = scales.map(() => new Float64Array(l.cellOhms.length));
  for (let i = 0; i < l.cellOhms.length; i++) drawCell(rng, l.weights[i], cellOhms, i);
  // The reference column's cells vary like any other (own stream, so single-ended chips are unchanged).
  let references: (CompiledLayer["reference"])[] = scales.map(() => l.reference);
  if (l.reference) {
    const ref = l.reference;
    const rrng = createRng(mixSeed(chipSeed, li, 3));
    const refOhms = scales.map(() => new Float64Array(ref.cellOhms.length));
    for (let i = 0; i < ref.cellOhms.length; i++) drawCell(rrng, ref.weight, refOhms, i);
    references = refOhms.map((c) => ({ ...ref, cellOhms: c }));
  }
  const nrng = createRng(mixSeed(chipSeed, li, 2));
  const z = l.neurons.map(() => [nrng.normal(), nrng.normal(), nrng.normal()]);
  return scales.map((scale, j) => {
    const neurons = l.neurons.map((n, i) => {
      const [zt, zc, zg] = z[i];
      const tFl = Math.max(0.2, 1 + scale * s.thicknessSigma * zt);
      return {
        ...n,
        criticalCurrentUa: n.criticalCurrentUa * tFl * Math.max(0.2, 1 + scale * s.neuronSigma * zc),
        gainPerUaNs: (n.gainPerUaNs / tFl) * Math.max(0.2, 1 + scale * s.neuronSigma * zg),
      };
    });
    return { ...l, cellOhms: cellOhms[j], neurons, reference: references[j] };
  });
}

/** Chip `index` of the population seeded by `seed`, at each of `scales` (one set of draws). */
export function monteCarloChipScales(net: CompiledNetwork, s: VariabilitySigmas, seed: number, index: number, scales: readonly number[]): CompiledNetwork[] {
  const chipSeed = mixSeed(seed, index, 0x9e37);
  const layers = net.layers.map((l, li) => perturbLayerScales(net, l, li, s, chipSeed, scales));
  return scales.map((_, j) => ({ ...net, layers: layers.map((ls) => ls[j]) }));
}

/** One Monte-Carlo good chip (chip index `index` of the population seeded by `seed`). */
export function monteCarloChip(net: CompiledNetwork, s: VariabilitySigmas, seed: number, index: number, scale = 1): CompiledNetwork {
  return monteCarloChipScales(net, s, seed, index, [scale])[0];
}

/** A seeded population of Monte-Carlo good chips. */
export function createMonteCarloChips(net: CompiledNetwork, s: VariabilitySigmas, o: MonteCarloOptions): CompiledNetwork[] {
  return Array.from({ length: o.count }, (_, i) => monteCarloChip(net, s, o.seed, i, o.scale ?? 1));
}

/** The same population at several scales (`[1, λ]` for a guard band), drawn once: populations[j][i] is chip i at scales[j]. */
export function createMonteCarloPopulations(net: CompiledNetwork, s: VariabilitySigmas, o: Omit<MonteCarloOptions, "scale">, scales: readonly number[]): CompiledNetwork[][] {
  const pops: CompiledNetwork[][] = scales.map(() => []);
  for (let i = 0; i < o.count; i++) monteCarloChipScales(net, s, o.seed, i, scales).forEach((chip, j) => pops[j].push(chip));
  return pops;
}
