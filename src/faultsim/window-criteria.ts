/**
 * Pass criteria on *when* outputs first spike, counted in coding windows (ticks): the
 * tests of Hou et al., ITC 2022 (kwhou/snn_fault_simulator `test_procedure.py`
 * `spike_command`, `get_tf`), as entries of the criterion registry (pass-criteria.ts).
 *
 *   first-spike-window  each judged output's first spike falls in a window within
 *                       [firstWindow, lastWindow] (from 0). Hou's `S a b` runs b ticks and
 *                       fails when the first-spike tick t_f (from 1) is < a or > b, i.e.
 *                       windows [a − 1, b − 1]; no spike at all fails. Signature items
 *                       `f<output>@<window>` (first spike outside the band) and `f<output>@-`
 *                       (none).
 *   no-spike            no judged output spikes in windows 0 … windows − 1. Hou's `SZ n`
 *                       fails when t_f ≤ n. Signature items `x<output>@<window>` (its first
 *                       spike).
 *
 * Judged outputs: the criterion's `outputs`, else every output that appears in the good
 * or the observed response — callers that know the pin count pass it in `outputs`.
 * Verdicts: "fail" as above; "possibly" when the criterion passes but a judged output's
 * first-spike window moved from the good chip's; else "pass".
 *
 *   firstSpikeWindowJudgement({ firstWindow: 4, lastWindow: 40, outputs: [0] }, good, [{ output: 0, window: 42, timePs: 0 }])
 *     → verdict "fail", signature ["f0@42"]
 */
import type { PassCriterion as CriterionSpec } from "../formats/program-format.ts";
import type { Spike } from "../formats/spike-format.ts";

export type FirstSpikeWindowSpec = Extract<CriterionSpec, { kind: "first-spike-window" }>;
export type NoSpikeSpec = Extract<CriterionSpec, { kind: "no-spike" }>;

/** What a window criterion found: each judged output's first-spike window (null: none). */
export interface FirstSpikeDetail {
  outputs: number[];
  firstWindows: (number | null)[];
}

/** First-spike window of each output. */
export function firstSpikeWindows(spikes: readonly Spike[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const s of spikes) {
    const w = m.get(s.output);
    if (w === undefined || s.window < w) m.set(s.output, s.window);
  }
  return m;
}

function judgedOutputs(listed: readonly number[] | undefined, expected: readonly Spike[], observed: readonly Spike[]): number[] {
  if (listed) return [...listed];
  return [...new Set([...expected, ...observed].map((s) => s.output))].sort((a, b) => a - b);
}

function judgement(outputs: number[], expected: readonly Spike[], observed: readonly Spike[], bad: (w: number | null) => boolean, item: (o: number, w: number | null) => string) {
  const got = firstSpikeWindows(observed);
  const want = firstSpikeWindows(expected);
  const firstWindows = outputs.map((o) => got.get(o) ?? null);
  const failing = outputs.filter((_, i) => bad(firstWindows[i]));
  const moved = outputs.some((o, i) => firstWindows[i] !== (want.get(o) ?? null));
  const verdict = failing.length > 0 ? ("fail" as const) : moved ? ("possibly" as const) : ("pass" as const);
  const signature = verdict === "fail" ? failing.map((o) => item(o, got.get(o) ?? null)) : [];
  return { verdict, detail: { outputs, firstWindows } satisfies FirstSpikeDetail, signature, failingOutputs: verdict === "fail" ? failing : [] };
}

/** Judge "first spike within windows [firstWindow, lastWindow]". */
export function firstSpikeWindowJudgement(c: Pick<FirstSpikeWindowSpec, "firstWindow" | "lastWindow" | "outputs">, expected: readonly Spike[], observed: readonly Spike[]) {
  return judgement(
    judgedOutputs(c.outputs, expected, observed),
    expected,
    observed,
    (w) => w === null || w < c.firstWindow || w > c.lastWindow,
    (o, w) => `f${o}@${w ?? "-"}`,
  );
}

/** Judge "no spike within the first `windows` windows". */
export function noSpikeJudgement(c: Pick<NoSpikeSpec, "windows" | "outputs">, expected: readonly Spike[], observed: readonly Spike[]) {
  return judgement(
    judgedOutputs(c.outputs, expected, observed),
    expected,
    observed,
    (w) => w !== null && w < c.windows,
    (o, w) => `x${o}@${w}`,
  );
}
