/** Input coding: seed 000 eq. 1 temporal coding, binary pixels, seeded Poisson rate coding. */
import { describe, expect, it } from "vitest";
import { encode, temporalSpikeTimePs } from "../../src/sim/index.ts";

describe("coding", () => {
  it("temporal: t = ceil((Imax − I)/Imax · tmax), brighter spikes earlier", () => {
    expect(temporalSpikeTimePs(2, 2, 10000)).toBe(0);
    expect(temporalSpikeTimePs(1, 2, 10000)).toBe(5000);
    expect(temporalSpikeTimePs(0.3, 2, 10000)).toBe(8500);
    const ev = encode({ kind: "temporal", tMaxPs: 10000, iMax: 2 }, [2, 1, 0], { windows: 2, iwPs: 1000, lwPs: 9000 });
    expect(ev).toEqual([
      { input: 0, timePs: 0 },
      { input: 1, timePs: 5000 },
      { input: 2, timePs: 10000 },
    ]);
  });

  it("binary: a black pixel spikes at every window start", () => {
    const ev = encode({ kind: "binary" }, [1, 0, 1], { windows: 2, iwPs: 1000, lwPs: 9000 });
    expect(ev.map((e) => `${e.input}@${e.timePs}`)).toEqual(["0@0", "2@0", "0@10000", "2@10000"]);
  });

  it("rate: seeded, and the spike count follows p_max · I/Imax", () => {
    const coding = { kind: "rate" as const, maxProbability: 0.5, seed: 3 };
    const a = encode(coding, new Array(100).fill(1), { windows: 40, iwPs: 1000, lwPs: 9000 });
    const b = encode(coding, new Array(100).fill(1), { windows: 40, iwPs: 1000, lwPs: 9000 });
    expect(a).toEqual(b);
    expect(a.length / 4000).toBeGreaterThan(0.45);
    expect(a.length / 4000).toBeLessThan(0.55);
    expect(encode(coding, new Array(100).fill(0), { windows: 40, iwPs: 1000, lwPs: 9000 })).toEqual([]);
  });
});
