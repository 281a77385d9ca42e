/**
 * Decision-rule registry: the fail probability of each rule against hand derivations
 * and Wald's bounds, against exhaustive enumeration of the process the bench executor
 * runs, and the registry being what `startDecision` dispatches to.
 */
import { describe, expect, it, vi } from "vitest";
import type { DecisionRule } from "../../src/formats/program-format.ts";
import { decisionRules, ruleFailProbability, ruleMaxRepetitions, startDecision, type DecisionProcess } from "../../src/stats/decision-rules.ts";

/** P(fail) by walking every outcome sequence through the process `startDecision` builds. */
function enumeratedFail(rule: DecisionRule, p: number, repetitions = 1): number {
  const walk = (outcomes: boolean[], prob: number): number => {
    const d: DecisionProcess = startDecision(rule, { repetitions });
    let step = "continue";
    for (const m of outcomes) step = d.next(m);
    if (step === "fail") return prob;
    if (step === "pass") return 0;
    return walk([...outcomes, true], prob * p) + walk([...outcomes, false], prob * (1 - p));
  };
  return walk([], 1);
}

describe("decision-rule fail probability", () => {
  it("sprt, hand-derived: pGood 0.9, pBad 0.5, α = β = 0.1, at most 4 repetitions", () => {
    // match a = ln(0.5/0.9) = −0.5878, mismatch b = ln(0.5/0.1) = +1.6094; fail ≥ ln 9 = 2.1972, pass ≤ −2.1972.
    // Two mismatches in the first two or three: 2b = 3.219, 2b + a = 2.631 → fail early. MMMM: 4a = −2.351 → pass.
    // Exactly one mismatch among four (anywhere): 3a + b = −0.154 ≤ 0 at the cap → pass. Two among four with
    // the second one last: 2a + 2b = +2.043, below the fail line but > 0 at the cap → fail.
    // So P(pass) = p⁴ + 4p³(1 − p): p = 0.9 → 0.6561 + 0.2916 = 0.9477, p = 0.5 → 0.0625 + 0.25 = 0.3125.
    const rule: DecisionRule = { rule: "sprt", pGood: 0.9, pBad: 0.5, alpha: 0.1, beta: 0.1, maxRepetitions: 4 };
    expect(ruleFailProbability(rule, 0.9)).toBeCloseTo(0.0523, 12);
    expect(ruleFailProbability(rule, 0.5)).toBeCloseTo(0.6875, 12);
    expect(ruleFailProbability(rule, 1)).toBe(0);
    expect(ruleFailProbability(rule, 0)).toBe(1);
  });

  it("sprt with a generous cap keeps Wald's bounds α' ≤ α/(1−β) and β' ≤ β/(1−α)", () => {
    const rule = { rule: "sprt", pGood: 0.95, pBad: 0.3, alpha: 0.01, beta: 0.01, maxRepetitions: 200 } as const;
    expect(ruleFailProbability(rule, rule.pGood)).toBeLessThanOrEqual(0.01 / 0.99);
    expect(1 - ruleFailProbability(rule, rule.pBad)).toBeLessThanOrEqual(0.01 / 0.99);
  });

  it("single and fixed: 1 − pⁿ and P[Bin(n, p) < k]", () => {
    expect(ruleFailProbability({ rule: "single" }, 0.9)).toBeCloseTo(0.1, 12);
    expect(ruleFailProbability({ rule: "single" }, 0.9, { repetitions: 3 })).toBeCloseTo(1 - 0.729, 12);
    // Bin(4, 0.5) < 3: (1 + 4 + 6)/16
    expect(ruleFailProbability({ rule: "fixed", repetitions: 4, minMatches: 3 }, 0.5)).toBeCloseTo(11 / 16, 12);
  });

  it("every rule's fail probability equals exhaustive enumeration of the process it starts", () => {
    const rules: [DecisionRule, number][] = [
      [{ rule: "single" }, 3],
      [{ rule: "fixed", repetitions: 5, minMatches: 4 }, 1],
      [{ rule: "sprt", pGood: 0.95, pBad: 0.3, alpha: 0.01, beta: 0.01, maxRepetitions: 7 }, 1],
      [{ rule: "sprt", pGood: 0.9, pBad: 0.5, alpha: 0.1, beta: 0.1, maxRepetitions: 6 }, 1],
    ];
    for (const [rule, repetitions] of rules)
      for (const p of [0.2, 0.5, 0.93]) expect(ruleFailProbability(rule, p, { repetitions })).toBeCloseTo(enumeratedFail(rule, p, repetitions), 12);
  });
});

describe("the registry drives the process", () => {
  it("startDecision and ruleMaxRepetitions dispatch to the rule's entry", () => {
    const decide = vi.spyOn(decisionRules.fixed, "decide").mockReturnValue("pass");
    const max = vi.spyOn(decisionRules.fixed, "maxRepetitions").mockReturnValue(9);
    try {
      const rule: DecisionRule = { rule: "fixed", repetitions: 5, minMatches: 5 };
      const d = startDecision(rule, {});
      expect(d.maxRepetitions).toBe(9);
      expect(d.next(false)).toBe("pass"); // the entry, not a copy of the rule, decided
      expect(decide).toHaveBeenCalledWith(rule, 1, 0, {});
      expect(ruleMaxRepetitions(rule)).toBe(9);
    } finally {
      decide.mockRestore();
      max.mockRestore();
    }
  });
});
