/**
 * The neuron phase as a job on a worker thread: a guard-band evaluation of one candidate
 * on a 784 × 1024 chip is tens of seconds of synchronous work, so the phase runs off the
 * caller's event loop — progress arrives as messages, and Ctrl-C terminates the thread at
 * once (V8 stops it mid-loop), with nothing kept. The job carries plain data only: the
 * worker reloads the bench and enumerates the neuron faults itself (the selection needs
 * only those; the caller grades the kept vectors against its own universe).
 *
 *   const np = await neuronPhaseInWorker({ benchFile, modelIds, params, settings }, { signal, onProgress });
 */
import { Worker } from "node:worker_threads";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { BenchError, InputError, InterruptedError } from "../formats/errors.ts";
import { loadTestbench } from "../formats/testbench-loader.ts";
import { workerEntry } from "../package-root.ts";
import { compileNetwork } from "../sim/compile.ts";
import { buildNeuronPhase, type NeuronPhase, type NeuronPhaseInput } from "./neuron-phase.ts";

export interface NeuronPhaseJob {
  benchFile: string;
  modelIds?: string[];
  params?: ParamOverrides;
  settings: Pick<NeuronPhaseInput, "seed" | "failBound" | "chips" | "budgetMs">;
}

export type NeuronPhaseMessage =
  | { kind: "progress"; line: string }
  | { kind: "result"; phase: NeuronPhase }
  | { kind: "error"; errorKind: "input" | "bench" | "interrupted" | "bug"; name: string; message: string; stack: string };

/** Run the job in this thread (the worker calls it). */
export async function runNeuronPhaseJob(job: NeuronPhaseJob, onProgress: (line: string) => void = () => {}): Promise<NeuronPhase> {
  const loaded = loadTestbench(job.benchFile);
  const net = compileNetwork(loaded.bench);
  const models = loadFaultModels(undefined, job.modelIds, { arrayTests: true }).filter((m) => m.siteKinds.includes("neuron"));
  const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: true, params: job.params ?? {} });
  return buildNeuronPhase({ ...job.settings, loaded, net, faults, onProgress });
}

/** Run the job on a worker thread; `signal` terminates it at once and rejects with InterruptedError. */
export function neuronPhaseInWorker(job: NeuronPhaseJob, o: { onProgress?: (line: string) => void; signal?: AbortSignal } = {}): Promise<NeuronPhase> {
  if (o.signal?.aborted) return Promise.reject(new InterruptedError());
  const worker = new Worker(workerEntry(import.meta.url, "neuron-phase-worker", "./neuron-phase-worker-boot.mjs"), { workerData: job });
  return new Promise<NeuronPhase>((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener("abort", onAbort);
      f();
    };
    const onAbort = () => {
      void worker.terminate();
      finish(() => reject(new InterruptedError()));
    };
    o.signal?.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (m: NeuronPhaseMessage) => {
      if (m.kind === "progress") o.onProgress?.(m.line);
      else if (m.kind === "result") finish(() => resolve(m.phase));
      else {
        const err = m.errorKind === "input" ? new InputError(m.message) : m.errorKind === "bench" ? new BenchError(m.message) : m.errorKind === "interrupted" ? new InterruptedError(m.message) : new Error(m.message);
        err.name = m.name;
        err.stack = m.stack;
        finish(() => reject(err));
      }
    });
    worker.on("error", (err) => finish(() => reject(err)));
    worker.on("exit", (code) => finish(() => reject(new BenchError(`neuron-phase worker exited with code ${code} before sending a result (out of memory?)`))));
  });
}
