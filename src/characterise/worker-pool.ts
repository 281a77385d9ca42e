/**
 * Runners for device jobs: the job pool (parallel/job-pool.ts, `--jobs` threads) or the
 * current thread. Both satisfy `DeviceJobRunner`, so a measurement is written once and
 * gets the same numbers either way (the kernels are seeded per trial).
 *
 *   const runner = poolRunner(2);
 *   const counts = await runner.run("switching", { setup, tasks });
 *   runner.threadIds   // ids of the threads that ran jobs — proof the workers did the work
 *   await runner.close();
 */
import { createJobPool, taskModule } from "../parallel/job-pool.ts";
import { deviceJobHandlers, type DeviceJobKind, type DeviceJobPayload, type DeviceJobResult } from "./device-jobs.ts";
import type { DeviceTaskPayload } from "./device-task.ts";

/** Something that runs device jobs. */
export interface DeviceJobRunner {
  run<K extends DeviceJobKind>(kind: K, payload: DeviceJobPayload<K>, o?: { signal?: AbortSignal }): Promise<DeviceJobResult<K>>;
  /** Number of threads jobs are spread over. */
  readonly size: number;
  /** Thread ids that have completed at least one job (0 = the main thread). */
  readonly threadIds: ReadonlySet<number>;
  close(): Promise<void>;
}

const deviceTask = taskModule<DeviceTaskPayload, unknown>(import.meta.url, "./device-task.ts", "device-task");

/** Runs every job on the calling thread. */
export function inProcessRunner(): DeviceJobRunner {
  const threadIds = new Set<number>();
  return {
    size: 1,
    threadIds,
    async run(kind, payload) {
      const handler = deviceJobHandlers[kind] as (p: unknown) => unknown;
      const result = handler(payload);
      threadIds.add(0);
      return result as never;
    },
    async close() {},
  };
}

/** Runs jobs on a pool of `jobs` worker threads. */
export function poolRunner(jobs: number): DeviceJobRunner {
  const pool = createJobPool(jobs);
  return {
    size: pool.size,
    threadIds: pool.threadIds,
    run: (kind, payload, o) => pool.run(deviceTask, { kind, payload }, o) as never,
    close: () => pool.close(),
  };
}
