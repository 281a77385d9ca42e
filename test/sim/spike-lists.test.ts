/** Packed spike lists (src/sim/spike-lists.ts): offsets by hand, and the lists back as they were. */
import { describe, expect, it } from "vitest";
import { packSpikeLists, unpackSpikeList, unpackSpikeLists } from "../../src/sim/spike-lists.ts";

describe("packed spike lists", () => {
  it("list k is entries start[k] … start[k+1] − 1, empty lists included", () => {
    const a = { layer: 0, neuron: 3, window: 1, timePs: 250.5 };
    const b = { layer: 1, neuron: 7, window: 0, timePs: 12 };
    const c = { layer: 0, neuron: 1023, window: 2, timePs: 1e6 };
    const p = packSpikeLists([[a], [], [b, c]]);
    expect(Array.from(p.start)).toEqual([0, 1, 1, 3]); // 1 spike, none, 2 spikes
    expect(Array.from(p.neuron)).toEqual([3, 7, 1023]);
    expect(Array.from(p.timePs)).toEqual([250.5, 12, 1e6]);
    expect(unpackSpikeList(p, 1)).toEqual([]);
    expect(unpackSpikeLists(p)).toEqual([[a], [], [b, c]]);
  });
});
