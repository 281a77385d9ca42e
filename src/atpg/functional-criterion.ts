/**
 * A functional vector's pass criterion, fitted to Monte-Carlo good chips: the
 * nominal chip's response and those of N chips drawn under the bench's variation
 * (variability-model.ts) decide the bands and the margin, so that every one of those
 * chips passes.
 *
 *   class      the nominal chip's winner under the bench's readout (most-spikes, or
 *              first-spike when the testbench declares `readout: "first-spike"`),
 *              when it wins strictly (lead > 0: a tie decides nothing);
 *   rejected   when the nominal chip decides a class and a Monte-Carlo chip names
 *              another or ties ("class-disagrees"); a class decision also when the
 *              nominal chip decides none ("no-class" — a count band needs no class: on
 *              mlp-16x8x4 every output fires in the same windows for most inputs);
 *   count-band per observable output, [min, max] = the range of its spike count over
 *              the nominal chip and the Monte-Carlo chips (no widening: the hold-out
 *              population of functional-phase.ts measures what that costs in yield);
 *   class-decision  margin = min(smallest lead over those chips, μ − z·σ of the leads)
 *              rounded down (spikes for most-spikes, ps for first-spike), z = Φ⁻¹(1 − failBound)
 *              (failBound 1e-3 by default, as the guard band's): every chip passes it, and
 *              a fresh chip with a Gaussian lead falls below it with probability ≤ failBound.
 *              When μ − z·σ ≤ 0 the class itself is that likely to flip: rejected
 *              ("thin-margin"). A lead is infinite when no other output spikes: such
 *              chips are left out of μ and σ, and when every chip has one the margin is
 *              the vector's duration (any other output spiking fails it).
 *
 *   fitFunctionalCriterion("count-band", "most-spikes", { outputs: 4, horizonPs: 40000 }, nominal, chips)
 *     → { ok: true, criterion: { kind: "count-band", bands: [...] }, cls: 2, nominalLead: 3, minLead: 1 }
 */
import type { PassCriterion as CriterionSpec } from "../formats/program-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import { classLead, spikeCounts } from "../faultsim/count-criteria.ts";
import { normalQuantile } from "../stats/normal-distribution.ts";
import { DEFAULT_FAIL_BOUND } from "./guard-band.ts";

export type FunctionalCriterionKind = "count-band" | "class-decision";
export type ReadoutRule = "most-spikes" | "first-spike";
export type RejectReason = "no-class" | "class-disagrees" | "thin-margin";

export type CriterionFit =
  | { ok: true; criterion: CriterionSpec; cls: number; nominalLead: number; minLead: number }
  | { ok: false; reason: RejectReason; detail: string };

/** The winning output of a response and its lead over the runner-up (−1, −Infinity when nothing spikes). */
export function topTwoMargin(rule: ReadoutRule, spikes: readonly Spike[]): { winner: number; lead: number } {
  const { winner } = classLead(rule, -1, spikes);
  if (winner < 0) return { winner, lead: -Infinity };
  return { winner, lead: classLead(rule, winner, spikes).lead };
}

export interface FitOptions {
  /** Observable outputs of the bench. */
  outputs: number;
  /** The vector's duration, ps (the first-spike margin when no other output ever spikes). */
  horizonPs: number;
  /** Largest acceptable probability that a fresh good chip's lead falls below the margin (default 1e-3). */
  failBound?: number;
}

/** Fit the criterion of one candidate vector (cls −1: the nominal chip decides no class) to the nominal chip and the Monte-Carlo chips (see header). */
export function fitFunctionalCriterion(kind: FunctionalCriterionKind, rule: ReadoutRule, o: FitOptions, nominal: readonly Spike[], chips: readonly (readonly Spike[])[]): CriterionFit {
  const nom = topTwoMargin(rule, nominal);
  const decided = nom.winner >= 0 && nom.lead > 0;
  if (!decided && kind === "class-decision") return { ok: false, reason: "no-class", detail: nom.winner < 0 ? "no output spikes" : `outputs tie (lead ${nom.lead})` };
  let minLead = nom.lead;
  for (let k = 0; decided && k < chips.length; k++) {
    const { winner, lead } = classLead(rule, nom.winner, chips[k]);
    if (winner !== nom.winner || !(lead > 0)) return { ok: false, reason: "class-disagrees", detail: `Monte-Carlo chip ${k} ${winner === nom.winner ? "ties" : `decides ${winner < 0 ? "nothing" : winner}`}, the nominal chip ${nom.winner}` };
    minLead = Math.min(minLead, lead);
  }
  if (kind === "class-decision") {
    const leads = [nominal, ...chips].map((r) => classLead(rule, nom.winner, r).lead).filter(Number.isFinite);
    let margin = Number.isFinite(minLead) ? minLead : Math.round(o.horizonPs);
    if (leads.length > 1) {
      const mu = leads.reduce((a, b) => a + b, 0) / leads.length;
      const sigma = Math.sqrt(leads.reduce((a, b) => a + (b - mu) ** 2, 0) / (leads.length - 1));
      const bound = mu - normalQuantile(1 - (o.failBound ?? DEFAULT_FAIL_BOUND)) * sigma;
      if (!(bound > 0)) return { ok: false, reason: "thin-margin", detail: `lead ${mu.toFixed(1)} ± ${sigma.toFixed(1)} over the chips: the class flips too often` };
      margin = Math.min(margin, bound);
    }
    margin = Math.floor(margin);
    const criterion: CriterionSpec =
      rule === "first-spike" ? { kind: "class-decision", expectedClass: nom.winner, rule, marginPs: margin } : { kind: "class-decision", expectedClass: nom.winner, marginSpikes: margin };
    return { ok: true, criterion, cls: nom.winner, nominalLead: nom.lead, minLead };
  }
  const all = [nominal, ...chips].map(spikeCounts);
  const bands = Array.from({ length: o.outputs }, (_, output) => {
    const n = all.map((m) => m.get(output) ?? 0);
    return { output, min: Math.min(...n), max: Math.max(...n) };
  });
  return { ok: true, criterion: { kind: "count-band", bands }, cls: decided ? nom.winner : -1, nominalLead: nom.lead, minLead };
}
