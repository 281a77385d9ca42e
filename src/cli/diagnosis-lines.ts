/**
 * A diagnosis as terminal lines, shared by `snn-atpg diagnose` (every group) and
 * `snn-atpg run` (the top group of a failing run).
 *
 *   for (const line of diagnosisLines(diagnosis, 1)) ctx.out(line);
 *   // 1. score 1.00: predicts 1 of 1 failing vector(s)
 *   //      slow-to-leak at l0.n0  [slow-to-leak@l0.n0]
 */
import type { Diagnosis } from "../bench/fault-diagnosis.ts";

/** Human-readable lines of a diagnosis. */
export function diagnosisLines(d: Diagnosis, limit = d.groups.length): string[] {
  const out: string[] = [];
  if (d.failingVectors.length === 0) return ["the device passed every vector: nothing to diagnose"];
  if (d.groups.length === 0) return [`no modelled fault makes any of the failing vectors (${d.failingVectors.join(", ")}) fail: an unmodelled defect, several faults, or a bench problem`];
  d.groups.slice(0, limit).forEach((g, i) => {
    const explains = `predicts ${g.failingVectorsMatched} of ${d.failingVectors.length} failing vector(s)${g.unexpectedFailures ? `, and ${g.unexpectedFailures} that passed` : ""}`;
    const tie = g.members.length > 1 ? `; ${g.members.length} faults this program cannot tell apart` : "";
    out.push(`${i + 1}. score ${g.score.toFixed(2)}: ${explains}${tie}`);
    for (const m of g.members.slice(0, 8)) {
      const eq = m.equivalents.length ? `  (equivalent: ${m.equivalents.join(", ")})` : "";
      out.push(`     ${m.modelId} at ${m.siteId}  [${m.id}]${eq}`);
    }
    if (g.members.length > 8) out.push(`     … and ${g.members.length - 8} more (--json lists all)`);
  });
  if (d.groups[0].score < 0.5) out.push("no candidate matches well: maybe several faults, an unmodelled defect, or a bench problem");
  return out;
}

