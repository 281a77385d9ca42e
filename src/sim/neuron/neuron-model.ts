/**
 * The neuron extension point: one interface, models as pure step functions.
 *
 * A neuron sees piecewise-constant heavy-metal current. `step` advances the state
 * over one constant-current segment of `dtNs` and says whether (and when) the free
 * layer switched. The network, not the model, applies read/reset and the refractory
 * rest of the coding window after a spike.
 *
 *   const r = lifSheModel.step({ x: 0 }, 108.44, params, 1.0, rng);  // one integrate window
 */
import type { Rng } from "../rng.ts";

/** Parameters shared by the behavioural MTJ spin-Hall neuron models. */
export interface NeuronParams {
  /** Current below which a write pulse does not move the free layer, µA. */
  criticalCurrentUa: number;
  /** State gained per ns per µA above the critical current, 1/(µA·ns). */
  gainPerUaNs: number;
  /** Free-layer relaxation time constant, ns. */
  leakTauNs: number;
  /** Switching threshold of the state (1 when calibrated). */
  threshold: number;
  /** Stochastic model: width of the switching-probability sigmoid, state units. */
  sigmoidWidth?: number;
  /** A dead neuron never switches (dead-neuron fault). */
  dead?: boolean;
}

/** Neuron state: the normalised free-layer displacement x (0 = rest, P state). */
export interface NeuronState {
  x: number;
}

/** Outcome of one step. */
export interface NeuronStepResult {
  state: NeuronState;
  /** Time into the segment at which the neuron fired, ns; null if it did not. */
  firedAtNs: number | null;
}

/** A neuron model: a pure step function over typed state. */
export interface NeuronModel {
  readonly id: string;
  readonly title: string;
  readonly stochastic: boolean;
  step(state: NeuronState, currentUa: number, params: NeuronParams, dtNs: number, rng: Rng | null): NeuronStepResult;
}
