/**
 * The observable-output rule, hand-counted: with `observe: "all"` a 3-then-2 network
 * exposes 5 outputs numbered layer by layer (layer 1's neuron 0 is output 3); with
 * `"outputs"` only the last layer's 2, from 0. The simulator numbers spikes with it.
 */
import { describe, expect, it } from "vitest";
import { observableLayerIndexes, observableOutputCount, outputOffsets } from "../../src/formats/observable-outputs.ts";
import { observableSpikes } from "../../src/sim/network.ts";
import type { CompiledNetwork } from "../../src/sim/compile.ts";

const layers = [{ cols: 3 }, { cols: 2 }];

describe("observable outputs", () => {
  it("observe all: 5 outputs, layer 1 from output 3", () => {
    const b = { observe: "all" as const, layers };
    expect(observableLayerIndexes(b)).toEqual([0, 1]);
    expect(observableOutputCount(b)).toBe(5);
    expect([...outputOffsets(b)]).toEqual([
      [0, 0],
      [1, 3],
    ]);
  });

  it("observe outputs: the last layer's 2, from output 0", () => {
    const b = { observe: "outputs" as const, layers };
    expect(observableLayerIndexes(b)).toEqual([1]);
    expect(observableOutputCount(b)).toBe(2);
    expect([...outputOffsets(b)]).toEqual([[1, 0]]);
  });

  it("the simulator's spike numbering follows the rule", () => {
    const net = { observe: "all", layers } as unknown as CompiledNetwork;
    const spikes = [
      { layer: 1, neuron: 1, window: 0, timePs: 200 },
      { layer: 0, neuron: 2, window: 0, timePs: 100 },
    ];
    expect(observableSpikes(net, spikes)).toEqual([
      { output: 2, window: 0, timePs: 100 },
      { output: 4, window: 0, timePs: 200 },
    ]);
    expect(observableSpikes({ ...net, observe: "outputs" }, spikes)).toEqual([{ output: 1, window: 0, timePs: 200 }]);
  });
});
