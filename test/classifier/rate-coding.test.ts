/**
 * Rate coding of the MNIST chip (issue 14: coding configurable). Hand derivations:
 *  - p_max = 1 on 0/1 intensities: every black pixel spikes in every window and no white
 *    one does, the binary coding's rows exactly, so with 2 windows the class is binary
 *    coding's, under either decision (each output spikes at most once in window 1, so
 *    "most spikes" ties and falls back to the first spike);
 *  - the most-spikes decision on hand-made spike lists.
 */
import { describe, expect, it } from "vitest";
import { classifyOnChip } from "../../src/classifier/chip-classifier.ts";
import { image, mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { mostSpikesClass, rateClassify } from "../../src/classifier/rate-classifier.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

const net = compileNetwork(loadTestbench("testbenches/bnn-mnist-784x1024x10.json").bench);

describe("rate coding on bnn-mnist-784x1024x10", () => {
  it("p_max = 1 on binarized digits gives binary coding's class, both decisions", () => {
    const { heldOut } = mnistSplit();
    for (let i = 0; i < 12; i++) {
      const px = image(heldOut, i);
      const binary = classifyOnChip(net, px);
      for (const decision of ["most-spikes", "first-spike"] as const) {
        expect(rateClassify(net, px, { windows: 2, maxProbability: 1, seed: i, decision })).toBe(binary);
      }
    }
  }, 60_000);

  it("most spikes wins; a tie goes to the output that spiked first; no spike is no answer", () => {
    const s = (neuron: number, window: number, timePs: number) => ({ layer: 1, neuron, window, timePs });
    expect(mostSpikesClass(net, [s(2, 1, 500), s(7, 1, 300), s(7, 2, 10_300), s(2, 2, 10_100), s(2, 3, 20_100)])).toBe(2);
    expect(mostSpikesClass(net, [s(2, 1, 500), s(7, 1, 300), s(7, 2, 10_300), s(2, 2, 10_100)])).toBe(7);
    expect(mostSpikesClass(net, [])).toBe(-1);
    expect(mostSpikesClass(net, [{ layer: 0, neuron: 5, window: 0, timePs: 1 }])).toBe(-1); // hidden spikes are not outputs
  });

  it("the held-out digits carry their grey levels next to the binarized pixels", () => {
    const { heldOut } = mnistSplit();
    const g = heldOut.intensities!;
    for (let k = 0; k < 784 * 5; k++) expect(heldOut.pixels[k]).toBe(g[k] >= 0.5 ? 1 : 0);
  });
});
