/**
 * Leak-free integrate-and-fire neuron with signed integration and an exact running sum
 * (the neuron of Hou et al., ITC 2022, kwhou/snn_fault_simulator `snn_model.py`
 * `Layer.forward`: v ← v + Σ w·s each tick, fire when v ≥ V_th, reset to V_R).
 *
 *   dx/dt = g·(I − I_c)        fire when x ≥ θ, then read + reset (x = 0)
 *
 * No leak: τ plays no part (a testbench selects this model with `model:
 * "integrate-and-fire"` and `leakTauNs: null`). The drive is signed — a current below
 * I_c (a negative differential current, a −1 weight) discharges the neuron — so with
 * I_c = 0 it is Hou's v + dv with x = v − V_R and θ = V_th − V_R. Over a segment of
 * length T the state gains d = g·(I − I_c)·T; if d > 0 and x0 + d ≥ θ it crosses at
 * t* = (θ − x0)/(g·(I − I_c)).
 *
 * Exact arithmetic: x is held as an unevaluated sum x + carry (double-double, TwoSum),
 * so after k segments the state is the exact sum of the k increments to ~2⁻¹⁰⁴ and the
 * threshold test compares that sum with θ: k pulses of drive d fire at the first k with
 * k·d ≥ θ. (Plain summation of 8 × 0.1 gives 0.7999999999999999 < 0.8 and fires one
 * pulse late; emulating no leak with τ = 10⁹ ns in lif-she loses the same in exp/log.)
 *
 * Bounds: with I ≤ I_max ≤ I_c the state never rises, so it never fires; above I_c it
 * may, given time. The rate is increasing in I, so the model is monotone.
 *
 *   integrateAndFireStep({ x: 0 }, 50, { criticalCurrentUa: 0, gainPerUaNs: 0.005, leakTauNs: Infinity, threshold: 1 }, 1)
 *     → { state: { x: 0.25, carry: 0 }, firedAtNs: null }
 */
import { reachesThreshold, type NeuronModel, type NeuronParams, type NeuronState, type NeuronStepResult } from "./neuron-model.ts";

/** a + b as the rounded sum and its exact rounding error (Knuth's TwoSum). */
function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** The state after adding d exactly: high part rounded, the rest in `carry`. */
function addExact(state: NeuronState, d: number): NeuronState {
  const [s, e] = twoSum(state.x, d);
  const [x, carry] = twoSum(s, e + (state.carry ?? 0));
  return { x, carry };
}

/** Exact step of the leak-free model over one constant-current segment of `dtNs`. */
export function integrateAndFireStep(state: NeuronState, currentUa: number, p: NeuronParams, dtNs: number): NeuronStepResult {
  const rate = p.gainPerUaNs * (currentUa - p.criticalCurrentUa);
  const next = addExact(state, rate * dtNs);
  if (!p.dead && rate > 0 && reachesThreshold(next, p.threshold)) {
    const below = reachesThreshold(state, p.threshold) ? 0 : (p.threshold - state.x - (state.carry ?? 0)) / rate;
    return { state: { x: 0, carry: 0 }, firedAtNs: Math.min(Math.max(below, 0), dtNs) };
  }
  return { state: next, firedAtNs: null };
}

export const integrateAndFireModel: NeuronModel = {
  id: "integrate-and-fire",
  title: "leak-free integrate-and-fire neuron, signed drive, exact running sum (Hou et al. ITC 2022)",
  stochastic: false,
  step: (state, currentUa, params, dtNs) => integrateAndFireStep(state, currentUa, params, dtNs),
  bounds: {
    mayFire: (p, maxUa) => maxUa > p.criticalCurrentUa,
    monotone: true,
  },
};
