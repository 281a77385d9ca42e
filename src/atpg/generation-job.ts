/**
 * A whole generation — fault universe, ATPG, program record — as one serialisable job,
 * run on a worker thread so that the caller's event loop stays free while the search
 * (seconds to minutes of synchronous work) runs: progress arrives as messages, and an
 * interrupt terminates the thread at once (V8 stops it mid-loop), with nothing written.
 *
 *   const { program, summary } = await generateInWorker(job, { onProgress: (p, d, t) => …, signal });
 *   runGenerationJob(job, onProgress)   // the same work in-process (the worker calls it)
 *
 * The job names the bench by file and carries only plain options, so the worker
 * rebuilds exactly what the caller would have built (enumeration and generation are
 * deterministic): the program is byte-identical either way.
 */
import { Worker } from "node:worker_threads";
import type { SpikeProgram } from "../formats/program-format.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { BenchError, InputError, InterruptedError } from "../formats/errors.ts";
import { loadTestbench } from "../formats/testbench-loader.ts";
import { workerEntry } from "../package-root.ts";
import type { AtpgSummary } from "./atpg-summary.ts";
import type { StrategySettings } from "./atpg-strategy.ts";
import { createGenerateInput } from "./generate-input.ts";
import { buildProgram, type BuildOptions } from "./program-builder.ts";
import { generateProgram, type GenerateOptions } from "./program-generator.ts";
import type { StrategyId } from "./strategy-registry.ts";

/** Everything a generation needs, as plain data. */
export interface GenerationJob {
  /** Testbench file (resolved path). */
  benchFile: string;
  modelIds?: string[];
  params?: ParamOverrides;
  generate: Omit<GenerateOptions, "strategy" | "settings" | "onProgress" | "signal"> & { strategy?: StrategyId; settings?: Partial<StrategySettings> };
  build: BuildOptions;
}

/** What a generation produces. */
export interface GenerationOutput {
  program: SpikeProgram;
  summary: AtpgSummary;
  /** Collapsed faults generated for, and how many models they come from. */
  faults: number;
}

export type GenerationMessage =
  | { kind: "progress"; phase: string; done: number; total: number }
  | { kind: "result"; output: GenerationOutput }
  | { kind: "error"; errorKind: ErrorKind; name: string; message: string; stack: string };

/** The kind of an error (formats/errors.ts), which is what decides how the CLI ends. */
type ErrorKind = "input" | "bench" | "interrupted" | "bug";

/** Generation stopped by the caller (Ctrl-C): nothing was produced. */
export class GenerationInterruptedError extends InterruptedError {
  constructor(message = "generation interrupted (Ctrl-C); no program was written") {
    super(message);
  }
}

/** The kind of an error thrown on the worker. */
export function errorKindOf(err: unknown): ErrorKind {
  return err instanceof InputError ? "input" : err instanceof BenchError ? "bench" : err instanceof InterruptedError ? "interrupted" : "bug";
}

/** Run a job in this thread. */
export function runGenerationJob(job: GenerationJob, onProgress: (phase: string, done: number, total: number) => void = () => {}): GenerationOutput {
  onProgress("fault universe", 0, 1);
  const loaded = loadTestbench(job.benchFile);
  const { input } = createGenerateInput(loaded, { modelIds: job.modelIds, params: job.params });
  onProgress("fault universe", 1, 1);
  const result = generateProgram(input, { ...job.generate, onProgress });
  onProgress("expected responses", 0, 1);
  const built = buildProgram(input, result, job.build);
  onProgress("expected responses", 1, 1);
  return { ...built, faults: input.faults.length };
}

/** An error that crossed the thread boundary, rebuilt as its kind (classes do not survive a structured clone). */
function rebuiltError(m: Extract<GenerationMessage, { kind: "error" }>): Error {
  const err = m.errorKind === "input" ? new InputError(m.message) : m.errorKind === "bench" ? new BenchError(m.message) : m.errorKind === "interrupted" ? new InterruptedError(m.message) : new Error(m.message);
  err.name = m.name;
  err.stack = m.stack;
  return err;
}

/** Run a job on a worker thread; `signal` terminates it at once and rejects with GenerationInterruptedError. */
export function generateInWorker(job: GenerationJob, o: { onProgress?: (phase: string, done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<GenerationOutput> {
  if (o.signal?.aborted) return Promise.reject(new GenerationInterruptedError());
  const worker = new Worker(workerEntry(import.meta.url, "generation-worker", "./generation-worker-boot.mjs"), { workerData: job });
  return new Promise<GenerationOutput>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener("abort", onAbort);
      f();
    };
    const onAbort = () => {
      void worker.terminate();
      finish(() => reject(new GenerationInterruptedError()));
    };
    o.signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (m: GenerationMessage) => {
      if (m.kind === "progress") o.onProgress?.(m.phase, m.done, m.total);
      else if (m.kind === "result") finish(() => resolve(m.output));
      else finish(() => reject(rebuiltError(m)));
    });
    worker.on("error", (err) => finish(() => reject(err)));
    worker.on("exit", (code) => finish(() => reject(new BenchError(`generation worker exited with code ${code} before sending a result (out of memory?)`))));
  });
}
