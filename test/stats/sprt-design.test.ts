/**
 * SPRT design (src/stats/sprt-design.ts): a rule is accepted only when its exact
 * operating characteristic meets α and β — checked against the hand-derived case of
 * decision-rules.test.ts and against the bounds the rule states.
 */
import { describe, expect, it } from "vitest";
import { ruleFailProbability } from "../../src/stats/decision-rules.ts";
import { designSprt } from "../../src/stats/sprt-design.ts";

describe("designSprt", () => {
  it("skips a cap whose exact errors miss β: pGood 0.9, pBad 0.5, α = β = 0.1 needs more than 4 repetitions", () => {
    // decision-rules.test.ts derives by hand that with a cap of 4, P(pass | p = 0.5) = p⁴ + 4p³(1 − p) = 0.3125 > 0.1.
    const d = designSprt(0.9, [0.5], { alpha: 0.1, beta: 0.1, maxRepetitions: 200 })!;
    expect(d.rule).toMatchObject({ rule: "sprt", pGood: 0.9, pBad: 0.5, alpha: 0.1, beta: 0.1 });
    expect(d.rule.maxRepetitions).toBeGreaterThan(4);
    expect(d.goodFail).toBe(ruleFailProbability(d.rule, 0.9));
    expect(d.goodFail).toBeLessThanOrEqual(0.1);
    expect(d.badPass).toBeLessThanOrEqual(0.1);
    // The smallest such cap: one fewer repetition misses α or β.
    const shorter = { ...d.rule, maxRepetitions: d.rule.maxRepetitions - 1 };
    expect(ruleFailProbability(shorter, 0.9) > 0.1 || 1 - ruleFailProbability(shorter, 0.5) > 0.1).toBe(true);
  });

  it("takes the most inclusive alternative it can reach, and shrinks one only when none is reachable", () => {
    // Normal approximation of a fixed-size test at α = β = 0.05: n ≈ (1.645·(σ_good + σ_bad)/(pGood − pBad))².
    // 0.9 vs 0.85: (1.645·(0.300 + 0.357)/0.05)² ≈ 467 — an SPRT saves about half, still far above a cap of 20;
    // 0.9 vs 0.3: (1.645·(0.300 + 0.458)/0.6)² ≈ 4.3 — well within it.
    const o = { alpha: 0.05, beta: 0.05, maxRepetitions: 20 };
    const d = designSprt(0.9, [0.85, 0.3], o)!;
    expect(d.rule.pBad).toBe(0.3);
    expect(designSprt(0.9, [0.85], o, false)).toBeNull();
    const shrunk = designSprt(0.9, [0.85], o)!;
    expect(shrunk.rule.pBad).toBeLessThan(0.85 * 0.7 + 1e-9); // 0.85·0.7ᵏ, k ≥ 1
    expect(shrunk.badPass).toBeLessThanOrEqual(0.05);
    expect(designSprt(0.3, [0.5], o, false)).toBeNull(); // pBad ≥ pGood: no test
  });
});
