/**
 * The good (fault-free) response of a chip to a vector: what the tester expects.
 *
 *   const r = goodResponse(net, vector);        // repetition 0
 *   r.observed   // [{ output: 0, window: 2, timePs: 20518 }]
 *   r.run        // the full SimulationResult (per-layer segments, currents, spikes)
 *
 * Stochastic neurons draw from per-neuron streams salted with the repetition index,
 * so repetition r of the good chip and of a faulty chip see the same random numbers
 * (common random numbers: a difference is caused by the fault, not by the noise).
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import type { Segment } from "../sim/stimulus.ts";
import { observableSpikes, simulateNetwork, type SimulationResult } from "../sim/network.ts";
import { neuronModels } from "../sim/neuron/neuron-registry.ts";
import type { FaultSimVector } from "./fault-engine.ts";
import type { Spike } from "../formats/spike-format.ts";

export interface GoodResponse {
  observed: Spike[];
  run: SimulationResult;
}

/** Simulate a vector on a (good or faulty) network for one repetition. */
export function goodResponse(net: CompiledNetwork, vector: Pick<FaultSimVector, "stimulus">, repetition = 0, inputSegments?: Segment[]): GoodResponse {
  const run = simulateNetwork(net, vector.stimulus, { rngSalt: repetition, inputSegments });
  return { observed: observableSpikes(net, run.spikes), run };
}

/** Whether any layer uses a stochastic neuron model. */
export function isStochastic(net: CompiledNetwork): boolean {
  return net.layers.some((l) => neuronModels[l.model].stochastic);
}

/** Repetitions a vector needs on this network (1 for deterministic networks). */
export function repetitionsOf(net: CompiledNetwork, v: FaultSimVector): number {
  return isStochastic(net) ? Math.max(1, v.repetitions ?? 1) : 1;
}
