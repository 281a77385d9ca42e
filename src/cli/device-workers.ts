/**
 * The runner of the device commands (`device …`, `calibrate`) for their `--jobs` value:
 * the job pool with that many threads, or this thread for the old `--workers 0`.
 *
 *   const runner = runnerFor(jobsOption(o, { allowZero: true }));   // try { … } finally { await runner.close(); }
 */
import { inProcessRunner, poolRunner, type DeviceJobRunner } from "../characterise/worker-pool.ts";

/** The runner for a number of jobs (0 = this thread). */
export function runnerFor(jobs: number): DeviceJobRunner {
  return jobs === 0 ? inProcessRunner() : poolRunner(jobs);
}
