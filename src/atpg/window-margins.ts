/**
 * Threshold margins of every neuron in every coding window: how far the free layer
 * came from (or went past) its switching threshold. This is the continuous quantity
 * behind the threshold-edge principle and the guard bands.
 *
 *   const m = windowMargins(net, simulateNetwork(net, stim), stim.windows);
 *   m.logPeak[li][c * windows + w]   // ln(x_peak / θ): < 0 stayed below, ≥ 0 fired
 *
 * x_peak is the largest *unclamped* state the neuron reaches in the window: the
 * neuron's own step function is re-run with an infinite threshold from the state it
 * really had, so a firing window reports how far past θ the pulse would have taken
 * it. After a spike the neuron rests for the rest of the window (network.ts), so the
 * peak is taken up to the spike. A stochastic neuron is measured on its deterministic
 * drift (the same state equation without the random switching).
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import type { SimulationResult } from "../sim/network.ts";
import { reachesThreshold, type NeuronParams, type NeuronState } from "../sim/neuron/neuron-model.ts";
import { neuronModels, type NeuronModelId } from "../sim/neuron/neuron-registry.ts";
import type { Segment } from "../sim/stimulus.ts";

/** Lowest log-ratio reported (a neuron that never left rest). */
export const restLogPeak = -20;

/** Margins of one simulation. */
export interface WindowMargins {
  windows: number;
  /** logPeak[layer][col * windows + w] = ln(x_peak / θ). */
  logPeak: Float64Array[];
  /** fired[layer][col * windows + w] = 1 when the neuron spiked in window w. */
  fired: Uint8Array[];
}

/** Margins of one neuron over its segments: ln(x_peak/θ) and whether it fired, per window. */
export function neuronWindowMargins(
  model: NeuronModelId,
  p: NeuronParams,
  segments: readonly Segment[],
  currentAt: (s: number) => number,
  windows: number,
): { logPeak: Float64Array; fired: Uint8Array } {
  const step = neuronModels[model].step;
  const open = { ...p, threshold: Number.POSITIVE_INFINITY, dead: false };
  const peak = new Float64Array(windows);
  const fired = new Uint8Array(windows);
  let state: NeuronState = { x: 0 };
  let restingWindow = -1;
  for (let s = 0; s < segments.length; s++) {
    const seg = segments[s];
    if (seg.window === restingWindow) continue;
    const end = step(state, currentAt(s), open, (seg.endPs - seg.startPs) / 1000, null).state;
    const top = Math.max(state.x, end.x);
    if (top > peak[seg.window]) peak[seg.window] = top;
    if (!p.dead && reachesThreshold(end, p.threshold)) {
      fired[seg.window] = 1;
      restingWindow = seg.window;
      state = { x: 0 };
    } else state = end;
  }
  const logPeak = new Float64Array(windows);
  for (let w = 0; w < windows; w++) logPeak[w] = peak[w] > 0 ? Math.max(restLogPeak, Math.log(peak[w] / p.threshold)) : restLogPeak;
  return { logPeak, fired };
}

/** Compute the margins of every neuron from a finished simulation. */
export function windowMargins(net: CompiledNetwork, run: SimulationResult, windows: number): WindowMargins {
  const logPeak: Float64Array[] = [];
  const fired: Uint8Array[] = [];
  net.layers.forEach((layer, li) => {
    const lr = run.layers[li];
    const lp = new Float64Array(layer.cols * windows);
    const fr = new Uint8Array(layer.cols * windows);
    for (let c = 0; c < layer.cols; c++) {
      const m = neuronWindowMargins(layer.model, layer.neurons[c], lr.segments, (s) => lr.currentsUa[s][c], windows);
      lp.set(m.logPeak, c * windows);
      fr.set(m.fired, c * windows);
    }
    logPeak.push(lp);
    fired.push(fr);
  });
  return { windows, logPeak, fired };
}
