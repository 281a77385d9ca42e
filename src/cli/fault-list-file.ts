/**
 * `--faults <file>`: a fault list (from `coverage --faults-out`) read back and matched
 * against the universe the other options built. An id the universe does not hold is a
 * mistake named by its line, with the closest known id when one is near — a typo, a
 * fault list of another bench, or ids written under other `--param` values.
 *
 *   const faults = listedFaults("out/bp.faults", universe.faults);   // representatives, universe order
 *   const at = listedLocations("out/bp.faults");   // enumerate only there (EnumerateOptions.at)
 */
import type { Fault } from "../faults/fault.ts";
import { locationKey } from "../faults/fault-universe.ts";
import { parseSiteId } from "../sim/sites.ts";
import { selectFaults } from "../faults/fault-selection.ts";
import { FormatError } from "../formats/format-error.ts";
import { readFaultList } from "../formats/fault-list-format.ts";
import { closestMatch } from "./closest-match.ts";

const modelOf = (id: string) => id.split("@")[0]!;

/**
 * The known fault id nearest to `id`: among the faults of the same model, or — when the
 * model is unknown — of the nearest model. Only one model's ids are compared, so a
 * guess over a bnn universe costs one model's worth of edit distances.
 */
export function closestFaultId(id: string, faults: readonly Pick<Fault, "id" | "modelId">[]): string | undefined {
  const models = [...new Set(faults.map((f) => f.modelId))];
  const model = models.includes(modelOf(id)) ? modelOf(id) : closestMatch(modelOf(id), models);
  if (model === undefined) return undefined;
  const sameModel = faults.filter((f) => f.modelId === model).map((f) => f.id);
  const renamed = `${model}${id.slice(modelOf(id).length)}`;
  if (sameModel.includes(renamed)) return renamed;
  return closestMatch(renamed, sameModel);
}

/**
 * Where the faults of the list in `file` sit (`locationKey`s), so the universe is built
 * only there: an id names its location (`<model>@<site>[:<value>]`), and equivalent
 * faults share one. Null when some id does not parse — the whole universe is then built
 * and listedFaults names the line.
 */
export function listedLocations(file: string): Set<string> | null {
  const at = new Set<string>();
  for (const { id } of readFaultList(file)) {
    const k = id.indexOf("@");
    const site = k < 0 ? null : parseSiteId(id.slice(k + 1).split(":")[0]!);
    if (!site) return null;
    at.add(locationKey(site));
  }
  return at;
}

/** The faults of `faults` the list in `file` names; throws a located error for the first unknown id. */
export function listedFaults<F extends Fault>(file: string, faults: readonly F[]): F[] {
  const entries = readFaultList(file);
  const { faults: picked, unknown } = selectFaults(faults, entries.map((e) => e.id));
  if (unknown.length > 0) {
    const first = entries[unknown[0]!]!;
    // A hostile line (200 KB of brackets) is neither echoed whole nor edit-distanced against the universe.
    const long = first.id.length > 120;
    const near = long ? null : closestFaultId(first.id, faults);
    const more = unknown.length > 1 ? `; ${unknown.length - 1} more unknown id(s) follow` : "";
    throw new FormatError({
      file,
      where: `line ${first.line}`,
      expected: `a fault id of this universe (${faults.length.toLocaleString("en-US")} faults)`,
      found: long ? `${JSON.stringify(first.id.slice(0, 60))}… (${first.id.length.toLocaleString("en-US")} characters)` : JSON.stringify(first.id),
      hint: `${near ? `did you mean ${near}? ` : ""}the universe is the bench's with the --models, --sites and --param given; list the ids with \`snn-atpg faults <bench> --list\`${more}`,
    });
  }
  return picked;
}
