/**
 * The job-pool task of a neuron-phase job (neuron-phase-job.ts): runs the job and posts
 * its progress lines on the port it was handed. Errors travel back through the pool as
 * their kind (parallel/job-pool.ts).
 *
 *   pool.run(neuronPhaseTask, { job, progress: port }, { transfer: [port] })
 */
import { defineTask } from "../parallel/job-pool.ts";
import { runNeuronPhaseJob, type NeuronPhaseTaskPayload } from "./neuron-phase-job.ts";

export default defineTask(async (t: NeuronPhaseTaskPayload) => {
  try {
    return await runNeuronPhaseJob(t.job, (line) => t.progress.postMessage(line));
  } finally {
    t.progress.close();
  }
});
