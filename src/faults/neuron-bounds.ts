/**
 * How fault analysis and the fast engine use a neuron model's `bounds` (declared by each
 * model beside its equations, `src/sim/neuron/`; the `NeuronModel` interface makes them
 * required, so a new model cannot silently lose them).
 *
 *   mayFire   a dead neuron never fires; otherwise the model's bound decides.
 *   monotone  for a change that lowers the current in every segment, a neuron with no
 *             good spike stays silent; for one that raises it, a neuron that fires in
 *             every window still fires in every window. (A cell fault moves the neuron
 *             current the same way with or without a reference column — the reference
 *             is never faulty — so the fast engine's skips stay exact; negative currents
 *             are below I_c and simply integrate 0.)
 *
 *   isMonotoneNeuron("lif-she") === true
 */
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";
import { neuronModels, type NeuronModelId } from "../sim/neuron/neuron-registry.ts";

/** Whether a neuron of `model` with params `p` may fire when its current never exceeds `maxUa`. */
export function neuronMayFire(model: NeuronModelId, p: NeuronParams, maxUa: number): boolean {
  if (p.dead) return false;
  return neuronModels[model].bounds.mayFire(p, maxUa);
}

/** Whether `model` is monotone in its input current (see `NeuronBounds`). */
export function isMonotoneNeuron(model: NeuronModelId): boolean {
  return neuronModels[model].bounds.monotone;
}
