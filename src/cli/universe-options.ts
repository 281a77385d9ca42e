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
import { NotFoundError } from "../formats/format-error.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { resolveSite } from "../sim/sites.ts";

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
  let models;
  try {
    models = loadFaultModels(dirs, ids, { arrayTests: o.arrayModels });
  } catch (err) {
    // An id given with --models that no directory holds: say which option named it.
    if (ids && err instanceof NotFoundError && err.message.startsWith("unknown fault model")) throw new OptionError(`--models: ${err.message}`);
    throw err;
  }
  return { dirs, ids, models, sites: list(o.sites), params: parseParamAssignments(o.param) };
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

/** Each --sites id must name a site of the bench; an unknown one is an option error naming --sites. */
export function checkSitesOption(net: CompiledNetwork, bench: Testbench, sites: readonly string[] | undefined): void {
  for (const id of sites ?? []) {
    try {
      resolveSite(net, id, bench.siteAliases);
    } catch (err) {
      if (err instanceof NotFoundError) throw new OptionError(`--sites: ${err.message}`);
      throw err;
    }
  }
}
