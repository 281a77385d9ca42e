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
  /** Free-layer relaxation time constant, ns (Infinity = no leak: a testbench's `leakTauNs: null`). */
  leakTauNs: number;
  /** Switching threshold of the state (1 when calibrated). */
  threshold: number;
  /** Stochastic model: width of the switching-probability sigmoid, state units. */
  sigmoidWidth?: number;
  /** A dead neuron never switches (dead-neuron fault). */
  dead?: boolean;
  /** Macrospin model: thermal rest level of the state, k_BT/E_B (absent = 0). */
  restLevel?: number;
  /** Macrospin model: time from the committed switch (saddle) to the read seeing it, ns (absent = 0). */
  switchDelayNs?: number;
  /** Spike-frequency adaptation (sim/adaptation.ts), applied by the network's neuron stepper; absent = none. */
  adaptation?: AdaptationSpec;
}

/** Spike-frequency adaptation parameters (testbench `neuron.adaptation`). */
export interface AdaptationSpec {
  kind: "leak" | "threshold";
  /** Δa: jump of the adaptation variable at each spike (dimensionless). */
  increment: number;
  /** τ_adapt: decay time constant of a, ns. */
  tauAdaptNs: number;
}

/** Neuron state: the normalised free-layer displacement x (0 = rest, P state). */
export interface NeuronState {
  x: number;
  /** Exact-sum models (integrate-and-fire): the part of the state below x's rounding, x + carry exact. */
  carry?: number;
  /** Switching-delay models (macrospin-she): a committed switch is seen this many ns from now. */
  pendingNs?: number;
}

/** x + carry ≥ θ, decided on the exact value (carry is below x's rounding; absent = 0). */
export function reachesThreshold(state: NeuronState, threshold: number): boolean {
  return state.x > threshold || (state.x === threshold && (state.carry ?? 0) >= 0);
}

/** Outcome of one step. */
export interface NeuronStepResult {
  state: NeuronState;
  /** Time into the segment at which the neuron fired, ns; null if it did not. */
  firedAtNs: number | null;
}

/**
 * Facts about a model that let fault analysis and the fast engine prove things without
 * simulating. Every model must state them (the conservative answer is
 * `{ mayFire: () => true, monotone: false }`: always sound, just slower).
 */
export interface NeuronBounds {
  /**
   * false ⇒ the neuron never fires while its current stays ≤ maxUa. Callers must pass
   * a true upper bound (with a differential read the neuron current is not monotone in
   * the driven rows; fault-analysis.ts passes the single-ended all-rows current).
   */
  mayFire(p: NeuronParams, maxUa: number): boolean;
  /**
   * The state is non-decreasing in the input current at every instant between resets
   * (comparison principle), the model is deterministic, and a spike resets to rest for
   * the rest of its window.
   */
  monotone: boolean;
}

/** One step's outcome written in place (NeuronModel.stepInPlace): x before the step on entry; after it, x and firedAtNs (NaN: did not fire). */
export interface NeuronStepScratch {
  x: number;
  firedAtNs: number;
}

/** A neuron model: a pure step function over typed state, and what can be proved about it. */
export interface NeuronModel {
  readonly id: string;
  readonly title: string;
  readonly stochastic: boolean;
  step(state: NeuronState, currentUa: number, params: NeuronParams, dtNs: number, rng: Rng | null): NeuronStepResult;
  /**
   * `step` for a model whose state is x alone and that draws nothing, written into a
   * reused record instead of returning two new objects: the same numbers (a model defines
   * `step` through it). Optional; the network's neuron stepper uses it when given — the fast
   * engine's column batch runs neurons millions of times per campaign.
   */
  stepInPlace?(s: NeuronStepScratch, currentUa: number, params: NeuronParams, dtNs: number): void;
  /** Proof shortcuts (see `NeuronBounds`); required so a new model cannot silently lose them. */
  readonly bounds: NeuronBounds;
}
