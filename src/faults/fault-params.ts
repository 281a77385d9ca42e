/**
 * Parameter values of fault models: the file's defaults, overridden per model by the
 * user (`--param resistive-open.resistanceOhms=16k`), checked against the file's range.
 *
 *   const overrides = parseParamAssignments(["resistive-open.resistanceOhms=inf"]);
 *   resolveModelParams(model, overrides[model.id]);  // { resistanceOhms: Infinity }
 */
import { InputError } from "../formats/errors.ts";
import { NotFoundError } from "../formats/format-error.ts";
import type { LoadedFaultModel } from "./fault-model-loader.ts";

/** Parameter overrides by model id, then parameter name. */
export type ParamOverrides = Record<string, Record<string, number>>;

/** A parameter value outside its model's range, or a malformed assignment. */
export class FaultParamError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "FaultParamError";
  }
}

/** Parse a number with an optional k / M suffix, or inf. */
export function parseMagnitude(text: string): number | null {
  if (/^(inf|infinity|∞)$/i.test(text)) return Number.POSITIVE_INFINITY;
  const m = /^([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)(k|M|G)?$/.exec(text);
  if (!m) return null;
  const mult = m[2] === "k" ? 1e3 : m[2] === "M" ? 1e6 : m[2] === "G" ? 1e9 : 1;
  return Number(m[1]) * mult;
}

/** Parse `model.param=value` assignments (value may use k / M / G suffixes or inf). */
export function parseParamAssignments(list: readonly string[]): ParamOverrides {
  const out: ParamOverrides = {};
  for (const spec of list) {
    const m = /^([a-z0-9-]+)\.([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(spec);
    const value = m ? parseMagnitude(m[3]) : null;
    if (!m || value === null) {
      throw new FaultParamError(`--param expects <model>.<parameter>=<value> (e.g. resistive-open.resistanceOhms=16k or =inf), got "${spec}"`);
    }
    (out[m[1]] ??= {})[m[2]] = value;
  }
  return out;
}

/** Check that every override names a loaded model and one of its parameters. */
export function checkParamOverrides(models: readonly LoadedFaultModel[], overrides: ParamOverrides): void {
  for (const [id, params] of Object.entries(overrides)) {
    const m = models.find((x) => x.id === id);
    if (!m) throw new NotFoundError(`--param ${id}.…: fault model "${id}" is not among the selected models (${models.map((x) => x.id).join(", ")})`);
    for (const name of Object.keys(params)) resolveParam(m, name, params[name]);
  }
}

function resolveParam(m: LoadedFaultModel, name: string, value: number): number {
  const p = m.model.parameters[name];
  if (!p) {
    const names = Object.keys(m.model.parameters);
    throw new NotFoundError(`fault model "${m.id}" (${m.file}) has no parameter "${name}"; it has ${names.length ? names.join(", ") : "none"}`);
  }
  const [lo, hi] = p.range;
  if (Number.isNaN(value) || value < lo || (hi !== null && value > hi)) {
    throw new FaultParamError(`${m.id}.${name} = ${value} ${p.unit} is outside the model's range [${lo}, ${hi ?? "∞"}] (${m.file} parameters.${name}.range)`);
  }
  return value;
}

/** Parameter values of a model: defaults with overrides applied and range-checked. */
export function resolveModelParams(m: LoadedFaultModel, overrides: Record<string, number> = {}): Readonly<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, p] of Object.entries(m.model.parameters)) out[name] = p.default;
  for (const [name, v] of Object.entries(overrides)) out[name] = resolveParam(m, name, v);
  return Object.freeze(out);
}
