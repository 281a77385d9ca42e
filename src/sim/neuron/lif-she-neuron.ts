/**
 * Deterministic behavioural MTJ spin-Hall neuron (leaky integrate-and-fire with a
 * critical current), solved exactly over constant-current segments.
 *
 *   dx/dt = g·max(0, I − I_c) − x/τ        fire when x ≥ θ, then read + reset (x = 0)
 *
 * x is the normalised displacement of the free-layer magnetisation from P; I is the
 * heavy-metal (column) current in µA; g = gainPerUaNs, I_c = criticalCurrentUa,
 * τ = leakTauNs, θ = threshold. Over a segment of length T with constant drive
 * u = g·max(0, I − I_c)·τ the exact solution is x(T) = u + (x0 − u)·e^(−T/τ); if u > θ
 * the crossing time is t* = −τ·ln((u − θ)/(u − x0)). The critical current is what
 * makes three of four inputs (81.3 µA) leave the neuron at rest, as in seed 000.
 *
 * Bounds: x stays below its drive u, so the neuron never fires while
 * g·(I_max − I_c)·τ ≤ θ; u is non-decreasing in I, so the model is monotone.
 *
 *   lifSheStep({ x: 0 }, 108.44, params, 1.0) → { state: { x: 0.45 }, firedAtNs: null }
 */
import type { NeuronModel, NeuronParams, NeuronState, NeuronStepResult, NeuronStepScratch } from "./neuron-model.ts";

/** Exact step of the deterministic model, written into `s` (x before → x after, firedAtNs or NaN; x = 0 after a spike). */
export function lifSheStepInPlace(s: NeuronStepScratch, currentUa: number, p: NeuronParams, dtNs: number): void {
  const x0 = s.x;
  const drive = currentUa > p.criticalCurrentUa ? p.gainPerUaNs * (currentUa - p.criticalCurrentUa) * p.leakTauNs : 0;
  const decay = Math.exp(-dtNs / p.leakTauNs);
  const x = drive + (x0 - drive) * decay;
  if (!p.dead && drive > p.threshold && x >= p.threshold) {
    const t = x0 >= p.threshold ? 0 : -p.leakTauNs * Math.log((drive - p.threshold) / (drive - x0));
    s.x = 0;
    s.firedAtNs = Math.min(Math.max(t, 0), dtNs);
    return;
  }
  s.x = x;
  s.firedAtNs = Number.NaN;
}

/** Exact step of the deterministic model. */
export function lifSheStep(state: NeuronState, currentUa: number, p: NeuronParams, dtNs: number): NeuronStepResult {
  const s = { x: state.x, firedAtNs: Number.NaN };
  lifSheStepInPlace(s, currentUa, p, dtNs);
  return { state: { x: s.x }, firedAtNs: Number.isNaN(s.firedAtNs) ? null : s.firedAtNs };
}

export const lifSheModel: NeuronModel = {
  id: "lif-she",
  title: "deterministic MTJ spin-Hall LIF neuron with critical current",
  stochastic: false,
  step: (state, currentUa, params, dtNs) => lifSheStep(state, currentUa, params, dtNs),
  stepInPlace: lifSheStepInPlace,
  bounds: {
    mayFire: (p, maxUa) => maxUa > p.criticalCurrentUa && p.gainPerUaNs * (maxUa - p.criticalCurrentUa) * p.leakTauNs > p.threshold,
    monotone: true,
  },
};
