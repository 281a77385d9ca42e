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
 */
import { taskModule, type JobPool } from "../parallel/job-pool.ts";
import { perThread, readShared, type Shared } from "../parallel/shared-value.ts";
import { gradeCandidate, type CandidateGrade, type CandidateGrader, type GradeState } from "./neuron-candidate-grade.ts";
import { planNetwork } from "./neuron-candidates.ts";
import type { TestWeightPlan } from "./neuron-phase-plan.ts";
import { DEFAULT_FAIL_BOUND } from "./guard-band.ts";
import { neuronPhaseTargets, type NeuronPhaseJob } from "./neuron-phase-targets.ts";

/** One pool task: grade a plan against a state. */
export interface CandidateGradeTask {
  job: Shared<NeuronPhaseJob>;
  plan: TestWeightPlan;
  state: GradeState;
}

const candidateGradeTask = taskModule<CandidateGradeTask, CandidateGrade>(import.meta.url, "./candidate-grade-task.ts", "candidate-grade-task");

/** A grader that sends each candidate to the pool. */
export function poolCandidateGrader(pool: JobPool, job: Shared<NeuronPhaseJob>, signal?: AbortSignal): CandidateGrader {
  return (cand, state) => pool.run(candidateGradeTask, { job, plan: cand.plan, state }, { signal });
}

/** What the task (candidate-grade-task.ts) runs: the chip and targets built once per thread. */
export function runCandidateGrade(t: CandidateGradeTask): CandidateGrade {
  const job = readShared(t.job);
  const { loaded, net, targets } = perThread(t.job, "targets", () => neuronPhaseTargets(job));
  const s = job.settings;
  return gradeCandidate({ bench: loaded.bench, targets, seed: s.seed ?? 1, failBound: s.failBound ?? DEFAULT_FAIL_BOUND, chips: s.chips }, { plan: t.plan, net: planNetwork(net, t.plan) }, t.state);
}
