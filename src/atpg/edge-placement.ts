/**
 * Edge placement under a guard band: the threshold-edge stimulus of a configuration,
 * pushed just far enough from the threshold that Monte-Carlo good chips still pass.
 *
 *   const placed = placeEdge(gb, 0, 0, cfg, timing);   // { edge, guard } or null
 *
 * Start from the margin the target neuron's own spread asks for (z·σ of ln(x_peak/θ),
 * z = −Φ⁻¹(bound) + 0.6, σ from an earlier evaluation of the same neuron when known),
 * evaluate the guard band, and on a rejection widen the margin to what the measured
 * spread of the decisive window needs (at least ×1.5) — at most `attempts` times.
 */
import { candidateStimulus } from "./candidate-vector.ts";
import { evaluateGuardBand, type GuardBand, type VectorGuardBand } from "./guard-band.ts";
import { normalQuantile } from "../stats/normal-distribution.ts";
import { findEdge, type EdgeConfig, type EdgeVector } from "./threshold-edge.ts";
import type { TimingRange } from "./window-timing.ts";

/** A placed edge stimulus and its guard-band verdict. */
export interface PlacedEdge {
  edge: EdgeVector;
  guard: VectorGuardBand;
}

/** z the margin is sized with for a failure bound. */
export function guardZ(failBound: number): number {
  return -normalQuantile(failBound) + 0.6;
}

/**
 * Remembers the spread (σ of ln(x_peak/θ) over Monte-Carlo chips) of each neuron near its
 * threshold, keyed "layer.col"; the typical (median) value sizes the next margin. The
 * spread depends on the operating point (it grows as the current nears the critical
 * current), so the guard band itself stays the judge of every vector.
 */
export type SpreadMemory = Map<string, number[]>;

/** Record one observed spread. */
export function observeSpread(mem: SpreadMemory, key: string, sd: number): void {
  const list = mem.get(key) ?? [];
  if (list.length >= 64) list.shift();
  list.push(sd);
  mem.set(key, list);
}

/** Typical spread of a neuron (median of the observations), or `fallback`. */
export function spreadOf(mem: SpreadMemory, key: string, fallback = 0): number {
  const list = mem.get(key);
  if (!list || list.length === 0) return fallback;
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** Smallest starting margin, ln units (a 2 % step of x_peak/θ). */
export const minLogMargin = 0.02;

/** Place a configuration's edge under the guard band; null when no accepted stimulus exists. */
export function placeEdge(
  gb: GuardBand,
  layer: number,
  col: number,
  cfg: EdgeConfig,
  timing: TimingRange,
  spreads: SpreadMemory = new Map(),
  attempts = 4,
): PlacedEdge | null {
  const key = `${layer}.${col}`;
  const z = guardZ(gb.failBound);
  let margin = Math.max(minLogMargin, z * spreadOf(spreads, key));
  for (let a = 0; a < attempts; a++) {
    const edge = findEdge(gb.net, layer, col, cfg, timing, margin);
    if (!edge) return null;
    const guard = evaluateGuardBand(gb, candidateStimulus(edge));
    const sd = decisiveSpread(guard, layer, col, cfg);
    if (sd > 0) observeSpread(spreads, key, sd);
    if (guard.accepted) return { edge, guard };
    margin = widenedMargin(guard, layer, col, cfg, margin, z);
  }
  return null;
}

function decisiveIndex(g: VectorGuardBand, layer: number, col: number, cfg: Pick<EdgeConfig, "side" | "windows">): number {
  const w = cfg.side === "fire" ? cfg.windows - 1 : worstWindow(g, layer, col, cfg.windows);
  return col * cfg.windows + w;
}

function decisiveSpread(g: VectorGuardBand, layer: number, col: number, cfg: Pick<EdgeConfig, "side" | "windows">): number {
  return g.sd[layer][decisiveIndex(g, layer, col, cfg)];
}

/**
 * The margin to try after a Monte-Carlo population rejected an edge stimulus placed at
 * `margin`: what the measured spread of the decisive window needs (z·σ plus the shift of
 * the population's mean), at least ×1.5.
 */
export function widenedMargin(rejectedBy: VectorGuardBand, layer: number, col: number, cfg: Pick<EdgeConfig, "side" | "windows">, margin: number, z: number): number {
  const i = decisiveIndex(rejectedBy, layer, col, cfg);
  const shift = Math.abs(rejectedBy.mean[layer][i] - rejectedBy.nominal.logPeak[layer][i]);
  return Math.max(margin * 1.5, z * rejectedBy.sd[layer][i] + shift);
}

/** The window where the target neuron comes closest to its threshold. */
function worstWindow(g: VectorGuardBand, layer: number, col: number, windows: number): number {
  let best = 0;
  for (let w = 1; w < windows; w++) if (g.nominal.logPeak[layer][col * windows + w] > g.nominal.logPeak[layer][col * windows + best]) best = w;
  return best;
}
