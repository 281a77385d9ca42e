/**
 * Facts about neuron models that let fault analysis and the fast engine prove things
 * without simulating, keyed by neuron-model id (a model not listed gets no shortcut —
 * always sound, just slower).
 *
 *   mayFire(p, maxUa)   false ⇒ the neuron never fires while its current stays ≤ maxUa
 *                       (callers must pass a true upper bound: with a differential read
 *                       the neuron current is not monotone in the driven rows, see
 *                       fault-analysis.ts, which passes the single-ended all-rows current)
 *   monotone            the state is non-decreasing in the input current at every
 *                       instant between resets (comparison principle), deterministic,
 *                       and a spike resets to rest for the rest of its window. Then, for
 *                       a change that lowers the current in every segment, a neuron with
 *                       no good spike stays silent; for one that raises it, a neuron that
 *                       fires in every window still fires in every window. (A cell fault
 *                       moves the neuron current the same way with or without a reference
 *                       column — the reference is never faulty — so the fast engine's skips
 *                       stay exact; negative currents are below I_c and simply integrate 0.)
 *
 *   lif-she              dx/dt = g·max(0, I − I_c) − x/τ: never fires when g·(I_max − I_c)·τ ≤ θ
 *                        (x stays below its drive); monotone.
 *   stochastic-lif-she   never fires when I_max ≤ I_c (never driven); not monotone (random draws).
 *
 *   neuronBounds["lif-she"].monotone === true
 */
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";

export interface NeuronBounds {
  mayFire(p: NeuronParams, maxUa: number): boolean;
  monotone: boolean;
}

export const neuronBounds: Record<string, NeuronBounds> = {
  "lif-she": {
    mayFire: (p, maxUa) => maxUa > p.criticalCurrentUa && p.gainPerUaNs * (maxUa - p.criticalCurrentUa) * p.leakTauNs > p.threshold,
    monotone: true,
  },
  "stochastic-lif-she": {
    mayFire: (p, maxUa) => maxUa > p.criticalCurrentUa,
    monotone: false,
  },
};

/** Whether a neuron of `model` with params `p` may fire when its current never exceeds `maxUa` (true when unknown). */
export function neuronMayFire(model: string, p: NeuronParams, maxUa: number): boolean {
  if (p.dead) return false;
  const b = neuronBounds[model];
  return b ? b.mayFire(p, maxUa) : true;
}

/** Whether `model` is monotone in its input current (see the header). */
export function isMonotoneNeuron(model: string): boolean {
  return neuronBounds[model]?.monotone ?? false;
}
