/**
 * Runners for device jobs: a pool of `node:worker_threads` workers (one per core by
 * default) or the current thread. Both satisfy `DeviceJobRunner`, so a measurement is
 * written once and gets the same numbers either way (the kernels are seeded per trial).
 *
 *   const pool = createWorkerPool(2);
 *   const counts = await pool.run("switching", { setup, tasks });
 *   pool.threadIds   // ids of the threads that ran jobs — proof the workers did the work
 *   await pool.close();
 *
 * From the sources, workers load TypeScript through ts-worker-boot.mjs, which registers
 * tsx inside the thread (an execArgv `--import tsx` does not reach a worker's entry
 * module on Node 20); from the build they start dist/device-worker.js (package-root.ts).
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { BenchError } from "../formats/errors.ts";
import { workerEntry } from "../package-root.ts";
import { deviceJobHandlers, type DeviceJobKind, type DeviceJobPayload, type DeviceJobResult } from "./device-jobs.ts";

/** Something that runs device jobs. */
export interface DeviceJobRunner {
  run<K extends DeviceJobKind>(kind: K, payload: DeviceJobPayload<K>): Promise<DeviceJobResult<K>>;
  /** Number of threads jobs are spread over. */
  readonly size: number;
  /** Thread ids that have completed at least one job (0 = the main thread). */
  readonly threadIds: ReadonlySet<number>;
  close(): Promise<void>;
}

/** A worker failed to start or crashed: an infrastructure error. */
export class WorkerPoolError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "WorkerPoolError";
  }
}

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

/** Default pool size: the cores Node reports. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/** A pool of `size` worker threads; jobs queue until a worker is free. */
export function createWorkerPool(size = defaultWorkerCount()): DeviceJobRunner {
  const boot = workerEntry(import.meta.url, "device-worker", "./ts-worker-boot.mjs");
  const module = new URL("./device-worker.ts", import.meta.url).href; // what the tsx boot loads
  const workers: Worker[] = [];
  const idle: Worker[] = [];
  const queue: { id: number; kind: DeviceJobKind; payload: unknown }[] = [];
  const pending = new Map<number, Pending>();
  const busy = new Map<Worker, number>();
  const threadIds = new Set<number>();
  let nextId = 1;
  let failure: Error | null = null;
  let closing = false;

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      busy.set(w, job.id);
      w.postMessage(job);
    }
  };
  const fail = (err: Error) => {
    failure ??= new WorkerPoolError(`device worker failed: ${err.message}`);
    for (const p of pending.values()) p.reject(failure);
    pending.clear();
    queue.length = 0;
  };
  for (let i = 0; i < size; i++) {
    const w = new Worker(boot, { workerData: { module } });
    w.on("message", (msg: { id: number; result?: unknown; error?: string }) => {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      busy.delete(w);
      idle.push(w);
      if (p) {
        if (msg.error !== undefined) p.reject(new WorkerPoolError(`device worker job failed: ${msg.error}`));
        else {
          threadIds.add(w.threadId);
          p.resolve(msg.result);
        }
      }
      pump();
    });
    w.on("error", (err) => fail(err));
    w.on("exit", (code) => {
      if (busy.has(w) || (code !== 0 && !closing)) fail(new Error(`worker ${w.threadId} exited with code ${code}`));
    });
    workers.push(w);
    idle.push(w);
  }
  return {
    size,
    threadIds,
    run(kind, payload) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        queue.push({ id, kind, payload });
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
