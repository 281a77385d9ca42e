/**
 * What a stochastic chip's vector expects and how its repetitions are decided: the
 * modal good response over sampled repetitions, the match probability of the good chip
 * and of the vector's target faults, and the decision rule (decision-rule.ts).
 *
 *   const s = stochasticExpectation(input, kept, targets, { decision: "sprt", alpha: 0.01, beta: 0.01 });
 *   s.rule   // { rule: "sprt", pGood: 0.93, pBad: 0.12, alpha: 0.01, beta: 0.01, maxRepetitions: 11 }
 *
 *   fixed  (default) point estimates of p_good and p_bad (the worst of four targets),
 *          shrunk half a sample off 0 and 1; `chooseDecisionRule`.
 *   sprt   the vector is judged on the event that separates best: its exact train, or one
 *          output spiking at least once (first-spike-window over the whole vector), or
 *          one output staying silent (no-spike) — whichever catches the most targets,
 *          then with the fewest repetitions; a repetition matches as the bench judges it (pass-criteria.ts on spike times
 *          rounded to the bench tick, as the simulated chip reports them); p_good is the
 *          one-sided 97.5 % Wilson lower bound of the good chip's sampled match rate and
 *          each target's p_bad its upper bound, so α and β hold for the true
 *          probabilities unless an estimate is off (≤ 2.5 % each); the truncated SPRT is
 *          designed and its exact errors checked by stats/sprt-design.ts. Samples use
 *          repetition salts 10⁶ + k, streams a bench run (salts 0, 1, …) never replays.
 */
import type { DecisionRule, PassCriterion } from "../formats/program-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import { goodResponse } from "../faultsim/good-response.ts";
import { judgeResponse } from "../faultsim/pass-criteria.ts";
import { compareSpikes } from "../faultsim/response-rule.ts";
import { applyPerturbations } from "../sim/perturbation.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { wilsonInterval, wilsonUpper, Z95 } from "../stats/binomial-confidence.ts";
import { DEFAULT_WRONG_CALL_BOUND, ruleFailProbability } from "../stats/decision-rules.ts";
import { designSprt, type SprtDesign } from "../stats/sprt-design.ts";
import { chooseDecisionRule } from "./decision-rule.ts";
import type { GenerateInput, KeptVector } from "./program-generator.ts";

/** How stochastic vectors are decided (`generate --decision`). */
export interface StochasticDecisionOptions {
  /** Rule family (default fixed). */
  decision?: "fixed" | "sprt";
  /** Repetitions sampled per chip to estimate match probabilities (default 64). */
  stochasticSamples?: number;
  /** Bound on failing a good chip (default `DEFAULT_WRONG_CALL_BOUND`). */
  alpha?: number;
  /** Bound on passing a faulty chip (default `DEFAULT_WRONG_CALL_BOUND`). */
  beta?: number;
  /** Most repetitions a rule may ask for (default 200). */
  maxRepetitions?: number;
}

export interface StochasticExpectation {
  expected: Spike[];
  rule: DecisionRule;
  /** P(fail) of the good chip under `rule` (exact for sprt at the bound p_good; fixed: bound). */
  goodFailProbability: number;
  /** sprt: the judged event (absent: the exact train). */
  criterion?: PassCriterion;
  /** sprt: the rule reached α and β; false = no rule within the cap (fixed 1/1, its P(fail) stated). */
  designed: boolean;
}

/** Repetitions sampled per chip when `stochasticSamples` is not given. */
export const DEFAULT_STOCHASTIC_SAMPLES = 64;

/** First salt of the generation samples (a bench run uses salts from 0). */
export const SAMPLE_SALT_BASE = 1_000_000;

const key = (r: readonly Spike[]) => r.map((s) => `${s.output}@${s.window}`).join(",");

function modal(samples: readonly Spike[][]): Spike[] {
  const counts = new Map<string, number>();
  let mode = samples[0];
  let best = 0;
  for (const s of samples) {
    const c = (counts.get(key(s)) ?? 0) + 1;
    counts.set(key(s), c);
    if (c > best) {
      best = c;
      mode = s;
    }
  }
  return mode;
}

/** Spikes as the simulated chip reports them: times at the bench tick. */
function atTick(spikes: readonly Spike[], tickPs: number): Spike[] {
  return spikes.map((s) => ({ ...s, timePs: Math.round(s.timePs / tickPs) * tickPs }));
}

/** The judged events a stochastic vector may be decided on: its exact train, or one output spiking / staying silent. */
function candidateCriteria(samples: readonly Spike[][], windows: number): (PassCriterion | undefined)[] {
  const outs = new Set<number>();
  for (const r of samples) for (const sp of r) outs.add(sp.output);
  const sorted = [...outs].sort((x, y) => x - y);
  return [
    undefined,
    ...sorted.map((o): PassCriterion => ({ kind: "first-spike-window", firstWindow: 0, lastWindow: windows - 1, outputs: [o] })),
    ...sorted.map((o): PassCriterion => ({ kind: "no-spike", windows, outputs: [o] })),
  ];
}

/** Expected response, criterion, rule and good-chip failure probability of one kept vector. */
export function stochasticExpectation(input: GenerateInput, k: KeptVector, targets: readonly string[], o: StochasticDecisionOptions): StochasticExpectation {
  const n = o.stochasticSamples ?? DEFAULT_STOCHASTIC_SAMPLES;
  const alpha = o.alpha ?? DEFAULT_WRONG_CALL_BOUND;
  const beta = o.beta ?? DEFAULT_WRONG_CALL_BOUND;
  const sprt = o.decision === "sprt";
  const tickPs = input.loaded.bench.timing.tickPs;
  const salt = (rep: number) => (sprt ? SAMPLE_SALT_BASE + rep : rep);
  const respond = (net: CompiledNetwork, rep: number) => {
    const obs = goodResponse(net, k.simVector, salt(rep)).observed;
    return sprt ? atTick(obs, tickPs) : obs;
  };
  const samples = Array.from({ length: n }, (_, rep) => respond(input.net, rep));
  const expected = modal(samples);
  const band = k.guard.toleranceBandPs;
  const byId = new Map(input.faults.map((f) => [f.id, f]));
  const faultySamples: Spike[][][] = [];
  for (const id of targets.slice(0, 4)) {
    const f = byId.get(id);
    if (!f) continue;
    const faulty = applyPerturbations(input.net, f.perturbations);
    faultySamples.push(Array.from({ length: n }, (_, rep) => respond(faulty, rep)));
  }
  if (!sprt) {
    const matches = (r: readonly Spike[]) => !compareSpikes(expected, r, { toleranceBandPs: band }).differs;
    // Empirical frequencies of 0 or 1 are not certainties: shrink them by half a sample.
    const pg = Math.min(samples.filter(matches).length / n, 1 - 0.5 / n);
    const pb = Math.max(Math.max(0, ...faultySamples.map((fs) => fs.filter(matches).length)) / n, 0.5 / n);
    const rule = chooseDecisionRule(pg, pb, { alpha, beta }) ?? { rule: "fixed" as const, repetitions: 1, minMatches: 1 };
    return { expected, rule, goodFailProbability: alpha, designed: true };
  }
  // SPRT: every candidate criterion judged on the same samples, as the bench judges; the one that
  // catches the most targets, then with the fewest repetitions, wins.
  const judged = candidateCriteria([samples, ...faultySamples].flat(), k.simVector.stimulus.windows).map((criterion) => {
    const matches = (r: readonly Spike[]) => judgeResponse({ spikes: expected, toleranceBandPs: band, timingResolutionPs: tickPs, criterion }, { spikes: r }).verdict !== "fail";
    return { criterion, pGood: wilsonInterval(samples.filter(matches).length, n, Z95).low, pBads: faultySamples.map((fs) => wilsonUpper(fs.filter(matches).length, n, Z95)) };
  });
  let best: { criterion?: PassCriterion; design: SprtDesign; uncovered: number } | null = null;
  // First against the targets' own bounds; only when no criterion reaches one, against smaller alternatives.
  for (const shrink of [false, true]) {
    for (const c of judged) {
      const design = designSprt(c.pGood, c.pBads, { alpha, beta, maxRepetitions: o.maxRepetitions ?? 200 }, shrink);
      if (!design) continue;
      const uncovered = c.pBads.filter((p) => p > design.rule.pBad).length;
      if (!best || uncovered < best.uncovered || (uncovered === best.uncovered && design.rule.maxRepetitions < best.design.rule.maxRepetitions)) best = { criterion: c.criterion, design, uncovered };
    }
    if (best) break;
  }
  const exactLow = judged[0].pGood;
  if (best) return { expected, criterion: best.criterion, rule: best.design.rule, goodFailProbability: best.design.goodFail, designed: true };
  const rule: DecisionRule = { rule: "fixed", repetitions: 1, minMatches: 1 };
  return { expected, rule, goodFailProbability: ruleFailProbability(rule, exactLow), designed: false };
}
