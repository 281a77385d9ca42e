/**
 * Probe one neuron: its threshold margins per window for a candidate stimulus. A
 * first-layer neuron needs only its own column (one ladder solve per distinct set of
 * active rows, plus the reference column's for a differential read — O(rows) even on a
 * 784-row crossbar); a deeper neuron needs the layers
 * before it, so the network is simulated.
 *
 *   const m = probeNeuron(net, 0, 3, candidate);   // m.logPeak[w] = ln(x_peak/θ), m.fired[w]
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { neuronCurrentUa } from "../sim/differential-read.ts";
import { perDrivenSet, simulateNetwork } from "../sim/network.ts";
import { segmentStimulus } from "../sim/stimulus.ts";
import { candidateStimulus, type CandidateVector } from "./candidate-vector.ts";
import { neuronWindowMargins, windowMargins } from "./window-margins.ts";

/** Per-window margins of one neuron. */
export interface NeuronMargins {
  logPeak: Float64Array;
  fired: Uint8Array;
}

/** The neuron current of first-layer column `col` for a set of active rows (minus the reference column of a differential read), µA. */
export function firstLayerCurrentUa(net: CompiledNetwork, col: number, active: Uint8Array): number {
  return neuronCurrentUa(net.layers[0], col, active, net.writeVoltageV);
}

/** Margins of neuron (layer, col) for a candidate. */
export function probeNeuron(
  net: CompiledNetwork,
  layer: number,
  col: number,
  c: Pick<CandidateVector, "pattern" | "windows" | "iwPs" | "lwPs">,
): NeuronMargins {
  const stim = candidateStimulus(c);
  if (layer > 0) {
    const m = windowMargins(net, simulateNetwork(net, stim), c.windows);
    const from = col * c.windows;
    return { logPeak: m.logPeak[layer].slice(from, from + c.windows), fired: m.fired[layer].slice(from, from + c.windows) };
  }
  const l = net.layers[0];
  const segments = segmentStimulus(stim, l.rows);
  const at = perDrivenSet(l.rows, segments, (active) => firstLayerCurrentUa(net, col, active));
  const currents = segments.map((_, s) => at(s));
  return neuronWindowMargins(l.model, l.neurons[col], segments, (s) => currents[s], c.windows);
}
