/**
 * Site ids: stable names for every place a defect can sit.
 *
 *   l0.n3           neuron 3 of layer 0 (the MTJ-SHE and its heavy metal)
 *   l0.r2.c3        bit-cell at row 2, column 3 of layer 0 (synapse)
 *   l0.r2.c3.series in-cell open on the write path (MTJ/access stack), seed 000 Rop4-like
 *   l0.r2.c3.read   in-cell open on the read/sense path only — carries no write current
 *   l0.c3.seg1      column line segment 1 of column 3: joins the node of row 1 to the
 *                   node of row 2 and carries the current of rows 0..1 (seg rows−1 feeds the neuron)
 *
 * Layers, rows, columns and segments count from 0. A testbench may add aliases
 * (`"rop1": "l0.c0.seg0"`).
 *
 * The reference column of a differential read (`device.referenceColumn`,
 * differential-read.ts) has no site ids: faults never perturb it. A known limitation —
 * a defect there would shift every neuron of its layer at once.
 */
import { NotFoundError } from "../formats/format-error.ts";
import type { CompiledNetwork } from "./compile.ts";

export type Site =
  | { kind: "neuron"; layer: number; col: number }
  | { kind: "cell"; layer: number; row: number; col: number }
  | { kind: "cell-series"; layer: number; row: number; col: number }
  | { kind: "cell-read"; layer: number; row: number; col: number }
  | { kind: "segment"; layer: number; col: number; index: number };

/** Format a site as its id. */
export function siteId(s: Site): string {
  switch (s.kind) {
    case "neuron":
      return `l${s.layer}.n${s.col}`;
    case "cell":
      return `l${s.layer}.r${s.row}.c${s.col}`;
    case "cell-series":
      return `l${s.layer}.r${s.row}.c${s.col}.series`;
    case "cell-read":
      return `l${s.layer}.r${s.row}.c${s.col}.read`;
    case "segment":
      return `l${s.layer}.c${s.col}.seg${s.index}`;
  }
}

/** Parse a site id without checking it against a network; null when malformed. */
export function parseSiteId(id: string): Site | null {
  let m = /^l(\d+)\.n(\d+)$/.exec(id);
  if (m) return { kind: "neuron", layer: +m[1], col: +m[2] };
  m = /^l(\d+)\.r(\d+)\.c(\d+)(?:\.(series|read))?$/.exec(id);
  if (m) {
    const kind = m[4] === "series" ? "cell-series" : m[4] === "read" ? "cell-read" : "cell";
    return { kind, layer: +m[1], row: +m[2], col: +m[3] };
  }
  m = /^l(\d+)\.c(\d+)\.seg(\d+)$/.exec(id);
  if (m) return { kind: "segment", layer: +m[1], col: +m[2], index: +m[3] };
  return null;
}

/** Resolve an id or alias and check it exists in the network; throws NotFoundError. */
export function resolveSite(net: CompiledNetwork, idOrAlias: string, aliases: Record<string, string> = {}): Site {
  const id = aliases[idOrAlias] ?? idOrAlias;
  const site = parseSiteId(id);
  const known = Object.keys(aliases);
  const help = `site ids look like l0.r2.c3, l0.r2.c3.series, l0.r2.c3.read, l0.c3.seg1 or l0.n3${known.length ? `; aliases: ${known.join(", ")}` : ""}`;
  if (!site) throw new NotFoundError(`unknown site "${idOrAlias}": ${help}`);
  const layer = net.layers[site.layer];
  if (!layer) throw new NotFoundError(`site "${idOrAlias}": layer ${site.layer} does not exist (the bench has ${net.layers.length})`);
  const colOk = site.col < layer.cols;
  const rowOk = site.kind === "neuron" || site.kind === "segment" ? true : site.row < layer.rows;
  const segOk = site.kind !== "segment" || site.index < layer.rows;
  if (!colOk || !rowOk || !segOk) {
    throw new NotFoundError(`site "${idOrAlias}" is outside layer ${site.layer} (${layer.rows} rows × ${layer.cols} columns); ${help}`);
  }
  return site;
}
