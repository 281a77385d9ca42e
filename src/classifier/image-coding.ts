/**
 * How an image reaches the chip and how its class is read back (issue 14: coding
 * configurable, the decision as the bench declares). One registry entry per input
 * coding of the testbench schema (`coding.kind`), each turning an image's grey levels
 * (intensities in [0, 1]) into a stimulus; one per output decision (`readout`).
 *
 *   binary    a pixel ≥ 0.5 spikes at the start of each of 2 windows (chip-classifier.ts)
 *   rate      per window, p = p_max · I, over K windows (rate-classifier.ts)
 *   temporal  latency / time-to-first-spike: one spike per non-blank pixel at
 *             t = ceil((1 − I) · t_max) (seed 000 eq. 1 with I_max = 1), 2 windows, the
 *             brightest pixels first; a blank pixel (I = 0) sends no spike. t_max
 *             defaults to IW / 2, so every pixel's drive (IW long) overlaps the others'
 *             and the hidden neuron still integrates one weighted sum: its drive is
 *             rectified (lif-she: g·max(0, I − I_c)), so pulses spread over the whole
 *             window would add up only their positive parts and fire nearly every
 *             neuron (docs/mnist-chip.md has the measurement).

 *   first-spike   the output that spikes first        most-spikes   the output with most spikes
 *
 * On 0/1 images temporal coding drives exactly binary coding's window-0 rows (and
 * nothing in window 1, whose hidden spikes reach no output), so the class is binary
 * coding's (a test derives it).
 *
 *   codedClassify(net, intensities, { coding: { kind: "temporal" }, decision: "first-spike", seed: 7 })
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { encode } from "../sim/coding.ts";
import { simulateNetwork, type Spike } from "../sim/network.ts";
import type { Stimulus } from "../sim/stimulus.ts";
import { BINARY_PIXEL_THRESHOLD } from "./mnist-dataset.ts";
import { CLASSIFY_WINDOWS, firstSpikeClass, imageStimulus } from "./chip-classifier.ts";
import { mostSpikesClass, rateStimulus, type OutputDecision } from "./rate-classifier.ts";

/** How one image is coded (the testbench's coding kinds; the numbers have defaults). */
export type ImageCodingSpec =
  | { kind: "binary" }
  | { kind: "rate"; windows?: number; maxProbability?: number }
  | { kind: "temporal"; tMaxPs?: number };

type Coder<K extends ImageCodingSpec["kind"]> = (net: CompiledNetwork, intensities: ArrayLike<number>, spec: Extract<ImageCodingSpec, { kind: K }>, seed: number) => Stimulus;

/** Single-spike latency stimulus of one image over the classifier's 2 windows (blank pixels send none). */
export function temporalStimulus(net: CompiledNetwork, intensities: ArrayLike<number>, tMaxPs = net.iwPs / 2): Stimulus {
  const all = encode({ kind: "temporal", tMaxPs, iMax: 1 }, Array.from(intensities), { windows: CLASSIFY_WINDOWS, iwPs: net.iwPs, lwPs: net.lwPs });
  const events = all.filter((e) => intensities[e.input] > 0);
  return { iwPs: net.iwPs, lwPs: net.lwPs, windows: CLASSIFY_WINDOWS, events };
}

/** The input codings, by the testbench's `coding.kind`. */
export const imageCodings = {
  binary: (net, intensities) => imageStimulus(net, Array.from(intensities, (v) => (v >= BINARY_PIXEL_THRESHOLD ? 1 : 0))),
  rate: (net, intensities, spec, seed) => rateStimulus(net, intensities, { windows: spec.windows ?? 6, maxProbability: spec.maxProbability ?? 1, seed, decision: "most-spikes" }),
  temporal: (net, intensities, spec) => temporalStimulus(net, intensities, spec.tMaxPs),
} as const satisfies { [K in ImageCodingSpec["kind"]]: Coder<K> };

/** The output decisions, by the testbench's `readout`. */
export const outputDecisions = {
  "first-spike": firstSpikeClass,
  "most-spikes": mostSpikesClass,
} as const satisfies Record<OutputDecision, (net: CompiledNetwork, spikes: Spike[]) => number>;

export interface CodedClassifyOptions {
  coding: ImageCodingSpec;
  decision: OutputDecision;
  /** Seed of a stochastic coding's draws (mix in the image index). */
  seed?: number;
}

/** The stimulus of one image under a coding of the registry. */
export function codedStimulus(net: CompiledNetwork, intensities: ArrayLike<number>, coding: ImageCodingSpec, seed = 1): Stimulus {
  const coder = imageCodings[coding.kind] as Coder<typeof coding.kind>;
  return coder(net, intensities, coding as never, seed);
}

/** Class of one image (grey levels) through the full network simulation. */
export function codedClassify(net: CompiledNetwork, intensities: ArrayLike<number>, o: CodedClassifyOptions): number {
  return outputDecisions[o.decision](net, simulateNetwork(net, codedStimulus(net, intensities, o.coding, o.seed)).spikes);
}
