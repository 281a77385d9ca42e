/**
 * The job-pool task that grades one neuron-phase candidate (neuron-candidate-pool.ts).
 *
 *   pool.run(candidateGradeTask, { job, plan, state })
 */
import { defineTask } from "../parallel/job-pool.ts";
import { runCandidateGrade } from "./neuron-candidate-pool.ts";

export default defineTask(runCandidateGrade);
