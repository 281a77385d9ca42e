/**
 * Terminal sink for a coverage report: the summary by fault model (and by layer for
 * multi-layer benches) with counts per class, FC and TC; the formulas with the
 * numbers put in; the undetected faults (first N); the reasons of the UD faults.
 *
 *   for (const line of coverageTableLines(report, { limit: 20 })) ctx.out(line);
 */
import { REPORT_STEP_FAULTS, type CoverageReport, type FaultReportEntry } from "../faultsim/coverage-report.ts";
import type { CoverageCounts } from "../faultsim/coverage.ts";
import { formatTable, nanoseconds, percent } from "./format-table.ts";

export interface CoverageTableOptions {
  /** How many undetected faults to list (default 20); Infinity = all. */
  limit?: number;
}

/** What one row of a coverage table shows. */
export type CoverageRowCounts = Pick<CoverageCounts, "all" | "DT" | "PD" | "ND" | "AU" | "UD" | "faultCoverage" | "testCoverage">;

/** FC as printed: "n/a" without faults (a model with no site on this bench), where the record keeps 0. */
export function faultCoverageText(c: Pick<CoverageCounts, "all" | "faultCoverage">): string {
  return c.all > 0 ? percent(c.faultCoverage) : "n/a";
}

/** TC as printed: "n/a" when no fault is testable (none, or all proved undetectable), where the record keeps 0. */
export function testCoverageText(c: Pick<CoverageCounts, "all" | "UD" | "testCoverage">): string {
  return c.all - c.UD > 0 ? percent(c.testCoverage) : "n/a";
}

/**
 * The one coverage table of every command (coverage, generate, generate --phases): a
 * row per name with the counts per class (thousands separators), then FC and TC.
 *
 *   coverageCountsTable("fault model", [["dead-synapse", counts], ["total", total]])
 */
export function coverageCountsTable(firstHeader: string, rows: readonly (readonly [string, CoverageRowCounts])[]): string[] {
  const n = (x: number) => x.toLocaleString("en-US");
  return formatTable(
    [firstHeader, "faults", "DT", "PD", "ND", "AU", "UD", "FC", "TC"],
    rows.map(([name, c]) => [name, n(c.all), n(c.DT), n(c.PD), n(c.ND), n(c.AU), n(c.UD), faultCoverageText(c), testCoverageText(c)]),
  );
}

/** What the table lists of the faults: the first `limit` undetected (ND/AU/PD) ones, how many there are, and the UD count by proof. */
export interface UndetectedSummary {
  shown: FaultReportEntry[];
  undetected: number;
  ud: number;
  reasons: Map<string, number>;
}

/**
 * The table's one pass over the faults (3.7 M on bnn, each entry built as it is read), as a
 * generator that yields the faults done every REPORT_STEP_FAULTS, so the CLI can look at Ctrl-C
 * in between. A negative `limit` lists all but the last −limit, as `slice(0, limit)` does.
 */
export function* undetectedSummarySteps(r: CoverageReport, limit: number): Generator<number, UndetectedSummary> {
  const keepAll = !(limit >= 0);
  let shown: FaultReportEntry[] = [];
  let undetected = 0;
  let ud = 0;
  const reasons = new Map<string, number>();
  const keyOf = new Map<string, string>(); // a reason's key, once per distinct reason (UD faults share a few sentences)
  let i = 0;
  for (const f of r.faults) {
    if (++i % REPORT_STEP_FAULTS === 0) yield i;
    if (f.cls === "ND" || f.cls === "AU" || f.cls === "PD") {
      if (keepAll || undetected < limit) shown.push(f);
      undetected++;
    } else if (f.cls === "UD") {
      ud++;
      const reason = f.reason ?? "";
      let key = keyOf.get(reason);
      if (key === undefined) {
        key = reason.replace(/\bl\d+\.(n|c|r)\d+(\.\w+)?/g, "<site>").replace(/\b\d+(\.\d+)?\b/g, "#");
        keyOf.set(reason, key);
      }
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  if (keepAll) shown = shown.slice(0, limit);
  return { shown, undetected, ud, reasons };
}

function drainSummary(steps: Generator<number, UndetectedSummary>): UndetectedSummary {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The terminal report; `summary`: undetectedSummarySteps already run (with Ctrl-C checkpoints) by the caller. */
export function coverageTableLines(r: CoverageReport, opts: CoverageTableOptions = {}, summary?: UndetectedSummary): string[] {
  const limit = opts.limit ?? 20;
  const c = r.coverage;
  const t = c.total;
  const out: string[] = [
    `coverage of ${r.program.file} (${r.program.vectors} vectors, ${nanoseconds(r.program.testTimeNs)} of stimulus) on ${r.testbench.id}`,
    `engine ${r.engine.id}, fault dropping ${r.engine.drop ? "on" : "off"}: ${r.engine.evaluations} fault × vector evaluations` +
      (r.engine.fastPathEvaluations ? ` (${r.engine.fastPathEvaluations} on the fast path)` : "") +
      ` in ${(r.engine.elapsedMs / 1000).toFixed(2)} s`,
    `universe: ${r.universe.total.uncollapsed} faults, ${r.universe.total.collapsed} after collapsing`,
    "",
    ...coverageCountsTable("fault model", [...Object.entries(c.byModel), ["total", t], ["(collapsed)", c.collapsed]]),
  ];
  if (c.byLayer.length > 1) {
    out.push("", ...coverageCountsTable("layer", c.byLayer.map((m, i) => [`layer ${i}`, m] as const)));
  }
  const k = c.pdCredit;
  out.push(
    "",
    `${c.formulas.faultCoverage} = (${t.DT} + ${k}·${t.PD}) / ${t.all} = ${faultCoverageText(t)}`,
    `${c.formulas.testCoverage} = (${t.DT} + ${k}·${t.PD}) / (${t.all} − ${t.UD}) = ${testCoverageText(t)}`,
    `counts are ${c.formulas.counting}; DT detected, PD possibly detected, ND not detected, AU aborted, UD undetectable (proved)`,
  );
  const { shown, undetected, ud, reasons } = summary ?? drainSummary(undetectedSummarySteps(r, limit));
  if (undetected > 0) {
    out.push("", `not detected (ND/AU) and possibly detected (PD): ${undetected} representative(s)${shown.length < undetected ? `, first ${shown.length} (--all lists every one)` : ""}`);
    for (const f of shown) {
      out.push(`  ${f.cls}  ${f.id}${f.classSize > 1 ? `  (+${f.classSize - 1} equivalent)` : ""}${f.cls === "PD" && f.firstVector ? `  first possible: ${f.firstVector}` : ""}${f.reason ? `  ${f.reason}` : ""}`);
    }
  }
  if (ud > 0) {
    out.push("", `undetectable (UD): ${ud} representative(s), proved by:`);
    for (const [why, n] of reasons) out.push(`  ${String(n).padStart(6)} × ${why}`);
  }
  return out;
}
