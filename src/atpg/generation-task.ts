/**
 * The job-pool task of a generation (generation-job.ts): runs the job and posts progress
 * on the port it was handed (at most every 100 ms per phase, plus every phase change).
 * Errors travel back through the pool as their kind (parallel/job-pool.ts).
 *
 *   pool.run(generationTask, { job, progress: port }, { transfer: [port] })
 */
import { defineTask } from "../parallel/job-pool.ts";
import { runGenerationJob, type GenerationOutput, type GenerationTaskPayload } from "./generation-job.ts";

export default defineTask((t: GenerationTaskPayload): GenerationOutput => {
  let lastPhase = "";
  let lastPost = 0;
  try {
    return runGenerationJob(t.job, (phase, done, total) => {
      const now = performance.now();
      if (phase === lastPhase && now - lastPost < 100 && done < total) return;
      lastPhase = phase;
      lastPost = now;
      t.progress.postMessage({ phase, done, total });
    });
  } finally {
    t.progress.close();
  }
});
