/**
 * Decision rules: how many times a vector is applied and how the outcomes of its
 * repetitions become one pass / fail verdict (the program's `decision`, or a
 * vector's override). A typed registry keyed by rule id: each entry starts the
 * process the bench executor feeds, and gives the probability that the process fails
 * a chip whose repetitions match independently with probability p (the operating
 * characteristic ATPG uses to check α and β).
 *
 *   const d = startDecision({ rule: "fixed", repetitions: 5, minMatches: 4 }, vector);
 *   d.next(true)  // "continue" until the verdict is known, then "pass" or "fail"
 *   ruleFailProbability({ rule: "fixed", repetitions: 5, minMatches: 4 }, 0.9)  // P[Bin(5, 0.9) ≤ 3]
 *
 *   single  apply `vector.repetitions` times (default once); pass when every one matches
 *           (stops at the first mismatch).                       P(fail) = 1 − pⁿ
 *   fixed   apply exactly `repetitions` times; pass when at least `minMatches` match.
 *                                                                P(fail) = P[Bin(n, p) < k]
 *   sprt    Wald's sequential probability ratio test, H0 "good" (a repetition matches
 *           with pGood) against H1 "faulty" (pBad): after m matches and f mismatches the
 *           log-likelihood ratio is m·ln(pBad/pGood) + f·ln((1−pBad)/(1−pGood)); fail at
 *           ≥ ln((1−β)/α), pass at ≤ ln(β/(1−α)); at maxRepetitions pass when it is ≤ 0
 *           (truncated SPRT). P(fail) is evaluated exactly by propagating the probability
 *           of every (repetitions, matches) state the test has not stopped in — O(n²) —
 *           using the same stopping function as the process.
 */
import type { DecisionRule } from "../formats/program-format.ts";
import { binomialCdf } from "./normal-distribution.ts";

/** Default bound on each wrong call of a rule ATPG chooses: α (failing a good chip) and β (passing a bad one). */
export const DEFAULT_WRONG_CALL_BOUND = 1e-3;

export type DecisionStep = "continue" | "pass" | "fail";

export interface DecisionProcess {
  /** Upper bound on repetitions. */
  readonly maxRepetitions: number;
  /** Feed one repetition's outcome. */
  next(match: boolean): DecisionStep;
}

/** What a rule may read from its vector. */
export interface DecisionVector {
  /** Repetitions the vector asks for (the single rule applies them; default 1). */
  repetitions?: number;
}

type RuleOf<K extends DecisionRule["rule"]> = Extract<DecisionRule, { rule: K }>;

/** One decision rule: its process, and the process's fail probability. */
export interface DecisionRuleKind<R extends DecisionRule> {
  /** Upper bound on the repetitions the process applies. */
  maxRepetitions(rule: R, vector: DecisionVector): number;
  /** Decide after `done` repetitions of which `matches` matched. */
  decide(rule: R, done: number, matches: number, vector: DecisionVector): DecisionStep;
  /** Probability that the process fails a chip whose repetitions match with probability p. */
  failProbability(rule: R, p: number, vector: DecisionVector): number;
}

export const decisionRules: { readonly [K in DecisionRule["rule"]]: DecisionRuleKind<RuleOf<K>> } = {
  single: {
    maxRepetitions: (_rule, vector) => vector.repetitions ?? 1,
    decide: (_rule, done, matches, vector) => (matches < done ? "fail" : done >= (vector.repetitions ?? 1) ? "pass" : "continue"),
    failProbability: (_rule, p, vector) => 1 - p ** (vector.repetitions ?? 1),
  },
  fixed: {
    maxRepetitions: (rule) => rule.repetitions,
    decide: (rule, done, matches) => (done < rule.repetitions ? "continue" : matches >= rule.minMatches ? "pass" : "fail"),
    failProbability: (rule, p) => binomialCdf(rule.minMatches - 1, rule.repetitions, p),
  },
  sprt: {
    maxRepetitions: (rule) => rule.maxRepetitions,
    decide: (rule, done, matches) => sprtDecide(sprtConstants(rule), rule.maxRepetitions, done, matches),
    failProbability: sprtFailProbability,
  },
};

export type DecisionRuleId = keyof typeof decisionRules;

function entryOf<R extends DecisionRule>(rule: R): DecisionRuleKind<R> {
  return decisionRules[rule.rule] as unknown as DecisionRuleKind<R>;
}

/** Start the decision process of a rule for one vector. */
export function startDecision(rule: DecisionRule, vector: DecisionVector): DecisionProcess {
  const entry = entryOf(rule);
  let done = 0;
  let matches = 0;
  return {
    maxRepetitions: entry.maxRepetitions(rule, vector),
    next(match) {
      done++;
      if (match) matches++;
      return entry.decide(rule, done, matches, vector);
    },
  };
}

/** Upper bound on the repetitions a rule applies to a vector. */
export function ruleMaxRepetitions(rule: DecisionRule, vector: DecisionVector = {}): number {
  return entryOf(rule).maxRepetitions(rule, vector);
}

/** Probability that `rule` fails a chip whose repetitions match independently with probability p. */
export function ruleFailProbability(rule: DecisionRule, p: number, vector: DecisionVector = {}): number {
  return entryOf(rule).failProbability(rule, p, vector);
}

interface SprtConstants {
  upper: number;
  lower: number;
  onMatch: number;
  onMismatch: number;
}

function sprtConstants(rule: RuleOf<"sprt">): SprtConstants {
  return {
    upper: Math.log((1 - rule.beta) / rule.alpha),
    lower: Math.log(rule.beta / (1 - rule.alpha)),
    onMatch: Math.log(rule.pBad / rule.pGood),
    onMismatch: Math.log((1 - rule.pBad) / (1 - rule.pGood)),
  };
}

function sprtDecide(k: SprtConstants, maxRepetitions: number, done: number, matches: number): DecisionStep {
  const llr = matches * k.onMatch + (done - matches) * k.onMismatch;
  if (llr >= k.upper) return "fail";
  if (llr <= k.lower) return "pass";
  if (done >= maxRepetitions) return llr <= 0 ? "pass" : "fail";
  return "continue";
}

function sprtFailProbability(rule: RuleOf<"sprt">, p: number): number {
  const k = sprtConstants(rule);
  // alive[m]: probability of having seen m matches so far without the test stopping
  let alive = [1];
  let fail = 0;
  for (let done = 1; done <= rule.maxRepetitions; done++) {
    const next = new Array<number>(done + 1).fill(0);
    alive.forEach((q, m) => {
      next[m + 1] += q * p;
      next[m] += q * (1 - p);
    });
    alive = next.map((q, m) => {
      const step = sprtDecide(k, rule.maxRepetitions, done, m);
      if (step === "fail") fail += q;
      return step === "continue" ? q : 0;
    });
  }
  return fail;
}
