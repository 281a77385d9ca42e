/**
 * Grading one neuron-phase candidate (neuron-phase.ts): which neuron faults its vector
 * detects on the nominal chip with the test weights written, whether Monte-Carlo good
 * chips pass it (guard-band.ts), and what it detects at the tolerance band they need. A
 * grade depends only on the candidate and the state it is graded against, so pool
 * threads grade candidates ahead while the phase decides in candidate order
 * (neuron-candidate-pool.ts) — the kept vectors are the same for every --jobs.
 *
 * The state lets a grade skip the guard band (the costly part) for a candidate of no use:
 * pass 1 (detection) — useful when it detects a target no kept vector detects; pass 2
 * (diagnosis) — useful when it splits a group of detected targets the kept vectors fail
 * identically. Both only shrink as vectors are kept (detected sets grow, groups refine),
 * so a candidate of no use against an earlier state is of no use later.
 *
 *   const g = gradeCandidate(ctx, cand, { pass: 1, groupOf });   // g.first, g.gb?.accepted, g.hits
 */
import { faultEngines } from "../faultsim/engine-registry.ts";
import type { Fault } from "../faults/fault.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { candidateStimulus } from "./candidate-vector.ts";
import { createGuardBand, evaluateGuardBand, evaluateGuardBandWith, type GuardBandChipRunner, type VectorGuardBand } from "./guard-band.ts";
import { planPattern, planWindows, type TestWeightPlan } from "./neuron-phase-plan.ts";

/** Tolerance band of a candidate's first grading, ps. */
export const PROBE_BAND_PS = 500;

/** What every grade of a phase shares. */
export interface GradeContext {
  bench: Testbench;
  /** The phase's targets (neuron faults), in order: grades name them by index. */
  targets: readonly Fault[];
  seed: number;
  failBound: number;
  chips?: number;
}

/** Pass 1: groupOf[i] = 0 for a detected target, −1 otherwise. Pass 2: the group of each detected target (−1: undetected). */
export interface GradeState {
  pass: 1 | 2;
  groupOf: Int32Array;
}

export interface CandidateGrade {
  /** Targets detected at the probe band (ascending). */
  first: number[];
  /** The guard band; null when `first` was of no use against the state graded for (not computed). */
  gb: { goodFailProbability: number; accepted: boolean; toleranceBandPs: number } | null;
  /** Targets detected at the band the good chips need (when accepted). */
  hits: number[] | null;
}

/** Grades a candidate against a state, here or on another thread. */
export type CandidateGrader = (cand: { plan: TestWeightPlan; net: CompiledNetwork }, state: GradeState) => Promise<CandidateGrade>;

/** Whether detecting `hits` helps the phase in `state`. */
export function isUseful(state: GradeState, hits: readonly number[]): boolean {
  if (state.pass === 1) return hits.some((i) => state.groupOf[i] < 0);
  const size = new Map<number, number>();
  for (const g of state.groupOf) if (g >= 0) size.set(g, (size.get(g) ?? 0) + 1);
  const inHits = new Map<number, number>();
  for (const i of hits) {
    const g = state.groupOf[i];
    if (g >= 0) inHits.set(g, (inHits.get(g) ?? 0) + 1);
  }
  for (const [g, n] of inHits) if (size.get(g)! > 1 && n < size.get(g)!) return true;
  return false;
}

export function gradeCandidate(ctx: GradeContext, cand: { plan: TestWeightPlan; net: CompiledNetwork }, state: GradeState): CandidateGrade {
  return gradeSteps(ctx, cand, state, (gb, stimulus) => evaluateGuardBand(gb, stimulus));
}

/** gradeCandidate with the guard band's Monte-Carlo chips simulated by `runner(stimulus)` (slices on the job pool): the same grade. */
export async function gradeCandidateWith(ctx: GradeContext, cand: { plan: TestWeightPlan; net: CompiledNetwork }, state: GradeState, runner: GuardBandChipRunner): Promise<CandidateGrade> {
  let band: Promise<VectorGuardBand> | null = null;
  const steps = gradeSteps(ctx, cand, state, (gb, stimulus) => {
    band = evaluateGuardBandWith(gb, stimulus, runner);
    return null;
  });
  if (!band) return steps;
  return gradeSteps(ctx, cand, state, () => null, await band, steps.first);
}

/** The grade's steps; `band` computes the guard band (or null when it is given as `known`, computed elsewhere). */
function gradeSteps(
  ctx: GradeContext,
  cand: { plan: TestWeightPlan; net: CompiledNetwork },
  state: GradeState,
  band: (gb: ReturnType<typeof createGuardBand>, stimulus: ReturnType<typeof candidateStimulus>) => VectorGuardBand | null,
  known?: VectorGuardBand,
  firstKnown?: number[],
): CandidateGrade {
  const { plan } = cand;
  const stimulus = candidateStimulus({ pattern: planPattern(cand.net, plan), windows: planWindows(cand.net, plan), iwPs: plan.iwPs, lwPs: plan.lwPs });
  const tick = ctx.bench.timing.tickPs;
  const hitsAt = (band: number) => {
    const r = faultEngines.fast.run(cand.net, ctx.targets, [{ id: "probe", stimulus, toleranceBandPs: band, timingResolutionPs: tick }], { drop: true, proveUndetectable: false });
    return r.outcomes.flatMap((x, i) => (x.cls === "DT" ? [i] : []));
  };
  const first = firstKnown ?? hitsAt(PROBE_BAND_PS);
  if (!isUseful(state, first)) return { first, gb: null, hits: null };
  const g = known ?? band(candidateGuardBand(ctx, cand.net), stimulus);
  if (!g) return { first, gb: null, hits: null }; // computed elsewhere: gradeCandidateWith comes back with it
  const gb = { goodFailProbability: g.goodFailProbability, accepted: g.accepted, toleranceBandPs: g.toleranceBandPs };
  return { first, gb, hits: !gb.accepted ? null : gb.toleranceBandPs === PROBE_BAND_PS ? first : hitsAt(gb.toleranceBandPs) };
}

/** The guard band of a candidate's written chip (its Monte-Carlo chips drawn as they are simulated). */
export function candidateGuardBand(ctx: Pick<GradeContext, "bench" | "seed" | "failBound" | "chips">, net: CompiledNetwork) {
  return createGuardBand(net, ctx.bench, { seed: ctx.seed, failBound: ctx.failBound, tickPs: ctx.bench.timing.tickPs, chips: ctx.chips, streaming: true });
}

/** The stimulus of a candidate's vector. */
export function planStimulus(net: CompiledNetwork, plan: TestWeightPlan) {
  return candidateStimulus({ pattern: planPattern(net, plan), windows: planWindows(net, plan), iwPs: plan.iwPs, lwPs: plan.lwPs });
}
