/**
 * Pass criteria: how a tester decides whether a chip's response to one vector passes.
 * Each criterion is one entry of `passCriteria`; the bench executor, the fault
 * dictionary, diagnosis and the STDF sink all judge through it, so a new criterion is
 * one more entry here, not one more comparison elsewhere.
 *
 * The interface, `judge(expected, observed) → Judgement`:
 *   expected  what the vector expects (`VectorExpectation`): the good chip's spikes and
 *             the settings the criterion reads — today the timing band and resolution.
 *             A new criterion adds its own optional setting beside them (a per-output
 *             spike-count band, the winning output and its required margin, the bits a
 *             READ must return) and reads only what it needs.
 *   observed  what came back (`ObservedResponse`): the spikes with their windows; a
 *             target that READs adds the bits it read.
 *   Judgement `verdict`: "pass" (matches, as far as the tester can resolve), "possibly"
 *             (the tester passes it, but it differs measurably: a fault simulator counts
 *             the fault as possibly detected) or "fail" (the tester fails the chip: a
 *             fault simulator counts it as detected); `detail`, the criterion's own
 *             account; and what the consumers need, derived from it once:
 *             `signature` (items for diagnosis and the fault dictionary, empty unless
 *             "fail"), `failingOutputs` (STDF) and `mismatch` (spike-level counts for the
 *             datalog record; a criterion without spike differences reports zeros).
 *
 * Today's only criterion, "exact-train": the exact spike train within the timing band
 * (response-rule.ts). Its signature items are `m<output>@<window>` missing,
 * `x<output>@<window>` extra and `s<output>@<window>` shifted beyond the band.
 *
 *   const j = passCriteria["exact-train"].judge({ spikes: expected, toleranceBandPs: 500 }, { spikes: observed });
 *   j.verdict      // "fail"
 *   j.signature    // ["m0@2"]
 */
import type { Mismatch } from "../formats/datalog-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import { FormatError } from "../formats/format-error.ts";
import { isSpikeVector, type Program } from "../formats/program-format.ts";
import { compareSpikes, type CompareVerdict, type ResponseDiff, type TimingBand } from "./response-rule.ts";

/** What a vector expects, with the settings its criterion reads. */
export interface VectorExpectation extends TimingBand {
  /** The good chip's observable spikes. */
  spikes: readonly Spike[];
}

/** What a chip returned for one repetition of a vector. */
export interface ObservedResponse {
  /** Observed spikes with their coding windows. */
  spikes: readonly Spike[];
}

export type CriterionVerdict = "pass" | "possibly" | "fail";

/** A criterion's judgement of one response. */
export interface Judgement<Detail = unknown> {
  verdict: CriterionVerdict;
  /** The criterion's own account (exact-train: the spike differences). */
  detail: Detail;
  /** Failure signature items (diagnosis, fault dictionary); empty unless the verdict is "fail". */
  signature: string[];
  /** Observable outputs whose response is wrong (STDF), ascending; empty unless "fail". */
  failingOutputs: number[];
  /** Spike-level counts for the datalog record. */
  mismatch: Mismatch;
}

/** One pass criterion. */
export interface PassCriterion<Detail = unknown> {
  /** One line for help texts and reports. */
  description: string;
  judge(expected: VectorExpectation, observed: ObservedResponse): Judgement<Detail>;
}

function sortedUnique(xs: Iterable<number>): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

/** Judge a spike-difference account the exact-train way. */
function exactTrainJudgement(d: ResponseDiff): Judgement<ResponseDiff> {
  const mismatch = { missing: d.missing.length, extra: d.extra.length, shifted: d.shifted.length };
  if (!d.differs) return { verdict: d.possiblyDiffers ? "possibly" : "pass", detail: d, signature: [], failingOutputs: [], mismatch };
  const signature = [...d.missing.map((s) => `m${s.output}@${s.window}`), ...d.extra.map((s) => `x${s.output}@${s.window}`), ...d.shifted.map((s) => `s${s.output}@${s.window}`)];
  const failingOutputs = sortedUnique([...d.missing, ...d.extra, ...d.shifted].map((s) => s.output));
  return { verdict: "fail", detail: d, signature, failingOutputs, mismatch };
}

export const passCriteria = {
  "exact-train": {
    description: "every expected spike, and no other, in its output and window within the timing band (resolution-aware)",
    judge: (expected, observed) => exactTrainJudgement(compareSpikes(expected.spikes, observed.spikes, expected)),
  } satisfies PassCriterion<ResponseDiff>,
} as const satisfies Record<string, PassCriterion>;

export type PassCriterionId = keyof typeof passCriteria;

/** The criterion vectors are judged by (programs do not name one yet). */
export const defaultPassCriterion: PassCriterionId = "exact-train";

/** A judgement as the fault engines count it: 0 pass, 1 possibly, 2 fail. */
export function verdictCode(j: Pick<Judgement, "verdict">): CompareVerdict {
  return j.verdict === "fail" ? 2 : j.verdict === "possibly" ? 1 : 0;
}

/**
 * Refuse a program whose vectors name a criterion the registry does not implement yet
 * (the format already describes count-band and class-decision): judging such a vector
 * by another criterion would pass or fail chips for the wrong reason.
 */
export function checkPassCriteria(program: Program, file: string): void {
  program.vectors.forEach((v, i) => {
    if (!isSpikeVector(v) || !v.criterion || v.criterion.kind in passCriteria) return;
    throw new FormatError({
      file,
      where: `vectors[${i}].criterion.kind`,
      expected: `a pass criterion this version judges (${Object.keys(passCriteria).join(", ")})`,
      found: `"${v.criterion.kind}"`,
      hint: "drop the criterion (exact-train is the default) or use a tool version that judges it",
    });
  });
}
