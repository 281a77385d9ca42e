/**
 * The options that pick a fault universe (`--models`, `--models-dir`, `--sites`,
 * `--param`), shared by `faults`, `coverage` and `generate`.
 *
 *   addUniverseOptions(program.command("faults"));
 *   const { models, sites, params } = universeSelection(opts);
 */
import type { Command } from "commander";
import { defaultFaultModelDir, loadFaultModels, parseParamAssignments } from "../faults/index.ts";
import { OptionError } from "./cli-context.ts";

/** Options shared by `faults` and `coverage` to pick the fault universe. */
export interface UniverseOptions {
  models?: string;
  modelsDir: string[];
  sites?: string;
  param: string[];
  /** Include the memory-test models (defaultUse "array-tests") in the default list. */
  arrayModels?: boolean;
}

const list = (s: string | undefined) => (s === undefined ? undefined : s.split(",").map((x) => x.trim()).filter(Boolean));

/** The --models ids; an option given with no id in it (`--models ,`) is a mistake, not "no models". */
export function modelIdsOption(models: string | undefined): string[] | undefined {
  const ids = list(models);
  if (ids && ids.length === 0) throw new OptionError(`--models expects comma-separated fault-model ids (e.g. dead-synapse,resistive-open), got "${models}"; leave it out for every model`);
  return ids;
}

/** Resolve the universe options (throws located InputErrors for unknown ids). */
export function universeSelection(o: UniverseOptions) {
  const dirs = o.modelsDir.length > 0 ? o.modelsDir : [defaultFaultModelDir];
  const ids = modelIdsOption(o.models);
  return { dirs, ids, models: loadFaultModels(dirs, ids, { arrayTests: o.arrayModels }), sites: list(o.sites), params: parseParamAssignments(o.param) };
}

/** Add the universe options to a command. */
export function addUniverseOptions(cmd: Command): Command {
  return cmd
    .option("--models <ids>", "comma-separated fault-model ids (default: every model in the model directories)")
    .option("--array-models", "also list the memory-test models (stuck-at-P/AP, transition) that only a program with WRITE/READ can see (coverage adds them itself for such programs)")
    .option("--models-dir <dir>", "directory of fault-model files (repeatable; default: the shipped fault-models/)", (v: string, p: string[]) => [...p, v], [] as string[])
    .option("--sites <ids>", "only faults at these sites (comma-separated ids or testbench aliases, e.g. rop1,l0.r2.c0)")
    .option("--param <model.name=value>", "override a fault-model parameter (repeatable), e.g. resistive-open.resistanceOhms=16k or =inf", (v: string, p: string[]) => [...p, v], [] as string[]);
}
