/**
 * The worker thread of a neuron-phase job (neuron-phase-job.ts): runs the job, posts its
 * progress lines and the result, or the error with its kind.
 *
 *   new Worker(workerEntry(import.meta.url, "neuron-phase-worker", "./neuron-phase-worker-boot.mjs"), { workerData: job })
 */
import { parentPort, workerData } from "node:worker_threads";
import { errorKindOf } from "./generation-job.ts";
import { runNeuronPhaseJob, type NeuronPhaseJob, type NeuronPhaseMessage } from "./neuron-phase-job.ts";

const post = (m: NeuronPhaseMessage) => parentPort!.postMessage(m);
try {
  const phase = await runNeuronPhaseJob(workerData as NeuronPhaseJob, (line) => post({ kind: "progress", line }));
  post({ kind: "result", phase });
} catch (err) {
  const e = err as Error;
  post({ kind: "error", errorKind: errorKindOf(err), name: e?.name ?? "Error", message: e?.message ?? String(err), stack: e?.stack ?? "" });
}
