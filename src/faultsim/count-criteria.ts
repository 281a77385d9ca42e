/**
 * The variation-tolerant pass criteria of the functional phase: they judge what a
 * deployed network computes, not the exact spike train a good chip happens to give.
 *
 *   count-band      each listed output's spike count (over the vector's windows) lies in
 *                   [min, max]. Signature items `c<output>=<count>` for each output out of
 *                   its band.
 *   class-decision  the winning output is `expectedClass` and leads the runner-up by the
 *                   required margin. Rule most-spikes (default): lead = count(class) −
 *                   max count of any other output (absent outputs count 0), pass when
 *                   lead ≥ marginSpikes. Rule first-spike: the class spikes first and the
 *                   earliest spike of any other output comes ≥ marginPs later (none at
 *                   all: an infinite lead). Signature items `k<winner>` (the observed
 *                   winner, `k-` when no output spikes) and `short<lead>` when the class
 *                   wins by less than the margin.
 *
 * Verdicts: "fail" as above; "possibly" when the criterion passes but the quantity it
 * judges moved from the good chip's (a count of a listed output, or the lead — the
 * tester sees it, and a chip further out in the variation would fail); else "pass".
 *
 *   countBandJudgement([{ output: 0, min: 2, max: 3 }], expected, observed)   // c0=1 → fail
 */
import type { Mismatch } from "../formats/datalog-format.ts";
import type { PassCriterion as CriterionSpec } from "../formats/program-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import { compareSpikes, defaultTimingResolutionPs, type TimingBand } from "./response-rule.ts";

export type CountBandSpec = Extract<CriterionSpec, { kind: "count-band" }>;
export type ClassDecisionSpec = Extract<CriterionSpec, { kind: "class-decision" }>;

/** What count-band found. */
export interface CountBandDetail {
  /** Observed count of each listed output, in band order. */
  counts: number[];
  /** Listed outputs whose count is outside their band. */
  outOfBand: number[];
}

/** What class-decision found. */
export interface ClassDecisionDetail {
  /** The observed winning output (−1 when no output spikes). */
  winner: number;
  /** The class's lead over the runner-up (spikes or ps; −Infinity when it does not spike, Infinity when nothing else does). */
  lead: number;
  /** The good chip's lead on the same vector. */
  expectedLead: number;
}

/** Spikes per output. */
export function spikeCounts(spikes: readonly Spike[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of spikes) m.set(s.output, (m.get(s.output) ?? 0) + 1);
  return m;
}

/** The spike-level differences to the good chip, for the datalog (informative only). */
export function spikeMismatch(expected: readonly Spike[], observed: readonly Spike[], band: TimingBand): Mismatch {
  const d = compareSpikes(expected, observed, band);
  return { missing: d.missing.length, extra: d.extra.length, shifted: d.shifted.length };
}

/** Judge a count band: the fields a Judgement needs. */
export function countBandJudgement(bands: CountBandSpec["bands"], expected: readonly Spike[], observed: readonly Spike[]) {
  const got = spikeCounts(observed);
  const want = spikeCounts(expected);
  const counts = bands.map((b) => got.get(b.output) ?? 0);
  const outOfBand = bands.filter((b, i) => counts[i] < b.min || counts[i] > b.max).map((b) => b.output);
  const moved = bands.some((b, i) => counts[i] !== (want.get(b.output) ?? 0));
  const verdict = outOfBand.length > 0 ? ("fail" as const) : moved ? ("possibly" as const) : ("pass" as const);
  const signature = verdict === "fail" ? bands.filter((b) => outOfBand.includes(b.output)).map((b) => `c${b.output}=${got.get(b.output) ?? 0}`) : [];
  return { verdict, detail: { counts, outOfBand } satisfies CountBandDetail, signature, failingOutputs: verdict === "fail" ? [...new Set(outOfBand)].sort((a, b) => a - b) : [] };
}

/** Winner and lead of a response under a class-decision rule, for class `cls`. */
export function classLead(rule: ClassDecisionSpec["rule"], cls: number, spikes: readonly Spike[]): { winner: number; lead: number } {
  if (rule === "first-spike") {
    let winner = -1;
    let tWin = Infinity;
    let tCls = Infinity;
    let tOther = Infinity;
    for (const s of spikes) {
      if (s.timePs < tWin || (s.timePs === tWin && s.output < winner)) {
        tWin = s.timePs;
        winner = s.output;
      }
      if (s.output === cls) tCls = Math.min(tCls, s.timePs);
      else tOther = Math.min(tOther, s.timePs);
    }
    const lead = tCls === Infinity ? -Infinity : tOther - tCls;
    return { winner, lead };
  }
  const counts = spikeCounts(spikes);
  let winner = -1;
  let best = 0;
  for (const [o, n] of [...counts].sort((a, b) => a[0] - b[0])) {
    if (n > best) {
      best = n;
      winner = o;
    }
  }
  let other = 0;
  for (const [o, n] of counts) if (o !== cls && n > other) other = n;
  return { winner, lead: (counts.get(cls) ?? 0) - other };
}

/** The margin a class-decision criterion requires, in its rule's unit. */
export function requiredMargin(c: ClassDecisionSpec): number {
  return c.rule === "first-spike" ? (c.marginPs ?? 0) : (c.marginSpikes ?? 0);
}

/** Judge a class decision: the fields a Judgement needs. */
export function classDecisionJudgement(c: ClassDecisionSpec, expected: readonly Spike[], observed: readonly Spike[], band: TimingBand) {
  const got = classLead(c.rule, c.expectedClass, observed);
  const want = classLead(c.rule, c.expectedClass, expected);
  const margin = requiredMargin(c);
  // A lead of 0 is a tie: the class does not win it, whatever the margin.
  const wins = got.lead > 0 && got.lead >= margin;
  const res = c.rule === "first-spike" ? (band.timingResolutionPs ?? defaultTimingResolutionPs) : 1;
  const moved = got.lead !== want.lead && !(Math.abs(got.lead - want.lead) < res);
  const verdict = !wins ? ("fail" as const) : moved ? ("possibly" as const) : ("pass" as const);
  const signature = verdict !== "fail" ? [] : got.winner === c.expectedClass ? [`k${got.winner}`, `short${got.lead}`] : [got.winner < 0 ? "k-" : `k${got.winner}`];
  const failingOutputs = verdict !== "fail" ? [] : [...new Set([c.expectedClass, ...(got.winner >= 0 ? [got.winner] : [])])].sort((a, b) => a - b);
  return { verdict, detail: { winner: got.winner, lead: got.lead, expectedLead: want.lead } satisfies ClassDecisionDetail, signature, failingOutputs };
}
