/**
 * The `--workers` option of the device commands (`device …`, `calibrate`): how many
 * worker threads run the LLG jobs, 0 = this thread.
 *
 *   const runner = runnerFor(o.workers);   // try { … } finally { await runner.close(); }
 */
import { createWorkerPool, defaultWorkerCount, inProcessRunner, type DeviceJobRunner } from "../characterise/worker-pool.ts";
import { OptionError } from "./cli-context.ts";

/** The runner a `--workers` value asks for (0 = this thread). */
export function runnerFor(workers: number | undefined): DeviceJobRunner {
  const n = workers ?? defaultWorkerCount();
  if (n < 0) throw new OptionError(`--workers must be 0 (in-process) or more, got ${n}`);
  return n === 0 ? inProcessRunner() : createWorkerPool(n);
}
