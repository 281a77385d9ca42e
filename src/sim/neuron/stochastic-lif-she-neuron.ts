/**
 * Stochastic behavioural MTJ spin-Hall neuron: the deterministic model's state, but
 * switching is a thermal event whose probability is a sigmoid in the state reached
 * at the end of each write pulse (seed 002 fig. 3: P_sw is a sigmoid in the write
 * current; its width grows as the pulse shortens).
 *
 *   P_sw = 1 / (1 + exp(−(x_end − θ)/w))     drawn once per driven segment
 *
 * With w → 0 it becomes the deterministic model. A spike is timed at the threshold
 * crossing when there is one, otherwise at the end of the pulse.
 *
 * Bounds: a switching draw happens only in a driven segment, so the neuron never fires
 * while I_max ≤ I_c; not monotone (random draws).
 *
 *   stochasticLifSheStep({ x: 0.9 }, 108.44, { ...params, sigmoidWidth: 0.05 }, 1.0, rng)
 */
import type { Rng } from "../rng.ts";
import type { NeuronModel, NeuronParams, NeuronState, NeuronStepResult } from "./neuron-model.ts";

/** Switching probability for state x. */
export function switchingProbability(x: number, p: NeuronParams): number {
  const w = p.sigmoidWidth ?? 0.05;
  return 1 / (1 + Math.exp(-(x - p.threshold) / w));
}

export function stochasticLifSheStep(
  state: NeuronState,
  currentUa: number,
  p: NeuronParams,
  dtNs: number,
  rng: Rng | null,
): NeuronStepResult {
  const driven = currentUa > p.criticalCurrentUa;
  const drive = driven ? p.gainPerUaNs * (currentUa - p.criticalCurrentUa) * p.leakTauNs : 0;
  const x = drive + (state.x - drive) * Math.exp(-dtNs / p.leakTauNs);
  if (!driven || p.dead) return { state: { x }, firedAtNs: null };
  const u = rng ? rng.next() : 0.5;
  if (u < switchingProbability(x, p)) {
    let t = dtNs;
    if (drive > p.threshold && x >= p.threshold && state.x < p.threshold) {
      t = -p.leakTauNs * Math.log((drive - p.threshold) / (drive - state.x));
    } else if (state.x >= p.threshold) {
      t = 0;
    }
    return { state: { x: 0 }, firedAtNs: Math.min(Math.max(t, 0), dtNs) };
  }
  return { state: { x }, firedAtNs: null };
}

export const stochasticLifSheModel: NeuronModel = {
  id: "stochastic-lif-she",
  title: "stochastic MTJ spin-Hall LIF neuron (sigmoid switching probability)",
  stochastic: true,
  step: stochasticLifSheStep,
  bounds: {
    mayFire: (p, maxUa) => maxUa > p.criticalCurrentUa,
    monotone: false,
  },
};
