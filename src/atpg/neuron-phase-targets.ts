/**
 * What a neuron-phase job is (plain data a pool thread can receive) and the chip and
 * neuron faults it targets, built the same way by the job's thread and by every thread
 * that grades its candidates (neuron-phase-job.ts, neuron-candidate-pool.ts).
 *
 *   const { loaded, net, faults, targets } = neuronPhaseTargets({ benchFile, settings: { seed: 1 } });
 */
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import type { Fault } from "../faults/fault.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { loadTestbench, type LoadedTestbench } from "../formats/testbench-loader.ts";
import { compileNetwork, type CompiledNetwork } from "../sim/compile.ts";
import type { NeuronPhaseInput } from "./neuron-phase.ts";

export interface NeuronPhaseJob {
  benchFile: string;
  modelIds?: string[];
  params?: ParamOverrides;
  settings: Pick<NeuronPhaseInput, "seed" | "failBound" | "chips" | "budgetMs" | "maxCandidates">;
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

