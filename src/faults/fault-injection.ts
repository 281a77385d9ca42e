/**
 * Resolve an `--inject FAULT` argument to the fault it names, through the fault
 * layer's universe: `<model>@<site>[:<value>]`, the ids `snn-atpg faults` prints. The
 * site may be a testbench alias; `:<value>` sets a parametric model's parameter. A
 * fault the universe does not hold (a retention flip on a cell that is already P, a
 * model on the wrong kind of site) is refused with the reason.
 *
 *   resolveInjection(loaded, "dead-synapse@l0.r2.c0")        → Fault { id, modelId, perturbations, … }
 *   resolveInjection(loaded, "resistive-open@rop1:16k")       → id "resistive-open@l0.c0.seg0:16000"
 */
import { InputError } from "../formats/errors.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { compileNetwork } from "../sim/compile.ts";
import { resolveSite, siteId } from "../sim/sites.ts";
import type { Fault } from "./fault.ts";
import { loadFaultModels } from "./fault-model-loader.ts";
import { parseMagnitude } from "./fault-params.ts";
import { faultSiteKindOf } from "./fault-site-kinds.ts";
import { enumerateFaults } from "./fault-universe.ts";

/** A malformed or impossible --inject argument (exit 2). */
export class InjectionError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "InjectionError";
  }
}

export function resolveInjection(loaded: LoadedTestbench, spec: string, faultModelDirs?: string | readonly string[]): Fault {
  const m = /^([a-z0-9-]+)@([^:]+)(?::(.+))?$/.exec(spec);
  if (!m) throw new InjectionError(`--inject expects <model>@<site>[:<value>] (e.g. dead-synapse@l0.r2.c0 or resistive-open@rop1:16k), got "${spec}"`);
  const [, modelId, siteArg, valueText] = m;
  const [model] = loadFaultModels(faultModelDirs, [modelId]);
  const net = compileNetwork(loaded.bench);
  const site = resolveSite(net, siteArg, loaded.bench.siteAliases);
  const kind = faultSiteKindOf(site.kind);
  if (!model.siteKinds.includes(kind)) {
    throw new InjectionError(`--inject ${spec}: fault model ${model.id} sits on ${model.siteKinds.join(" or ")} sites, but ${siteArg} is a ${kind} site (${model.file})`);
  }
  const params: Record<string, Record<string, number>> = {};
  if (valueText !== undefined) {
    const param = model.model.parametric;
    if (!param) throw new InjectionError(`--inject ${spec}: fault model ${model.id} has no parameter to set with ":${valueText}"`);
    const v = parseMagnitude(valueText);
    if (v === null) throw new InjectionError(`--inject ${spec}: "${valueText}" is not a number (k / M / G suffixes and inf allowed)`);
    params[model.id] = { [param]: v };
  }
  const { faults } = enumerateFaults(net, loaded.bench, [model], { collapse: false, sites: [siteId(site)], params });
  const fault = faults.find((f) => f.siteId === siteId(site));
  if (!fault) {
    throw new InjectionError(`--inject ${spec}: ${model.id} is not a fault of ${siteArg} on ${loaded.bench.id} (e.g. a retention flip needs a weight-0 cell); see \`snn-atpg faults\``);
  }
  return fault.toJSON();
}
