/**
 * Macrospin spin-Hall neuron: the behavioural model whose integration, relaxation and
 * switching delay are those of the LLG macrospin (src/sim/device/), linearised around P.
 *
 * x is the free layer's energy above the P minimum in units of the barrier E_B (the
 * device's "membrane potential", `MacrospinSolver.barrierFraction`): rest ≈ k_BT/E_B,
 * 1 = the hard-axis saddle. Linearising eq. 2 of seed 002 around P, a small precession
 * amplitude grows at γ'(h_s − α(H_k+H_⊥)/2); the energy goes as its square, so
 *
 *   dx/dt = g·max(0, I − I_0)·x − (x − x_r)/τ        (x < θ)
 *
 * with g = 1/(I_c·τ) the spin-torque rate per µA (gainPerUaNs), τ the energy relaxation
 * time (leakTauNs), x_r = k_BT/E_B the thermal rest level (restLevel; the mean energy
 * of two quadratic modes), θ = 1 the saddle (threshold) and I_0 a dead band
 * (criticalCurrentUa, 0 for the LLG: every current pushes; the threshold current
 * I_c = 1/(g·τ) is where torque beats damping). The growth is multiplicative, so a
 * pulse of width T switches above I ≈ I_c·(1 + τ·ln(1/x_r)/T) — Sun's 1/T law.
 *
 * Switching delay: past the saddle the switch is committed and m_x crosses 0 (what the
 * read senses) `switchDelayNs` later (measured on LLG trajectories by `calibrate`). The
 * neuron reports its spike at that moment, so a switch committed late in a window is
 * read in the next one when the window ends first: the read time cuts off late switches.
 * A weaker drive commits later and so also switches later.
 *
 * Exact per constant-current segment, k = g·max(0, I − I_0) − 1/τ, s = x_r/τ:
 *   x(t) = (x0 + s/k)·e^(k·t) − s/k   (k ≠ 0),   x(t) = x0 + s·t   (k = 0);
 *   crossing θ at t_c = ln((θ + s/k)/(x0 + s/k))/k   (or (θ − x0)/s).
 *
 * Bounds: for k_max = g·max(0, I_max − I_0) − 1/τ < 0 the state stays below its fixed
 * point x* = x_r/(1 − g·(I_max − I_0)·τ), so the neuron never fires when x* < θ. Not
 * monotone: the delay can move a spike across a window boundary (a stronger drive fires
 * in window w and is reset, a weaker one fires in w + 1).
 *
 *   macrospinSheStep({ x: 0.05 }, 40, { criticalCurrentUa: 0, gainPerUaNs: 0.1842, leakTauNs: 0.3873,
 *                    threshold: 1, restLevel: 0.0472, switchDelayNs: 0.05 }, 1)
 */
import type { NeuronModel, NeuronParams, NeuronState, NeuronStepResult } from "./neuron-model.ts";

/** State after `t` ns at growth rate k (1/ns) and thermal source s (1/ns). */
function evolve(x0: number, k: number, s: number, t: number): number {
  if (k === 0) return x0 + s * t;
  const a = s / k;
  return (x0 + a) * Math.exp(k * t) - a;
}

/** Time to go from x0 up to θ (x(t) is monotone in t), ns. */
function crossingNs(x0: number, theta: number, k: number, s: number): number {
  if (k === 0) return (theta - x0) / s;
  const a = s / k;
  return Math.log((theta + a) / (x0 + a)) / k;
}

/** Exact step (see the header). */
export function macrospinSheStep(state: NeuronState, currentUa: number, p: NeuronParams, dtNs: number): NeuronStepResult {
  const delay = p.switchDelayNs ?? 0;
  if (state.pendingNs !== undefined) {
    if (state.pendingNs <= dtNs) return { state: { x: 0 }, firedAtNs: Math.max(0, state.pendingNs) };
    return { state: { x: state.x, pendingNs: state.pendingNs - dtNs }, firedAtNs: null };
  }
  const k = p.gainPerUaNs * Math.max(0, currentUa - p.criticalCurrentUa) - 1 / p.leakTauNs;
  const s = (p.restLevel ?? 0) / p.leakTauNs;
  const x = evolve(state.x, k, s, dtNs);
  if (p.dead || x < p.threshold) return { state: { x }, firedAtNs: null };
  const tc = state.x >= p.threshold ? 0 : Math.min(Math.max(crossingNs(state.x, p.threshold, k, s), 0), dtNs);
  const fireAt = tc + delay;
  if (fireAt <= dtNs) return { state: { x: 0 }, firedAtNs: fireAt };
  return { state: { x: p.threshold, pendingNs: fireAt - dtNs }, firedAtNs: null };
}

/** Fixed point of the state under a constant current (Infinity when it grows without bound). */
export function macrospinFixedPoint(p: NeuronParams, currentUa: number): number {
  const torque = p.gainPerUaNs * Math.max(0, currentUa - p.criticalCurrentUa) * p.leakTauNs;
  return torque >= 1 ? Number.POSITIVE_INFINITY : (p.restLevel ?? 0) / (1 - torque);
}

export const macrospinSheModel: NeuronModel = {
  id: "macrospin-she",
  title: "MTJ spin-Hall neuron with the linearised LLG macrospin's growth, relaxation and switching delay",
  stochastic: false,
  step: (state, currentUa, params, dtNs) => macrospinSheStep(state, currentUa, params, dtNs),
  bounds: {
    mayFire: (p, maxUa) => !p.dead && macrospinFixedPoint(p, maxUa) >= p.threshold,
    monotone: false,
  },
};
