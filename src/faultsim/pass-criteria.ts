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
 * "exact-train" (the default): the exact spike train within the timing band
 * (response-rule.ts). Its signature items are `m<output>@<window>` missing,
 * `x<output>@<window>` extra and `s<output>@<window>` shifted beyond the band.
 * "count-band" and "class-decision" (count-criteria.ts, the functional phase): spike
 * counts per output within a band, and the winning output with a margin; they read
 * their settings from `expected.criterion` (the program's criterion object).
 * "first-spike-window" and "no-spike" (window-criteria.ts, Hou et al. ITC 2022): when
 * each output first spikes, in windows.
 *
 *   const j = judgeResponse({ spikes: expected, toleranceBandPs: 500 }, { spikes: observed });
 *   j.verdict      // "fail"
 *   j.signature    // ["m0@2"]
 */
import type { Mismatch } from "../formats/datalog-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import type { PassCriterion as CriterionSpec } from "../formats/program-format.ts";
import { InputError } from "../formats/errors.ts";
import { classDecisionJudgement, countBandJudgement, spikeMismatch, type ClassDecisionDetail, type CountBandDetail } from "./count-criteria.ts";
import { compareSpikes, type CompareVerdict, type ResponseDiff, type TimingBand } from "./response-rule.ts";
import { firstSpikeWindowJudgement, noSpikeJudgement, type FirstSpikeDetail } from "./window-criteria.ts";

/** What a vector expects, with the settings its criterion reads. */
export interface VectorExpectation extends TimingBand {
  /** The good chip's observable spikes. */
  spikes: readonly Spike[];
  /** The program's criterion object (absent: exact-train); count-band and class-decision read their bands and margin here. */
  criterion?: CriterionSpec;
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

/** The criterion object of kind K that a judge reads (a located error when a caller passes another). */
function spec<K extends CriterionSpec["kind"]>(e: VectorExpectation, kind: K): Extract<CriterionSpec, { kind: K }> {
  if (e.criterion?.kind !== kind) throw new InputError(`the ${kind} pass criterion needs its settings in expected.criterion (got ${e.criterion?.kind ?? "none"})`);
  return e.criterion as Extract<CriterionSpec, { kind: K }>;
}

/**
 * A judgement whose spike-level `mismatch` is computed when read: a fault simulator
 * judging thousands of responses by window never reads it; the datalog does.
 */
function withLazyMismatch<D>(j: Omit<Judgement<D>, "mismatch">, expected: VectorExpectation, observed: ObservedResponse): Judgement<D> {
  let m: Mismatch | undefined;
  return {
    ...j,
    get mismatch() {
      return (m ??= spikeMismatch(expected.spikes, observed.spikes, expected));
    },
  };
}

export const passCriteria = {
  "exact-train": {
    description: "every expected spike, and no other, in its output and window within the timing band (resolution-aware)",
    judge: (expected, observed) => exactTrainJudgement(compareSpikes(expected.spikes, observed.spikes, expected)),
  } satisfies PassCriterion<ResponseDiff>,
  "count-band": {
    description: "each listed output's spike count within its band [min, max] (from Monte-Carlo good chips)",
    judge: (expected, observed) => ({
      ...countBandJudgement(spec(expected, "count-band").bands, expected.spikes, observed.spikes),
      mismatch: spikeMismatch(expected.spikes, observed.spikes, expected),
    }),
  } satisfies PassCriterion<CountBandDetail>,
  "class-decision": {
    description: "the winning output (most spikes, or first spike) is the expected class, ahead of the runner-up by the margin",
    judge: (expected, observed) => ({
      ...classDecisionJudgement(spec(expected, "class-decision"), expected.spikes, observed.spikes, expected),
      mismatch: spikeMismatch(expected.spikes, observed.spikes, expected),
    }),
  } satisfies PassCriterion<ClassDecisionDetail>,
  "first-spike-window": {
    description: "each judged output spikes first in a window within [firstWindow, lastWindow] (Hou et al. ITC 2022: S a b)",
    judge: (expected, observed) => withLazyMismatch(firstSpikeWindowJudgement(spec(expected, "first-spike-window"), expected.spikes, observed.spikes), expected, observed),
  } satisfies PassCriterion<FirstSpikeDetail>,
  "no-spike": {
    description: "no judged output spikes within the first n windows (Hou et al. ITC 2022: SZ n)",
    judge: (expected, observed) => withLazyMismatch(noSpikeJudgement(spec(expected, "no-spike"), expected.spikes, observed.spikes), expected, observed),
  } satisfies PassCriterion<FirstSpikeDetail>,
} as const satisfies Record<CriterionSpec["kind"], PassCriterion>;

export type PassCriterionId = keyof typeof passCriteria;

/** The criterion a vector without one is judged by. */
export const defaultPassCriterion: PassCriterionId = "exact-train";

/** Whether a vector is judged by the exact spike train (the fast engine's per-train shortcut applies). */
export function isExactTrain(criterion: CriterionSpec | undefined): boolean {
  return (criterion?.kind ?? defaultPassCriterion) === "exact-train";
}

/** Judge one response by the vector's own criterion (`expected.criterion`, default exact-train). */
export function judgeResponse(expected: VectorExpectation, observed: ObservedResponse): Judgement {
  return passCriteria[expected.criterion?.kind ?? defaultPassCriterion].judge(expected, observed);
}

/** A judgement as the fault engines count it: 0 pass, 1 possibly, 2 fail. */
export function verdictCode(j: Pick<Judgement, "verdict">): CompareVerdict {
  return j.verdict === "fail" ? 2 : j.verdict === "possibly" ? 1 : 0;
}

/** The fault engines' verdict on a faulty response: the vector's criterion judging it against the good chip's. */
export function responseVerdict(vec: TimingBand & { criterion?: CriterionSpec }, good: readonly Spike[], faulty: readonly Spike[]): CompareVerdict {
  return verdictCode(judgeResponse({ spikes: good, toleranceBandPs: vec.toleranceBandPs, timingResolutionPs: vec.timingResolutionPs, criterion: vec.criterion }, { spikes: faulty }));
}
