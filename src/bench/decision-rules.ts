/**
 * Decision rules: how many times a vector is applied and how the outcomes of its
 * repetitions become one pass / fail verdict (the program's `decision`, or a
 * vector's override). A typed registry keyed by rule id.
 *
 *   const d = startDecision({ rule: "fixed", repetitions: 5, minMatches: 4 }, vector);
 *   d.next(true)  // "continue" until the verdict is known, then "pass" or "fail"
 *
 *   single  apply `vector.repetitions` times (default once); pass when every one matches
 *           (stops at the first mismatch)
 *   fixed   apply exactly `repetitions` times; pass when at least `minMatches` match
 *   sprt    Wald's sequential probability ratio test, H0 "good" (a repetition matches
 *           with pGood) against H1 "faulty" (pBad): after each outcome add
 *           ln(pBad/pGood) for a match or ln((1−pBad)/(1−pGood)) for a mismatch; fail at
 *           ≥ ln((1−β)/α), pass at ≤ ln(β/(1−α)); at maxRepetitions pass when the sum
 *           is ≤ 0 (truncated SPRT)
 */
import type { DecisionRule, ProgramVector } from "../formats/program-format.ts";

export type DecisionStep = "continue" | "pass" | "fail";

export interface DecisionProcess {
  /** Upper bound on repetitions. */
  readonly maxRepetitions: number;
  /** Feed one repetition's outcome. */
  next(match: boolean): DecisionStep;
}

type RuleOf<K extends DecisionRule["rule"]> = Extract<DecisionRule, { rule: K }>;

export const decisionRules = {
  single: (_rule: RuleOf<"single">, vector: Pick<ProgramVector, "repetitions">): DecisionProcess => {
    const n = vector.repetitions ?? 1;
    let done = 0;
    return {
      maxRepetitions: n,
      next(match) {
        done++;
        if (!match) return "fail";
        return done >= n ? "pass" : "continue";
      },
    };
  },
  fixed: (rule: RuleOf<"fixed">): DecisionProcess => {
    let done = 0;
    let matches = 0;
    return {
      maxRepetitions: rule.repetitions,
      next(match) {
        done++;
        if (match) matches++;
        if (done < rule.repetitions) return "continue";
        return matches >= rule.minMatches ? "pass" : "fail";
      },
    };
  },
  sprt: (rule: RuleOf<"sprt">): DecisionProcess => {
    const upper = Math.log((1 - rule.beta) / rule.alpha);
    const lower = Math.log(rule.beta / (1 - rule.alpha));
    const onMatch = Math.log(rule.pBad / rule.pGood);
    const onMismatch = Math.log((1 - rule.pBad) / (1 - rule.pGood));
    let llr = 0;
    let done = 0;
    return {
      maxRepetitions: rule.maxRepetitions,
      next(match) {
        done++;
        llr += match ? onMatch : onMismatch;
        if (llr >= upper) return "fail";
        if (llr <= lower) return "pass";
        if (done >= rule.maxRepetitions) return llr <= 0 ? "pass" : "fail";
        return "continue";
      },
    };
  },
} as const;

export type DecisionRuleId = keyof typeof decisionRules;

/** Start the decision process of a rule for one vector. */
export function startDecision(rule: DecisionRule, vector: Pick<ProgramVector, "repetitions">): DecisionProcess {
  switch (rule.rule) {
    case "single":
      return decisionRules.single(rule, vector);
    case "fixed":
      return decisionRules.fixed(rule);
    case "sprt":
      return decisionRules.sprt(rule);
  }
}
