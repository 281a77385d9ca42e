/**
 * One worker of a parallel fault-simulation campaign (see parallel-campaign.ts): it
 * rebuilds the network and the same fault universe from the spec (enumeration is
 * deterministic; a fault list's ids pick the same faults), simulates its slice of the faults with the chosen engine, and posts
 * progress and the result back. Stops early when the shared abort flag is set.
 *
 *   new Worker(workerEntry(import.meta.url, "fault-sim-worker", "./fault-sim-worker-boot.mjs"), { workerData: { spec, start, end, abortFlag } })
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadTestbench } from "../formats/testbench-loader.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import { selectFaults } from "../faults/fault-selection.ts";
import { compileNetwork } from "../sim/compile.ts";
import { faultEngines } from "./engine-registry.ts";
import type { WorkerJob, WorkerMessage } from "./parallel-campaign.ts";

const job = workerData as WorkerJob;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
try {
  const { spec } = job;
  const { bench } = loadTestbench(spec.benchFile);
  const net = compileNetwork(bench);
  const models = loadFaultModels(spec.modelDirs, spec.modelIds);
  const universe = enumerateFaults(net, bench, models, { collapse: spec.collapse, sites: spec.sites, params: spec.params });
  const faults = spec.faultIds ? selectFaults(universe.faults, spec.faultIds).faults : universe.faults;
  const flag = new Int32Array(job.abortFlag);
  const signal = { get aborted() { return Atomics.load(flag, 0) === 1; } } as AbortSignal;
  const result = faultEngines[spec.engine].run(net, faults.slice(job.start, job.end), spec.vectors, {
    drop: spec.drop,
    proveUndetectable: spec.proveUndetectable,
    analysis: universe.analysis,
    signal,
    onProgress: (done, total) => post({ kind: "progress", done, total }),
  });
  post({ kind: "result", result });
} catch (err) {
  post({ kind: "error", message: (err as Error).message, stack: (err as Error).stack ?? "" });
}
