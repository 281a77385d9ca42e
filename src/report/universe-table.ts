/**
 * Terminal sink for fault-universe counts (`snn-atpg faults`): per model and per
 * layer, uncollapsed and collapsed, and the collapsing rules with what they merged.
 *
 *   universeTableLines({ testbench: "black-pixel-4x1", sha256, counts, models })
 */
import type { UniverseCounts } from "../faults/fault-universe.ts";
import { formatTable } from "./format-table.ts";

export interface UniverseTableInput {
  testbench: string;
  sha256: string;
  counts: UniverseCounts;
  /** Model ids with their titles and site kinds. */
  models: { id: string; title: string; siteKinds: readonly string[] }[];
}

export function universeTableLines(inp: UniverseTableInput): string[] {
  const c = inp.counts;
  const out: string[] = [`fault universe of ${inp.testbench} (sha256 ${inp.sha256})`, ""];
  const rows = inp.models.map((m) => {
    const n = c.byModel[m.id];
    const params = Object.entries(c.params[m.id] ?? {}).map(([k, v]) => `${k}=${v}`).join(" ");
    return [m.id, m.siteKinds.join("+"), String(n.uncollapsed), String(n.collapsed), params];
  });
  rows.push(["total", "", String(c.total.uncollapsed), String(c.total.collapsed), ""]);
  out.push(...formatTable(["model", "sites", "uncollapsed", "collapsed", "parameters"], rows));
  if (c.byLayer.length > 1) {
    out.push("");
    out.push(...formatTable(["layer", "uncollapsed", "collapsed"], c.byLayer.map((l, i) => [`layer ${i}`, String(l.uncollapsed), String(l.collapsed)])));
  }
  out.push("", "collapsing (equivalent faults share one representative; collapsed counts a class once, under its representative's model):");
  for (const r of c.rules) out.push(`  ${r.rule.padEnd(17)} merged ${String(r.merged).padStart(8)}   ${r.title}`);
  return out;
}
