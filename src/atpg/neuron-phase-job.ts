/**
 * The neuron phase as a job on a job-pool thread: a guard-band evaluation of one candidate
 * on a 784 × 1024 chip is tens of seconds of synchronous work, so the phase runs off the
 * caller's event loop — progress arrives as messages, and Ctrl-C terminates the thread at
 * once (V8 stops it mid-loop), with nothing kept. The job carries plain data only: the
 * worker reloads the bench and enumerates the neuron faults itself (the selection needs
 * only those; the caller grades the kept vectors against its own universe). With
 * `jobs` ≥ 2 the job's thread simulates its candidates' Monte-Carlo chips on a pool of its own
 * (nested threads, ended with it on Ctrl-C; neuron-candidate-pool.ts).
 *
 *   const np = await neuronPhaseInWorker({ benchFile, modelIds, params, settings }, { signal, onProgress });
 */
import { MessageChannel, type MessagePort } from "node:worker_threads";
import { InterruptedError } from "../formats/errors.ts";
import { createJobPool, taskModule } from "../parallel/job-pool.ts";
import { shareValue } from "../parallel/shared-value.ts";
import { jobGradeContext, poolChipGrader } from "./neuron-candidate-pool.ts";
import { neuronPhaseTargets, type NeuronPhaseJob } from "./neuron-phase-targets.ts";
import { buildNeuronPhase, type NeuronPhase } from "./neuron-phase.ts";

export type { NeuronPhaseJob } from "./neuron-phase-targets.ts";

/** Run the job in this thread (the worker calls it); with `jobs` ≥ 2 its candidates are graded on a pool of that many threads. */
export async function runNeuronPhaseJob(job: NeuronPhaseJob, onProgress: (line: string) => void = () => {}): Promise<NeuronPhase> {
  const { loaded, net, faults, targets } = neuronPhaseTargets(job);
  const jobs = job.jobs ?? 1;
  if (jobs < 2) return buildNeuronPhase({ ...job.settings, loaded, net, faults, onProgress });
  const pool = createJobPool(jobs);
  try {
    // the guard band's chips of each candidate in slices on the pool; `jobs` candidates ahead, so the pool is fed while this thread finds the next one's detections
    const ctx = jobGradeContext(job, loaded.bench, targets);
    return await buildNeuronPhase({ ...job.settings, loaded, net, faults, onProgress, grader: poolChipGrader(pool, shareValue(job), ctx), lookahead: jobs });
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
