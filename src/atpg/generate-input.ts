/**
 * What test generation runs on, built from a loaded testbench: the compiled network,
 * the selected fault models, their collapsed single-fault universe and the fast fault
 * engine primed with the universe's analysis (UD proofs, element effects). The one way
 * the CLI, the ATPG benchmark and the tests set up `generateProgram`.
 *
 *   const { input, universe } = createGenerateInput(loadTestbench("testbenches/black-pixel-4x1.json"));
 *   const r = generateProgram(input, { seed: 1 });   // universe.faults.length === 20
 */
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { Fault } from "../faults/fault.ts";
import { loadFaultModels, type LoadedFaultModel } from "../faults/fault-model-loader.ts";
import type { ParamOverrides } from "../faults/fault-params.ts";
import { enumerateFaults, type FaultUniverse } from "../faults/fault-universe.ts";
import { faultEngines } from "../faultsim/engine-registry.ts";
import { compileNetwork, type CompiledNetwork } from "../sim/compile.ts";
import type { GenerateInput } from "./program-generator.ts";

export interface GenerateInputOptions {
  /** Fault-model ids from fault-models/ (default: every shipped model); an unknown id is a NotFoundError. */
  modelIds?: readonly string[];
  /** Fault-model parameter overrides by model id (default: each file's defaults). */
  params?: ParamOverrides;
  /** Generate for only these faults of the collapsed universe (e.g. a sample of a large bench). */
  select?: (fault: Fault) => boolean;
}

export interface PreparedGeneration {
  net: CompiledNetwork;
  models: LoadedFaultModel[];
  /** The whole collapsed universe (before `select`). */
  universe: FaultUniverse;
  input: GenerateInput;
}

/** Compile the bench, enumerate the collapsed universe of the selected models, and wire up the fast engine. */
export function createGenerateInput(loaded: LoadedTestbench, o: GenerateInputOptions = {}): PreparedGeneration {
  const net = compileNetwork(loaded.bench);
  const models = loadFaultModels(undefined, o.modelIds);
  const universe = enumerateFaults(net, loaded.bench, models, { collapse: true, params: o.params });
  const input: GenerateInput = {
    loaded,
    net,
    faults: o.select ? universe.faults.filter(o.select) : universe.faults,
    models: models.map((m) => m.id),
    engine: faultEngines.fast,
    engineOptions: { analysis: universe.analysis },
  };
  return { net, models, universe, input };
}
