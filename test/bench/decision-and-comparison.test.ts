/**
 * Decision rules (single, fixed, sprt) and the response comparison (match within the
 * tolerance band; missing / extra / shifted spikes).
 */
import { describe, expect, it } from "vitest";
import { startDecision, type DecisionStep } from "../../src/stats/decision-rules.ts";
import { compareResponse } from "../../src/bench/response-comparison.ts";
import type { DecisionRule } from "../../src/formats/program-format.ts";

function feed(rule: DecisionRule, outcomes: boolean[], repetitions = 1): { steps: DecisionStep[]; used: number } {
  const d = startDecision(rule, { repetitions });
  const steps: DecisionStep[] = [];
  for (const m of outcomes) {
    const s = d.next(m);
    steps.push(s);
    if (s !== "continue") break;
  }
  return { steps, used: steps.length };
}

describe("decision rules", () => {
  it("single: every repetition must match; stops at the first mismatch", () => {
    expect(feed({ rule: "single" }, [true]).steps).toEqual(["pass"]);
    expect(feed({ rule: "single" }, [false]).steps).toEqual(["fail"]);
    expect(feed({ rule: "single" }, [true, true, true], 3).steps).toEqual(["continue", "continue", "pass"]);
    expect(feed({ rule: "single" }, [true, false, true], 3).steps).toEqual(["continue", "fail"]);
  });

  it("fixed: applies exactly n repetitions and compares the matches with minMatches", () => {
    const rule: DecisionRule = { rule: "fixed", repetitions: 4, minMatches: 3 };
    expect(feed(rule, [true, false, true, true]).steps.at(-1)).toBe("pass");
    expect(feed(rule, [true, false, false, true]).steps.at(-1)).toBe("fail");
    expect(feed(rule, [false, false, false, false]).used).toBe(4);
  });

  it("sprt: Wald's thresholds decide as early as the evidence allows, truncated at maxRepetitions", () => {
    const rule: DecisionRule = { rule: "sprt", pGood: 0.95, pBad: 0.3, alpha: 0.01, beta: 0.01, maxRepetitions: 20 };
    // each match adds ln(0.3/0.95) = −1.153; pass at ≤ ln(0.01/0.99) = −4.595 → after 4 matches
    expect(feed(rule, Array(20).fill(true))).toEqual({ steps: ["continue", "continue", "continue", "pass"], used: 4 });
    // each mismatch adds ln(0.7/0.05) = +2.639; fail at ≥ ln(0.99/0.01) = 4.595 → after 2 mismatches
    expect(feed(rule, Array(20).fill(false))).toEqual({ steps: ["continue", "fail"], used: 2 });
    // alternating: +2.639 −1.153 +2.639 → 4.125, then −1.153 → 2.97, then +2.639 → 5.6 ≥ 4.595: fail at the 5th
    expect(feed(rule, [false, true, false, true, false]).steps.at(-1)).toBe("fail");
    // truncation at 3: −3.46 (three matches) passes; +2.639 − 2.306 = +0.33 fails
    const short: DecisionRule = { ...rule, maxRepetitions: 3 };
    expect(feed(short, [true, true, true]).steps).toEqual(["continue", "continue", "pass"]);
    expect(feed(short, [false, true, true]).steps).toEqual(["continue", "continue", "fail"]);
  });
});

describe("response comparison", () => {
  const expected = [
    { output: 0, window: 2, timePs: 20518 },
    { output: 1, window: 1, timePs: 10300 },
  ];
  const opts = { toleranceBandPs: 500, periodPs: 10000 };

  it("matches within the band and gives observed spikes their windows", () => {
    const r = compareResponse(expected, [{ output: 1, timePs: 10700 }, { output: 0, timePs: 20100 }], opts);
    expect(r.match).toBe(true);
    expect(r.spikes).toEqual([{ output: 1, window: 1, timePs: 10700 }, { output: 0, window: 2, timePs: 20100 }]);
  });

  it("classifies missing, extra and shifted spikes", () => {
    const r = compareResponse(expected, [{ output: 0, timePs: 21600 }, { output: 2, timePs: 5 }], opts);
    expect(r.match).toBe(false);
    expect(r.mismatch).toEqual({ missing: 1, extra: 1, shifted: 1 });
    // output 0: 21600 − 20518 = 1082 ps > 500 → shifted; output 1 silent → missing; output 2 → extra
    expect(r.judgement.signature).toEqual(["m1@1", "x2@0", "s0@2"]);
    expect(r.judgement.failingOutputs).toEqual([0, 1, 2]);
  });

  it("passes a within-band shift (the fault simulator's possibly detected)", () => {
    const r = compareResponse(expected, [{ output: 1, timePs: 10300 }, { output: 0, timePs: 20818 }], { ...opts, timingResolutionPs: 10 });
    expect(r.match).toBe(true);
    expect(r.judgement.verdict).toBe("possibly");
  });

  it("counts a spike that moved into another window as missing + extra", () => {
    const r = compareResponse([{ output: 0, window: 2, timePs: 20518 }], [{ output: 0, timePs: 10520 }], opts);
    expect(r.mismatch).toEqual({ missing: 1, extra: 1, shifted: 0 });
  });
});
