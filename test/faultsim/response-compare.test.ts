/** responsesDiffer / compareTrains: missing, extra, shifted beyond the band, within the band, below the resolution. */
import { describe, expect, it } from "vitest";
import { compareTrains, responsesDiffer, verdictOf } from "../../src/faultsim/index.ts";

const good = [
  { output: 0, window: 2, timePs: 20518 },
  { output: 1, window: 0, timePs: 400 },
];

describe("responsesDiffer", () => {
  it("identical responses do not differ", () => {
    const d = responsesDiffer(good, [...good].reverse(), 500);
    expect(d).toMatchObject({ differs: false, possiblyDiffers: false, missing: [], extra: [], shifted: [], withinBand: [] });
    expect(verdictOf(d)).toBe(0);
  });

  it("a spike moved to another window is one missing plus one extra", () => {
    const d = responsesDiffer(good, [{ output: 0, window: 1, timePs: 10600 }, good[1]], 500);
    expect(d.differs).toBe(true);
    expect(d.missing).toEqual([good[0]]);
    expect(d.extra).toEqual([{ output: 0, window: 1, timePs: 10600 }]);
    expect(verdictOf(d)).toBe(2);
  });

  it("a shift beyond the band is a hard difference; within it only a possible one; below the resolution none", () => {
    const moved = (dt: number) => [{ ...good[0], timePs: good[0].timePs + dt }, good[1]];
    const beyond = responsesDiffer(good, moved(501), 500);
    expect(beyond.shifted).toEqual([{ output: 0, window: 2, goodPs: 20518, faultyPs: 21019, shiftPs: 501 }]);
    expect(verdictOf(beyond)).toBe(2);
    const within = responsesDiffer(good, moved(-54), 500, 10);
    expect(within).toMatchObject({ differs: false, possiblyDiffers: true });
    expect(within.withinBand[0].shiftPs).toBe(-54);
    expect(verdictOf(within)).toBe(1);
    expect(verdictOf(responsesDiffer(good, moved(9), 500, 10))).toBe(0);
    expect(verdictOf(responsesDiffer(good, moved(500), 500, 10))).toBe(1);
  });

  it("an extra spike on a silent output and a missing one are hard differences", () => {
    expect(responsesDiffer([], [{ output: 3, window: 0, timePs: 10 }], 1e9).extra).toHaveLength(1);
    expect(responsesDiffer(good, [good[1]], 1e9).missing).toEqual([good[0]]);
  });

  it("compareTrains is the per-output core with the same verdicts", () => {
    const g = [{ window: 0, timePs: 400 }, { window: 2, timePs: 20400 }];
    expect(compareTrains(g, g, 0)).toBe(0);
    expect(compareTrains(g, [g[0]], 1000)).toBe(2);
    expect(compareTrains(g, [g[0], { window: 1, timePs: 10400 }], 1000)).toBe(2);
    expect(compareTrains(g, [g[0], { window: 2, timePs: 20450 }], 100)).toBe(1);
    expect(compareTrains(g, [g[0], { window: 2, timePs: 20450 }], 40)).toBe(2);
    expect(compareTrains(g, [g[0], { window: 2, timePs: 20405 }], 100, 10)).toBe(0);
  });
});
