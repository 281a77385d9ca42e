/**
 * Load fault models from a directory of validated JSON files (default: the shipped
 * `fault-models/`). A model is data: adding a file of an existing site kind and
 * perturbation adds a model, with no code change.
 *
 *   const models = loadFaultModels();                                   // every shipped model
 *   const two = loadFaultModels(undefined, ["dead-synapse", "slow-to-leak"]);
 *   const more = loadFaultModels(["fault-models", "fixtures/fault-models"]);
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { packageRoot } from "../package-root.ts";
import { faultModelSchema, type FaultModel, type FaultSiteKind } from "../formats/fault-model-format.ts";
import { FormatError, NotFoundError } from "../formats/format-error.ts";
import { loadJsonFile } from "../formats/load-json.ts";

/** The shipped fault-model directory. */
export const defaultFaultModelDir = join(packageRoot, "fault-models");

/** A validated fault model with where it came from. */
export interface LoadedFaultModel {
  readonly id: string;
  readonly file: string;
  readonly model: FaultModel;
  /** `siteKind` as a list. */
  readonly siteKinds: readonly FaultSiteKind[];
}

function listJson(dir: string): string[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort()
      .map((f) => join(dir, f));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new NotFoundError(`${dir}: cannot read fault-model directory (${code === "ENOTDIR" ? "it is a file; give the folder that holds the fault-model files" : (code ?? (err as Error).message)})`);
  }
  if (files.length === 0) throw new NotFoundError(`${dir}: no fault-model files (*.json) in this directory; see fault-models/ for examples`);
  return files;
}

/** Load and validate one fault-model file; its id must equal its file name. */
export function loadFaultModelFile(file: string): LoadedFaultModel {
  const model = loadJsonFile(file, faultModelSchema);
  const stem = basename(file, ".json");
  if (model.id !== stem) {
    throw new FormatError({ file, where: "id", expected: `"${stem}" (the file name)`, found: `"${model.id}"`, hint: "rename the file or the id" });
  }
  const siteKinds = Array.isArray(model.siteKind) ? [...new Set(model.siteKind)] : [model.siteKind];
  return Object.freeze({ id: model.id, file, model, siteKinds: Object.freeze(siteKinds) });
}

/** Which models a default list holds. */
export interface DefaultModelOptions {
  /** Include the models whose `defaultUse` is "array-tests" (for programs that WRITE and READ the array). */
  arrayTests?: boolean;
}

/**
 * Load every model in `dirs` (one or several directories; default the shipped one),
 * sorted by id, optionally only the given ids (an unknown id is a NotFoundError).
 * Without ids, models with `defaultUse: "array-tests"` come only with `arrayTests`.
 */
export function loadFaultModels(dirs: string | readonly string[] = defaultFaultModelDir, ids?: readonly string[], o: DefaultModelOptions = {}): LoadedFaultModel[] {
  const list = typeof dirs === "string" ? [dirs] : dirs;
  const byId = new Map<string, LoadedFaultModel>();
  for (const dir of list) {
    for (const file of listJson(dir)) {
      const m = loadFaultModelFile(file);
      const seen = byId.get(m.id);
      if (seen) throw new FormatError({ file, where: "id", expected: "an id no other loaded model has", found: `"${m.id}" (also ${seen.file})` });
      byId.set(m.id, m);
    }
  }
  const known = [...byId.keys()].sort();
  if (!ids) return known.map((id) => byId.get(id)!).filter((m) => o.arrayTests || m.model.defaultUse !== "array-tests");
  const out: LoadedFaultModel[] = [];
  for (const id of ids) {
    const m = byId.get(id);
    if (!m) throw new NotFoundError(`unknown fault model "${id}" (in ${list.join(", ")}); known models: ${known.join(", ")}`);
    if (!out.includes(m)) out.push(m);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
