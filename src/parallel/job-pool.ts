/**
 * The one worker pool of snn-atpg: `--jobs N` threads (tinypool) that run task modules —
 * a module whose default export takes a plain, structured-cloneable payload and returns
 * a result. Every parallel command (fault campaigns, the dictionary build, open sweeps,
 * device curves, calibration) goes through it, so threads, cancellation and the
 * sources-versus-build question are solved once.
 *
 *   const pool = createJobPool(2);
 *   const out = await pool.run(faultSimTask, { spec, start, end }, { signal });
 *   await pool.close();
 *
 * Read-only state is shared, not copied per task: a task module keeps what it builds
 * from its payload's spec (network, fault universe) in a per-thread cache, so a thread
 * builds it once however many tasks it runs, and large arrays can travel as
 * SharedArrayBuffers. Cancelling (`signal`, Ctrl-C) terminates the threads at once:
 * V8 stops a worker mid-loop, so a synchronous simulation needs no checks of its own.
 *
 * Task modules are named by `taskModule(import.meta.url, "./x-task.ts", "x-task")`: from
 * the sources the pool loads ts-task-boot.mjs (registers tsx in the thread), which
 * imports the module the task names; from the esbuild bundle it loads dist/x-task.js (an entry of scripts/build.mjs).
 */
import { availableParallelism } from "node:os";
import { inspect } from "node:util";
import { threadId } from "node:worker_threads";
import Tinypool from "tinypool";
import { BenchError, InputError, InterruptedError } from "../formats/errors.ts";
import { packageRoot, runningFromBuild } from "../package-root.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** A module whose default export is `(payload: P) => R | Promise<R>`. */
export interface TaskModule<P, R> {
  /** What the pool loads: dist/<bundle>.js, or the tsx boot (ts-task-boot.mjs). */
  readonly url: string;
  /** From the sources: the .ts module the boot hands the task to. */
  readonly module?: string;
  /** Type carriers only. */
  readonly _types?: { payload: P; result: R };
}

/**
 * Name a task module (call from the module that owns it, with its import.meta.url). From the
 * sources, `SNN_ATPG_TASKS_FROM_BUILD=1` loads the build's task instead when dist/ holds it —
 * the benchmarks set it when the build is current, so a thread starts as the CLI's do (a
 * bundle, not TypeScript compiled by tsx in every thread).
 */
export function taskModule<P, R>(callerUrl: string, tsPath: string, bundleName: string): TaskModule<P, R> {
  if (runningFromBuild) return { url: new URL(`./${bundleName}.js`, new URL(".", import.meta.url)).href };
  const built = join(packageRoot, "dist", `${bundleName}.js`);
  if (process.env.SNN_ATPG_TASKS_FROM_BUILD === "1" && existsSync(built)) return { url: pathToFileURL(built).href };
  return { url: new URL("./ts-task-boot.mjs", import.meta.url).href, module: new URL(tsPath, callerUrl).href };
}

/** A worker failed to start or crashed, or a task threw: an infrastructure error. */
export class JobPoolError extends BenchError {}

/** The pool was cancelled (Ctrl-C) while tasks were pending. */
export class JobsInterruptedError extends InterruptedError {}

/** Default `--jobs`: the parallelism the OS reports for this process. */
export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/** Something that runs tasks: the thread pool, or (size 1, tests) the calling thread. */
export interface JobPool {
  /** Threads tasks are spread over. */
  readonly size: number;
  /** Ids of the threads that finished at least one task (0 = the main thread): proof the workers ran. */
  readonly threadIds: ReadonlySet<number>;
  run<P, R>(task: TaskModule<P, R>, payload: P, o?: { signal?: AbortSignal; transfer?: Transferable[] }): Promise<R>;
  close(): Promise<void>;
}

/** The kind of an error (formats/errors.ts): what decides how the CLI ends, so it must survive the thread boundary. */
export type ErrorKind = "input" | "bench" | "interrupted" | "bug";

/** The kind of an error thrown on a worker. */
export function errorKindOf(err: unknown): ErrorKind {
  return err instanceof InputError ? "input" : err instanceof BenchError ? "bench" : err instanceof InterruptedError ? "interrupted" : "bug";
}

/** An error as it crosses the thread boundary (classes do not survive a structured clone). */
export interface SerialisedError {
  errorKind: ErrorKind;
  name: string;
  message: string;
  stack: string;
}

export function serialiseError(err: unknown): SerialisedError {
  const e = err as Error;
  return { errorKind: errorKindOf(err), name: e?.name ?? "Error", message: e?.message ?? String(err), stack: e?.stack ?? "" };
}

/** A worker's error rebuilt as its kind, so the CLI maps it to the same exit code as in-process. */
export function rebuiltError(m: SerialisedError): Error {
  const err = m.errorKind === "input" ? new InputError(m.message) : m.errorKind === "bench" ? new BenchError(m.message) : m.errorKind === "interrupted" ? new InterruptedError(m.message) : new Error(m.message);
  err.name = m.name;
  err.stack = m.stack;
  return err;
}

type Envelope<R> = { threadId: number; result: R } | { threadId: number; error: SerialisedError };

/** A pool of `size` worker threads; tasks queue until a thread is free. */
export function createJobPool(size = defaultJobs()): JobPool {
  if (!Number.isInteger(size) || size < 1) throw new JobPoolError(`a job pool needs at least one thread, got ${size}`);
  // Threads live until close(): a thread start (tsx from the sources) costs more than an idle thread.
  const pool = new Tinypool({ minThreads: 0, maxThreads: size, idleTimeout: 60_000, useAtomics: false });
  const threadIds = new Set<number>();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    pool.cancelPendingTasks();
    await pool.destroy();
  };
  return {
    size,
    threadIds,
    async run<P, R>(task: TaskModule<P, R>, payload: P, o: { signal?: AbortSignal; transfer?: Transferable[] } = {}): Promise<R> {
      if (o.signal?.aborted) throw new JobsInterruptedError();
      // Cancelling one task cancels the pool: the whole command is stopping.
      const onAbort = () => void close();
      o.signal?.addEventListener("abort", onAbort, { once: true });
      let env: Envelope<R>;
      try {
        env = (await pool.run({ module: task.module, payload }, { filename: task.url, transferList: o.transfer as never })) as Envelope<R>;
      } catch (err) {
        if (o.signal?.aborted || closed) throw new JobsInterruptedError();
        throw new JobPoolError(`worker task ${(task.module ?? task.url).split("/").pop()} failed: ${err instanceof Error ? err.stack : inspect(err)}`);
      } finally {
        o.signal?.removeEventListener("abort", onAbort);
      }
      if ("error" in env) throw rebuiltError(env.error);
      threadIds.add(env.threadId);
      return env.result;
    },
    close,
  };
}

/** Wrap a task function as a task module's default export (adds the thread id to the answer). */
export function defineTask<P, R>(fn: (payload: P) => R | Promise<R>): (msg: { payload: P }) => Promise<Envelope<R>> {
  return async (msg) => {
    try {
      return { threadId, result: await fn(msg.payload) };
    } catch (err) {
      return { threadId, error: serialiseError(err) };
    }
  };
}
