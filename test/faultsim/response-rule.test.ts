/**
 * The response rule (compareSpikes) and the "exact-train" pass criterion built on it:
 * missing, extra, shifted beyond the band, within the band, below the resolution,
 * greedy matching of two spikes in one window, the guard band's worst shift, and
 * compareTrains (the fast engine's shortcut) on hand-made trains.
 */
import { describe, expect, it } from "vitest";
import { compareSpikes, compareTrains, passCriteria, verdictCode, verdictOf, worstShiftPs } from "../../src/faultsim/index.ts";

const good = [
  { output: 0, window: 2, timePs: 20518 },
  { output: 1, window: 0, timePs: 400 },
];
const band = (toleranceBandPs: number, timingResolutionPs?: number) => ({ toleranceBandPs, timingResolutionPs });

describe("compareSpikes", () => {
  it("identical responses do not differ, whatever their order", () => {
    const d = compareSpikes(good, [...good].reverse(), band(500));
    expect(d).toMatchObject({ differs: false, possiblyDiffers: false, missing: [], extra: [], shifted: [], withinBand: [] });
    expect(verdictOf(d)).toBe(0);
  });

  it("a spike moved to another window is one missing plus one extra", () => {
    const d = compareSpikes(good, [{ output: 0, window: 1, timePs: 10600 }, good[1]], band(500));
    expect(d.differs).toBe(true);
    expect(d.missing).toEqual([good[0]]);
    expect(d.extra).toEqual([{ output: 0, window: 1, timePs: 10600 }]);
    expect(verdictOf(d)).toBe(2);
  });

  it("a shift beyond the band is a hard difference; within it only a possible one; below the resolution none", () => {
    const moved = (dt: number) => [{ ...good[0], timePs: good[0].timePs + dt }, good[1]];
    const beyond = compareSpikes(good, moved(501), band(500));
    expect(beyond.shifted).toEqual([{ output: 0, window: 2, expectedPs: 20518, observedPs: 21019, shiftPs: 501 }]);
    expect(verdictOf(beyond)).toBe(2);
    const within = compareSpikes(good, moved(-54), band(500, 10));
    expect(within).toMatchObject({ differs: false, possiblyDiffers: true });
    expect(within.withinBand[0].shiftPs).toBe(-54);
    expect(verdictOf(within)).toBe(1);
    expect(verdictOf(compareSpikes(good, moved(9), band(500, 10)))).toBe(0); // 9 ps < 10 ps resolution
    expect(verdictOf(compareSpikes(good, moved(500), band(500, 10)))).toBe(1); // the band's edge still matches
  });

  it("an extra spike on a silent output and a missing one are hard differences", () => {
    expect(compareSpikes([], [{ output: 3, window: 0, timePs: 10 }], band(1e9)).extra).toHaveLength(1);
    expect(compareSpikes(good, [good[1]], band(1e9)).missing).toEqual([good[0]]);
  });

  it("matches greedily in time order: a second spike in one window is extra", () => {
    // expected 20518 in window 2; observed 20300 (|Δ| = 218 ≤ 500: matches) and 20900 (left over: extra)
    const d = compareSpikes([good[0]], [{ output: 0, window: 2, timePs: 20900 }, { output: 0, window: 2, timePs: 20300 }], band(500));
    expect(d.extra).toEqual([{ output: 0, window: 2, timePs: 20900 }]);
    expect(d.withinBand).toEqual([{ output: 0, window: 2, expectedPs: 20518, observedPs: 20300, shiftPs: -218 }]);
    expect(d.shifted).toEqual([]);
  });
});

describe("worstShiftPs (the guard band's measure)", () => {
  it("is the largest |shift| when every spike stays in its window, else null", () => {
    expect(worstShiftPs(good, [{ ...good[0], timePs: 23000 }, { ...good[1], timePs: 350 }])).toBe(2482); // 23000 − 20518
    expect(worstShiftPs(good, good)).toBe(0);
    expect(worstShiftPs(good, [good[0]])).toBeNull();
    expect(worstShiftPs(good, [good[0], { output: 1, window: 1, timePs: 10400 }])).toBeNull();
  });
});

describe('pass criterion "exact-train"', () => {
  const judge = passCriteria["exact-train"].judge;
  it("fails a hard difference with its signature, failing outputs and counts", () => {
    // output 0 shifted by 1082 ps (> 500), output 1's spike missing, output 2 fires unexpectedly
    const j = judge({ spikes: good, toleranceBandPs: 500 }, { spikes: [{ output: 0, window: 2, timePs: 21600 }, { output: 2, window: 0, timePs: 5 }] });
    expect(j.verdict).toBe("fail");
    expect(j.signature).toEqual(["m1@0", "x2@0", "s0@2"]);
    expect(j.failingOutputs).toEqual([0, 1, 2]);
    expect(j.mismatch).toEqual({ missing: 1, extra: 1, shifted: 1 });
    expect(verdictCode(j)).toBe(2);
  });
  it("passes an exact response and calls a measurable within-band shift possibly, with no signature", () => {
    expect(judge({ spikes: good, toleranceBandPs: 500 }, { spikes: good })).toMatchObject({ verdict: "pass", signature: [], failingOutputs: [] });
    const p = judge({ spikes: good, toleranceBandPs: 500, timingResolutionPs: 10 }, { spikes: [good[0], { ...good[1], timePs: 430 }] });
    expect(p).toMatchObject({ verdict: "possibly", signature: [], mismatch: { missing: 0, extra: 0, shifted: 0 } });
    expect(verdictCode(p)).toBe(1);
  });
});

describe("compareTrains", () => {
  it("gives the verdicts of compareSpikes on hand-made trains", () => {
    const g = [{ window: 0, timePs: 400 }, { window: 2, timePs: 20400 }];
    expect(compareTrains(g, g, 0)).toBe(0);
    expect(compareTrains(g, [g[0]], 1000)).toBe(2);
    expect(compareTrains(g, [g[0], { window: 1, timePs: 10400 }], 1000)).toBe(2);
    expect(compareTrains(g, [g[0], { window: 2, timePs: 20450 }], 100)).toBe(1);
    expect(compareTrains(g, [g[0], { window: 2, timePs: 20450 }], 40)).toBe(2);
    expect(compareTrains(g, [g[0], { window: 2, timePs: 20405 }], 100, 10)).toBe(0);
  });
});
