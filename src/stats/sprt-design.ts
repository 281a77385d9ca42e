/**
 * Designing a truncated SPRT whose wrong-call probabilities are really within α and β:
 * Wald's thresholds only promise α/(1 − β) and β/(1 − α), and truncation moves them
 * again, so every candidate is checked with the exact operating characteristic
 * (`ruleFailProbability`, decision-rules.ts) before it is accepted.
 *
 *   designSprt(0.94, [0.05, 0.4], { alpha: 0.01, beta: 0.01, maxRepetitions: 200 })
 *   // → { rule: { rule: "sprt", pGood: 0.94, pBad: 0.4, alpha: 0.01, beta: 0.01, maxRepetitions: 9 },
 *   //     goodFail: 0.0031, badPass: 0.0087 }
 *
 * Search: the alternatives `pBadCandidates` from the most inclusive (largest) down, each
 * with caps 1 … maxRepetitions; the first (pBad, cap) whose exact P(fail | pGood) ≤ α and
 * P(pass | pBad) ≤ β wins. When none does, pBad shrinks by ×0.7 from the smallest
 * candidate (down to 10⁻⁴; `shrink` false skips this): the rule then says honestly which chips it catches (those
 * matching with probability ≤ pBad), even if no sampled fault is among them. Both error
 * probabilities are monotone in the match probability, so the bounds hold for every chip
 * with p ≥ pGood (α) and p ≤ pBad (β).
 */
import type { DecisionRule } from "../formats/program-format.ts";
import { ruleFailProbability } from "./decision-rules.ts";

export type SprtRule = Extract<DecisionRule, { rule: "sprt" }>;

export interface SprtDesignOptions {
  alpha: number;
  beta: number;
  maxRepetitions: number;
}

export interface SprtDesign {
  rule: SprtRule;
  /** Exact P(fail) of a chip matching with probability pGood (≤ alpha). */
  goodFail: number;
  /** Exact P(pass) of a chip matching with probability pBad (≤ beta). */
  badPass: number;
}

const SIG = 6;
const round = (x: number) => Number(x.toPrecision(SIG));

function tryAlternative(pGood: number, pBad: number, o: SprtDesignOptions): SprtDesign | null {
  if (!(pGood > pBad)) return null;
  for (let n = 1; n <= o.maxRepetitions; n++) {
    const rule: SprtRule = { rule: "sprt", pGood, pBad, alpha: o.alpha, beta: o.beta, maxRepetitions: n };
    const goodFail = ruleFailProbability(rule, pGood);
    if (goodFail > o.alpha) continue;
    const badPass = 1 - ruleFailProbability(rule, pBad);
    if (badPass <= o.beta) return { rule, goodFail, badPass };
  }
  return null;
}

/** The SPRT for match probability ≥ pGood against ≤ pBad, or null when even pBad → 0 needs more than the cap. */
export function designSprt(pGood: number, pBadCandidates: readonly number[], o: SprtDesignOptions, shrink = true): SprtDesign | null {
  const g = round(pGood);
  const candidates = [...new Set(pBadCandidates.map(round))].filter((p) => p < g).sort((a, b) => b - a);
  for (const p of candidates) {
    const d = tryAlternative(g, p, o);
    if (d) return d;
  }
  for (let p = round(Math.min(g, ...candidates) * 0.7); shrink && p >= 1e-4; p = round(p * 0.7)) {
    const d = tryAlternative(g, p, o);
    if (d) return d;
  }
  return null;
}
