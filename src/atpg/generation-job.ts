/**
 * A whole generation — fault universe, ATPG, program record — as one serialisable job,
 * run on a job-pool thread so that the caller's event loop stays free while the search
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
import { MessageChannel, type MessagePort } from "node:worker_threads";
import type { SpikeProgram } from "../formats/program-format.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { InterruptedError } from "../formats/errors.ts";
import { loadInstrumentProfile } from "../formats/instrument-profile-loader.ts";
import { observableOutputCount } from "../formats/observable-outputs.ts";
import { loadTestbench } from "../formats/testbench-loader.ts";
import { scpiPlayability } from "../targets/scpi-compatibility.ts";
import { createJobPool, JobsInterruptedError, taskModule } from "../parallel/job-pool.ts";
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
  /** Generate only for these faults of the collapsed universe (representative ids, e.g. a fault list read back); absent = every fault. */
  faultIds?: string[];
  /** Generate only vectors this SCPI instrument profile can play (its file; `generate --profile`). */
  profileFile?: string;
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

/** What the pool task (generation-task.ts) gets. */
export interface GenerationTaskPayload {
  job: GenerationJob;
  /** Where progress `{ phase, done, total }` goes. */
  progress: MessagePort;
}

const generationTask = taskModule<GenerationTaskPayload, GenerationOutput>(import.meta.url, "./generation-task.ts", "generation-task");

/** Generation stopped by the caller (Ctrl-C): nothing was produced. */
export class GenerationInterruptedError extends InterruptedError {
  constructor(message = "generation interrupted (Ctrl-C); no program was written") {
    super(message);
  }
}

/** Run a job in this thread. */
export function runGenerationJob(job: GenerationJob, onProgress: (phase: string, done: number, total: number) => void = () => {}): GenerationOutput {
  onProgress("fault universe", 0, 1);
  const loaded = loadTestbench(job.benchFile);
  const only = job.faultIds && new Set(job.faultIds);
  const { input } = createGenerateInput(loaded, { modelIds: job.modelIds, params: job.params, select: only ? (f) => only.has(f.id) : undefined });
  onProgress("fault universe", 1, 1);
  const bench = loaded.bench;
  const constraint = job.profileFile ? scpiPlayability(loadInstrumentProfile(job.profileFile), { inputs: bench.layers[0]!.rows, outputs: observableOutputCount(bench) }) : undefined;
  const result = generateProgram(input, { ...job.generate, constraint, onProgress });
  onProgress("expected responses", 0, 1);
  const built = buildProgram(input, result, job.build);
  onProgress("expected responses", 1, 1);
  return { ...built, faults: input.faults.length };
}

/** Run a job on a pool thread; `signal` terminates it at once and rejects with GenerationInterruptedError. */
export async function generateInWorker(job: GenerationJob, o: { onProgress?: (phase: string, done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<GenerationOutput> {
  if (o.signal?.aborted) throw new GenerationInterruptedError();
  const pool = createJobPool(1);
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (m: { phase: string; done: number; total: number }) => o.onProgress?.(m.phase, m.done, m.total));
  try {
    return await pool.run(generationTask, { job, progress: port2 }, { signal: o.signal, transfer: [port2] });
  } catch (err) {
    if (err instanceof JobsInterruptedError) throw new GenerationInterruptedError();
    throw err;
  } finally {
    port1.close();
    await pool.close();
  }
}
