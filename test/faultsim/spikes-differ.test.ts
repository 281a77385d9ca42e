/**
 * spikesDiffer — criticality's per-digit "does the tester see a difference" — is
 * compareSpikes(…).differs without the detail: checked on hand-made responses (a shift of
 * exactly the band, one past it, a spike moved to another window, two spikes in one
 * window) and against compareSpikes on 20,000 random time-ordered response pairs, with
 * both answers well represented; a response out of time order goes to compareSpikes.
 */
import { describe, expect, it } from "vitest";
import { compareSpikes, spikesDiffer } from "../../src/faultsim/response-rule.ts";
import { createRng } from "../../src/sim/rng.ts";

type S = { output: number; window: number; timePs: number };
const byTime = (a: S, b: S) => a.timePs - b.timePs || a.output - b.output;
const band = { toleranceBandPs: 100, timingResolutionPs: 10 };

describe("spikesDiffer", () => {
  const good: S[] = [
    { output: 1, window: 0, timePs: 400 },
    { output: 0, window: 2, timePs: 20518 },
  ];

  it("a shift of exactly the band is no hard difference, one picosecond more is", () => {
    expect(spikesDiffer(good, [good[0], { ...good[1], timePs: 20618 }], band)).toBe(false);
    expect(spikesDiffer(good, [good[0], { ...good[1], timePs: 20619 }], band)).toBe(true);
  });

  it("another window, another output, a missing or an extra spike differ", () => {
    expect(spikesDiffer(good, [good[0], { ...good[1], window: 1 }], band)).toBe(true);
    expect(spikesDiffer(good, [good[0], { ...good[1], output: 2 }], band)).toBe(true);
    expect(spikesDiffer(good, [good[0]], band)).toBe(true);
    expect(spikesDiffer(good, [...good, { output: 3, window: 2, timePs: 20600 }], band)).toBe(true);
  });

  it("two spikes in one window are matched greedily, as compareSpikes does", () => {
    // expected 100 and 180 in one window; observed 150 and 260: greedy gives 100→150, 180→260 (shift 80): no difference
    const e: S[] = [{ output: 0, window: 0, timePs: 100 }, { output: 0, window: 0, timePs: 180 }];
    const o: S[] = [{ output: 0, window: 0, timePs: 150 }, { output: 0, window: 0, timePs: 260 }];
    expect(compareSpikes(e, o, band).differs).toBe(false);
    expect(spikesDiffer(e, o, band)).toBe(false);
    // observed 90 and 300: 100→90, then 180 has nothing within 100 ps → shifted
    const o2: S[] = [{ output: 0, window: 0, timePs: 90 }, { output: 0, window: 0, timePs: 300 }];
    expect(spikesDiffer(e, o2, band)).toBe(true);
  });

  it("agrees with compareSpikes(…).differs on 20,000 random time-ordered response pairs", () => {
    const rng = createRng(2026);
    const int = (n: number) => Math.floor(rng.next() * n);
    let same = 0;
    let differ = 0;
    for (let k = 0; k < 20_000; k++) {
      const outputs = 1 + int(4);
      const windows = 1 + int(3);
      const expected: S[] = [];
      for (let n = int(7); n > 0; n--) {
        const w = int(windows);
        expected.push({ output: int(outputs), window: w, timePs: w * 1000 + int(1000) });
      }
      expected.sort(byTime);
      // observed: the expected spikes moved a little or a lot, some dropped, duplicated or moved to another window or output
      const observed: S[] = [];
      for (const s of expected) {
        const r = rng.next();
        if (r < 0.04) continue;
        const moved = { ...s, timePs: s.timePs + (rng.next() < 0.8 ? int(41) - 20 : int(401) - 200) };
        if (r < 0.07) moved.window = int(windows);
        else if (r < 0.1) moved.output = int(outputs);
        observed.push(moved);
        if (r > 0.97) observed.push({ ...moved, timePs: moved.timePs + int(150) });
      }
      if (rng.next() < 0.03) observed.push({ output: int(outputs), window: 0, timePs: int(1000) });
      observed.sort(byTime);
      const want = compareSpikes(expected, observed, band).differs;
      expect(spikesDiffer(expected, observed, band), JSON.stringify({ expected, observed })).toBe(want);
      if (want) differ++;
      else same++;
    }
    expect(same).toBeGreaterThan(2_000);
    expect(differ).toBeGreaterThan(2_000);
  });

  it("outputs are told apart as compareSpikes' Map does (NaN is NaN)", () => {
    const odd: S[] = [{ output: Number.NaN, window: 0, timePs: 5 }];
    expect(compareSpikes(odd, odd, band).differs).toBe(false);
    expect(spikesDiffer(odd, [{ output: Number.NaN, window: 0, timePs: 5 }], band)).toBe(false);
    expect(spikesDiffer(odd, [{ output: 0, window: 0, timePs: 5 }], band)).toBe(true);
  });

  it("a response out of time order gets compareSpikes' answer", () => {
    const reversed = [...good].reverse();
    expect(spikesDiffer(good, reversed, band)).toBe(false);
    expect(spikesDiffer(reversed, [good[0], { ...good[1], timePs: 20700 }], band)).toBe(true);
  });
});
