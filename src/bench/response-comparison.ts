/**
 * The bench's verdict on one response: the target's raw spikes get their coding
 * windows, then the vector's pass criterion (src/faultsim/pass-criteria.ts) judges
 * them against the expected spikes. A repetition matches unless the criterion says
 * "fail" — a within-band shift ("possibly") passes at the bench — so the bench fails
 * exactly the vectors the fault simulator says a fault is detected by.
 *
 *   compareResponse(expected, observed, { toleranceBandPs: 500, periodPs: 10000 })
 *     → { match: false, mismatch: { missing: 0, extra: 1, shifted: 0 }, spikes: [...], judgement }
 *
 * `judgeRepetition` judges a datalog record again the same way (diagnosis, STDF).
 */
import type { DatalogVector, Mismatch, RepetitionRecord } from "../formats/datalog-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import type { PassCriterion as CriterionSpec } from "../formats/program-format.ts";
import { judgeResponse, type Judgement } from "../faultsim/pass-criteria.ts";
import type { TimingBand } from "../faultsim/response-rule.ts";

export interface ComparisonOptions extends TimingBand {
  /** Coding window period used by the target (iw + lw), ps: gives each observed spike its window. */
  periodPs: number;
  /** The vector's pass criterion (absent: exact-train). */
  criterion?: CriterionSpec;
}

export interface ComparisonResult {
  match: boolean;
  mismatch: Mismatch;
  /** The observed spikes with their windows, sorted by time then output. */
  spikes: Spike[];
  judgement: Judgement;
}

/** Give raw target spikes their windows, sorted by time then output. */
export function withWindows(spikes: readonly { output: number; timePs: number }[], periodPs: number): Spike[] {
  return spikes
    .map((s) => ({ output: s.output, window: Math.floor(s.timePs / periodPs), timePs: Math.round(s.timePs) }))
    .sort((a, b) => a.timePs - b.timePs || a.output - b.output);
}

export function compareResponse(expected: readonly Spike[], observed: readonly { output: number; timePs: number }[], o: ComparisonOptions): ComparisonResult {
  const spikes = withWindows(observed, o.periodPs);
  const judgement = judgeResponse({ spikes: expected, toleranceBandPs: o.toleranceBandPs, timingResolutionPs: o.timingResolutionPs, criterion: o.criterion }, { spikes });
  return { match: judgement.verdict !== "fail", mismatch: judgement.mismatch, spikes, judgement };
}

/** Judge one repetition of a datalog vector record again (its expected spikes and band are in the record). */
export function judgeRepetition(v: Pick<DatalogVector, "expected" | "toleranceBandPs" | "criterion">, r: Pick<RepetitionRecord, "spikes">): Judgement {
  return judgeResponse({ spikes: v.expected, toleranceBandPs: v.toleranceBandPs, criterion: v.criterion }, { spikes: r.spikes });
}
