/**
 * Neuron-phase candidates graded on the job pool (`generate --phases neuron,… --jobs N`):
 * each pool thread rebuilds the chip and the neuron faults from the shared job once
 * (parallel/shared-value.ts), then grades the candidates it is sent — a test-weight plan
 * and the state to grade against, both small (neuron-candidate-grade.ts). The phase sends
 * a few candidates ahead and decides in candidate order, so the program is the one
 * `--jobs 1` writes.
 *
 *   const grader = poolCandidateGrader(pool, shareValue(job));
 *   await buildNeuronPhase({ …, grader, lookahead: 2 * pool.size });
 *
 * `poolChipGrader` goes one level finer: the phase's thread finds what a candidate
 * detects, and the guard band's Monte-Carlo chip pairs — the costly part, ~30 s per
 * candidate on bnn-784x1024x10 — are simulated in slices on the pool and folded in chip
 * order (guard-band.ts), so one candidate, or an odd number of them, also uses every thread.
 */
import { taskModule, type JobPool } from "../parallel/job-pool.ts";
import { perThread, readShared, type Shared } from "../parallel/shared-value.ts";
import { candidateGuardBand, gradeCandidate, gradeCandidateWith, planStimulus, type CandidateGrade, type CandidateGrader, type GradeContext, type GradeState } from "./neuron-candidate-grade.ts";
import { guardBandChips, guardBandFarFails, guardBandNominal, type GuardBandChip, type GuardBandChipRunner } from "./guard-band.ts";
import { sliceBounds } from "../parallel/sliced-run.ts";
import { planNetwork } from "./neuron-candidates.ts";
import type { TestWeightPlan } from "./neuron-phase-plan.ts";
import { DEFAULT_FAIL_BOUND } from "./guard-band.ts";
import { neuronPhaseTargets, type NeuronPhaseJob } from "./neuron-phase-targets.ts";

/** One pool task: grade a plan against a state, or simulate chips [from, to) of its guard band (`far`: of the 1.5λ population, at that tolerance). */
export type CandidateGradeTask =
  | { kind: "grade"; job: Shared<NeuronPhaseJob>; plan: TestWeightPlan; state: GradeState }
  | { kind: "chips"; job: Shared<NeuronPhaseJob>; plan: TestWeightPlan; from: number; to: number; far?: number };

const candidateGradeTask = taskModule<CandidateGradeTask, CandidateGrade | GuardBandChip[] | boolean[]>(import.meta.url, "./candidate-grade-task.ts", "candidate-grade-task");

/** A grader that sends each candidate to the pool. */
export function poolCandidateGrader(pool: JobPool, job: Shared<NeuronPhaseJob>, signal?: AbortSignal): CandidateGrader {
  return (cand, state) => pool.run(candidateGradeTask, { kind: "grade", job, plan: cand.plan, state }, { signal }) as Promise<CandidateGrade>;
}

/** Chip slices per pool thread and band: enough to even out a loaded thread. */
const CHIP_SLICES_PER_THREAD = 2;

/** A grader that finds a candidate's detections here and simulates its guard band's chips in slices on the pool. */
export function poolChipGrader(pool: JobPool, job: Shared<NeuronPhaseJob>, ctx: GradeContext, signal?: AbortSignal): CandidateGrader {
  return (cand, state) => {
    const sliced = async <R>(count: number, task: (from: number, to: number) => CandidateGradeTask): Promise<R[]> => {
      const bounds = sliceBounds(count, pool.size, CHIP_SLICES_PER_THREAD);
      const parts = await Promise.all(bounds.slice(0, -1).map((from, k) => pool.run(candidateGradeTask, task(from, bounds[k + 1]), { signal }) as Promise<R[]>));
      return parts.flat();
    };
    const count = candidateGuardBand(ctx, cand.net).count;
    const runner: GuardBandChipRunner = {
      chips: () => sliced<GuardBandChip>(count, (from, to) => ({ kind: "chips", job, plan: cand.plan, from, to })),
      farFails: (far) => sliced<boolean>(count, (from, to) => ({ kind: "chips", job, plan: cand.plan, from, to, far })),
    };
    return gradeCandidateWith(ctx, cand, state, runner);
  };
}

/** What every grade of the job shares. */
export function jobGradeContext(job: NeuronPhaseJob, bench: GradeContext["bench"], targets: GradeContext["targets"]): GradeContext {
  const s = job.settings;
  return { bench, targets, seed: s.seed ?? 1, failBound: s.failBound ?? DEFAULT_FAIL_BOUND, chips: s.chips };
}

/** What the task (candidate-grade-task.ts) runs: the chip and targets built once per thread. */
export function runCandidateGrade(t: CandidateGradeTask): CandidateGrade | GuardBandChip[] | boolean[] {
  const job = readShared(t.job);
  const { loaded, net, targets } = perThread(t.job, "targets", () => neuronPhaseTargets(job));
  const ctx = jobGradeContext(job, loaded.bench, targets);
  const written = planNetwork(net, t.plan);
  if (t.kind === "grade") return gradeCandidate(ctx, { plan: t.plan, net: written }, t.state);
  const gb = candidateGuardBand(ctx, written);
  const stim = planStimulus(written, t.plan);
  const nominal = guardBandNominal(gb, stim);
  return t.far === undefined ? guardBandChips(gb, stim, nominal, t.from, t.to) : guardBandFarFails(gb, stim, nominal, t.far, t.from, t.to);
}
