/**
 * Decision rules for stochastic neurons: how many repetitions of a vector to apply and
 * when to call pass or fail, so that a good chip is failed with probability ≤ α and a
 * faulty chip passed with probability ≤ β (default 10⁻³ each).
 *
 *   chooseDecisionRule(0.98, 0.30, { alpha: 1e-3, beta: 1e-3 })
 *   // → { rule: "fixed", repetitions: 13, minMatches: 10 }
 *
 * A repetition "matches" when its response equals the expected one. With p_good (a
 * good chip's match probability) and p_bad (a faulty chip's), a fixed rule (n, k)
 * passes on ≥ k matches: P[Bin(n, p_good) < k] ≤ α and P[Bin(n, p_bad) ≥ k] ≤ β; the
 * smallest such n is chosen. The SPRT alternative (Wald) records p_good, p_bad, α, β
 * and a cap; on average it needs fewer repetitions, and the bench executor applies it.
 * How each rule runs and how likely it fails a chip: src/stats/decision-rules.ts.
 */
import type { DecisionRule } from "../formats/program-format.ts";
import { DEFAULT_WRONG_CALL_BOUND } from "../stats/decision-rules.ts";
import { binomialCdf } from "../stats/normal-distribution.ts";

export interface DecisionOptions {
  alpha?: number;
  beta?: number;
  maxRepetitions?: number;
  kind?: "fixed" | "sprt";
}

/** The rule, or null when no rule within `maxRepetitions` reaches α and β. */
export function chooseDecisionRule(pGood: number, pBad: number, o: DecisionOptions = {}): DecisionRule | null {
  const alpha = o.alpha ?? DEFAULT_WRONG_CALL_BOUND;
  const beta = o.beta ?? DEFAULT_WRONG_CALL_BOUND;
  const maxN = o.maxRepetitions ?? 200;
  if (pGood >= 1 && pBad <= 0) return { rule: "single" };
  if (pGood <= pBad) return null;
  if (o.kind === "sprt") {
    const n = fixedRule(pGood, pBad, alpha, beta, maxN);
    if (!n) return null;
    return { rule: "sprt", pGood, pBad, alpha, beta, maxRepetitions: n.repetitions };
  }
  return fixedRule(pGood, pBad, alpha, beta, maxN);
}

function fixedRule(pGood: number, pBad: number, alpha: number, beta: number, maxN: number): { rule: "fixed"; repetitions: number; minMatches: number } | null {
  for (let n = 1; n <= maxN; n++) {
    // largest k with P[Bin(n, pGood) ≤ k − 1] ≤ α
    let k = 0;
    while (k + 1 <= n && binomialCdf(k, n, pGood) <= alpha) k++;
    if (k === 0) continue;
    if (1 - binomialCdf(k - 1, n, pBad) <= beta) return { rule: "fixed", repetitions: n, minMatches: k };
  }
  return null;
}
