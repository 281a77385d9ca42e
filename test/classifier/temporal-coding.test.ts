/**
 * Temporal (latency) coding of the MNIST chip through the coding registry (issue 14:
 * coding configurable). Hand derivations:
 *  - t = ceil((1 − I) · t_max) with t_max = IW / 2 = 500 ps: I = 1 → 0, 0.5 → 250,
 *    0.25 → 375, 0.001 → 500 (ceil of 499.5), a blank pixel no event;
 *  - on 0/1 images the black pixels spike at 0 and drive binary coding's window-0 rows,
 *    the blank ones nothing; binary coding's window-1 rows only make hidden spikes that
 *    reach no output (2 windows), so the class is binary coding's under either decision
 *    (each output spikes at most once, in window 1: most-spikes ties fall to the first spike).
 */
import { describe, expect, it } from "vitest";
import { classifyOnChip } from "../../src/classifier/chip-classifier.ts";
import { codedClassify, imageCodings, outputDecisions, temporalStimulus } from "../../src/classifier/image-coding.ts";
import { image, mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { codingSchema } from "../../src/formats/testbench-format.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { simulateNetwork } from "../../src/sim/network.ts";

const net = compileNetwork(loadTestbench("testbenches/bnn-mnist-784x1024x10.json").bench);

describe("temporal coding on bnn-mnist-784x1024x10", () => {
  it("one spike per non-blank pixel at ceil((1 − I) · IW / 2)", () => {
    const s = temporalStimulus(net, [1, 0.5, 0.25, 0, 0.001]);
    expect(s.windows).toBe(2);
    expect(s.events).toEqual([
      { input: 0, timePs: 0 },
      { input: 1, timePs: 250 },
      { input: 2, timePs: 375 },
      { input: 4, timePs: 500 },
    ]);
  });

  it("on 0/1 images the class is binary coding's, both decisions", () => {
    const { heldOut } = mnistSplit();
    for (let i = 0; i < 4; i++) {
      const px = image(heldOut, i);
      const binary = classifyOnChip(net, px);
      const spikes = simulateNetwork(net, temporalStimulus(net, px)).spikes;
      for (const decide of Object.values(outputDecisions)) expect(decide(net, spikes)).toBe(binary);
    }
    expect(codedClassify(net, image(heldOut, 0), { coding: { kind: "temporal" }, decision: "first-spike" })).toBe(classifyOnChip(net, image(heldOut, 0)));
  }, 60_000);

  it("the registries cover every coding kind of the testbench schema and both readouts", () => {
    expect(Object.keys(imageCodings).sort()).toEqual(codingSchema.options.map((o) => o.shape.kind.value).sort());
    expect(Object.keys(outputDecisions).sort()).toEqual(["first-spike", "most-spikes"]);
  });
});
