/**
 * The trained chip under rate coding (seeds 001/002 coding, `sim/coding.ts`): over K
 * coding windows every pixel spikes at a window's start with p = p_max · intensity (its
 * grey level in [0, 1]), independently per window; the hidden layer integrates each
 * window's driven rows and its spikes drive the output crossbar in the next window, so K
 * windows present the image K − 1 times. The decision is the bench's choice:
 *
 *   most-spikes   the output with the most spikes over the run (ties → the one that
 *                 spiked first), as a rate-coded network is read
 *   first-spike   the output that spikes first (as binary coding, chip-classifier.ts)
 *
 * Rate coding with p_max = 1 on 0/1 intensities drives exactly the binary coding's rows
 * in every window, so it must give binary coding's class (a test checks it).
 *
 *   rateClassify(net, intensities, { windows: 5, maxProbability: 1, seed: 7, decision: "most-spikes" })
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { encode } from "../sim/coding.ts";
import { observableSpikes, simulateNetwork, type Spike } from "../sim/network.ts";
import type { Stimulus } from "../sim/stimulus.ts";
import { firstSpikeClass } from "./chip-classifier.ts";

export type OutputDecision = "most-spikes" | "first-spike";

export interface RateCodingOptions {
  /** Coding windows (≥ 2: the last one only reads the outputs). */
  windows: number;
  /** Spike probability of a pixel at full intensity, per window. */
  maxProbability: number;
  /** Seed of this image's draws (mix in the image index for independent images). */
  seed: number;
  decision: OutputDecision;
}

/** The rate-coded stimulus of one image. */
export function rateStimulus(net: CompiledNetwork, intensities: ArrayLike<number>, o: RateCodingOptions): Stimulus {
  const events = encode({ kind: "rate", maxProbability: o.maxProbability, seed: o.seed }, Array.from(intensities), { windows: o.windows, iwPs: net.iwPs, lwPs: net.lwPs, iMax: 1 });
  return { iwPs: net.iwPs, lwPs: net.lwPs, windows: o.windows, events };
}

/** Most output spikes wins; ties → the tied output that spiked first; −1 when none spikes. */
export function mostSpikesClass(net: CompiledNetwork, spikes: Spike[]): number {
  const obs = observableSpikes(net, spikes); // time order
  const count = new Map<number, number>();
  for (const s of obs) count.set(s.output, (count.get(s.output) ?? 0) + 1);
  let best = -1;
  for (const s of obs) if (best < 0 || count.get(s.output)! > count.get(best)!) best = s.output;
  return best;
}

/** Class of one image under rate coding through the full network simulation. */
export function rateClassify(net: CompiledNetwork, intensities: ArrayLike<number>, o: RateCodingOptions): number {
  const spikes = simulateNetwork(net, rateStimulus(net, intensities, o)).spikes;
  return o.decision === "most-spikes" ? mostSpikesClass(net, spikes) : firstSpikeClass(net, spikes);
}
