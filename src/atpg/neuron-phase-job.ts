/**
 * The neuron phase as a job on a job-pool thread: a guard-band evaluation of one candidate
 * on a 784 × 1024 chip is tens of seconds of synchronous work, so the phase runs off the
 * caller's event loop — progress arrives as messages, and Ctrl-C terminates the thread at
 * once (V8 stops it mid-loop), with nothing kept. The job carries plain data only: the
 * worker reloads the bench and enumerates the neuron faults itself (the selection needs
 * only those; the caller grades the kept vectors against its own universe).
 *
 *   const np = await neuronPhaseInWorker({ benchFile, modelIds, params, settings }, { signal, onProgress });
 */
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { InterruptedError } from "../formats/errors.ts";
import { loadTestbench } from "../formats/testbench-loader.ts";
import { createJobPool, taskModule } from "../parallel/job-pool.ts";
import { compileNetwork, type CompiledNetwork } from "../sim/compile.ts";
import type { Fault } from "../faults/fault.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { shareValue } from "../parallel/shared-value.ts";
import { poolCandidateGrader } from "./neuron-candidate-pool.ts";
import { buildNeuronPhase, type NeuronPhase, type NeuronPhaseInput } from "./neuron-phase.ts";

export interface NeuronPhaseJob {
  benchFile: string;
  modelIds?: string[];
  params?: ParamOverrides;
  settings: Pick<NeuronPhaseInput, "seed" | "failBound" | "chips" | "budgetMs">;
  /** Pool threads grading candidates (default 1: in the job's own thread). */
  jobs?: number;
}

/** The chip and the neuron faults a job targets (the same in every thread that builds them). */
export function neuronPhaseTargets(job: NeuronPhaseJob): { loaded: LoadedTestbench; net: CompiledNetwork; faults: Fault[]; targets: Fault[] } {
  const loaded = loadTestbench(job.benchFile);
  const net = compileNetwork(loaded.bench);
  const models = loadFaultModels(undefined, job.modelIds, { arrayTests: true }).filter((m) => m.siteKinds.includes("neuron"));
  const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: true, params: job.params ?? {} });
  return { loaded, net, faults, targets: faults.filter((f) => f.site.kind === "neuron") };
}

/** Run the job in this thread (the worker calls it); with `jobs` ≥ 2 its candidates are graded on a pool of that many threads. */
export async function runNeuronPhaseJob(job: NeuronPhaseJob, onProgress: (line: string) => void = () => {}): Promise<NeuronPhase> {
  const { loaded, net, faults } = neuronPhaseTargets(job);
  const jobs = job.jobs ?? 1;
  if (jobs < 2) return buildNeuronPhase({ ...job.settings, loaded, net, faults, onProgress });
  const pool = createJobPool(jobs);
  try {
    return await buildNeuronPhase({ ...job.settings, loaded, net, faults, onProgress, grader: poolCandidateGrader(pool, shareValue(job)), lookahead: 2 * jobs });
  } finally {
    await pool.close();
  }
}

/** What the pool task (neuron-phase-task.ts) gets. */
export interface NeuronPhaseTaskPayload {
  job: NeuronPhaseJob;
  /** Where progress lines go. */
  progress: MessagePort;
}

const neuronPhaseTask = taskModule<NeuronPhaseTaskPayload, NeuronPhase>(import.meta.url, "./neuron-phase-task.ts", "neuron-phase-task");

/** Run the job on a pool thread; `signal` terminates it at once and rejects with InterruptedError. */
export async function neuronPhaseInWorker(job: NeuronPhaseJob, o: { onProgress?: (line: string) => void; signal?: AbortSignal } = {}): Promise<NeuronPhase> {
  if (o.signal?.aborted) throw new InterruptedError();
  const pool = createJobPool(1);
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (line: string) => o.onProgress?.(line));
  try {
    return await pool.run(neuronPhaseTask, { job, progress: port2 }, { signal: o.signal, transfer: [port2] });
  } finally {
    port1.close();
    await pool.close();
  }
}
