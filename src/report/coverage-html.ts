/**
 * HTML sink for a coverage report: one self-contained file (inline CSS and SVG, no
 * scripts, no network) with the summary tables, a bar chart of classes per fault
 * model, cumulative coverage versus number of vectors, and a heat map of the
 * undetected cell faults over each crossbar.
 *
 *   writeFileSync("report.html", coverageHtml(report));
 */
import type { CoverageReport } from "../faultsim/coverage-report.ts";
import type { CoverageCounts } from "../faultsim/coverage.ts";
import { faultCoverageText, testCoverageText } from "./coverage-table.ts";
import { nanoseconds } from "./format-table.ts";
import { esc, heatMap, lineChart, stackedBars } from "./svg-charts.ts";

const classColors = ["#1a9850", "#91cf60", "#d73027", "#fc8d59", "#bbbbbb"];
const classNames = ["DT", "PD", "ND", "AU", "UD"] as const;

function table(rows: [string, CoverageCounts][], first: string): string {
  const head = `<tr><th>${esc(first)}</th><th>faults</th>${classNames.map((c) => `<th>${c}</th>`).join("")}<th>FC</th><th>TC</th></tr>`;
  const body = rows
    .map(([name, c]) => `<tr><td>${esc(name)}</td><td>${c.all}</td>${classNames.map((k) => `<td>${c[k]}</td>`).join("")}<td>${faultCoverageText(c)}</td><td>${testCoverageText(c)}</td></tr>`)
    .join("");
  return `<table>${head}${body}</table>`;
}

export function coverageHtml(r: CoverageReport, opts: { limit?: number } = {}): string {
  const c = r.coverage;
  const t = c.total;
  const limit = opts.limit ?? 200;
  const models = Object.entries(c.byModel);
  const bars = stackedBars(
    models.map(([id, m]) => ({ label: id, parts: classNames.map((k) => m[k]) })),
    classNames,
    classColors,
  );
  const curve = lineChart(
    [
      { name: "fault coverage", color: "#2166ac", values: r.cumulative.map((p) => p.faultCoverage) },
      { name: "test coverage", color: "#b2182b", values: r.cumulative.map((p) => p.testCoverage) },
    ],
    "number of vectors applied",
  );
  const maps = r.heatmaps
    .map((h) => {
      const bin = h.rowStep > 1 || h.colStep > 1 ? ` (bins of ${h.rowStep} rows × ${h.colStep} columns)` : "";
      const body = h.max === 0 ? "<p>No undetected cell fault on this crossbar.</p>" : heatMap(h.counts, h.max, { rows: `row (0 … ${h.rows - 1})`, cols: `column (0 … ${h.cols - 1})` });
      return `<h3>layer ${h.layer}: ${h.rows} × ${h.cols} crossbar${bin}, max ${h.max} per bin</h3>${body}`;
    })
    .join("");
  const undetected = r.faults.filter((f) => f.cls === "ND" || f.cls === "AU" || f.cls === "PD");
  const list = undetected
    .slice(0, limit)
    .map((f) => `<tr><td>${f.cls}</td><td>${esc(f.id)}</td><td>${f.classSize}</td><td>${esc(f.firstVector ?? "")}</td><td>${esc(f.reason ?? "")}</td></tr>`)
    .join("");
  const k = c.pdCredit;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>snn-atpg coverage: ${esc(r.testbench.id)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}
code{background:#f4f4f4;padding:0 3px}
</style></head><body>
<h1>Fault coverage of ${esc(r.program.file)} on ${esc(r.testbench.id)}</h1>
<p>${r.program.vectors} vectors, ${nanoseconds(r.program.testTimeNs)} of stimulus; testbench sha256 <code>${esc(r.testbench.sha256)}</code>.
Engine <b>${esc(r.engine.id)}</b>, fault dropping ${r.engine.drop ? "on" : "off"}, ${r.engine.evaluations} fault × vector evaluations in ${(r.engine.elapsedMs / 1000).toFixed(2)} s.
Universe: ${r.universe.total.uncollapsed} faults, ${r.universe.total.collapsed} after collapsing.</p>
<h2>Summary by fault model</h2>
${table([...models, ["total", t], ["(collapsed)", c.collapsed]], "fault model")}
${c.byLayer.length > 1 ? `<h2>By layer</h2>${table(c.byLayer.map((m, i) => [`layer ${i}`, m]), "layer")}` : ""}
<p><code>${esc(c.formulas.faultCoverage)} = (${t.DT} + ${k}·${t.PD}) / ${t.all} = ${faultCoverageText(t)}</code><br>
<code>${esc(c.formulas.testCoverage)} = (${t.DT} + ${k}·${t.PD}) / (${t.all} − ${t.UD}) = ${testCoverageText(t)}</code><br>
Counts are ${esc(c.formulas.counting)}.</p>
<h2>Classes per fault model</h2>${bars}
<h2>Cumulative coverage versus vectors</h2>${curve}
<h2>Undetected cell faults per crossbar (ND + AU)</h2>${maps}
<h2>Not detected and possibly detected faults (${undetected.length}${undetected.length > limit ? `, first ${limit}` : ""})</h2>
<table><tr><th>class</th><th>fault</th><th>class size</th><th>first possible vector</th><th>reason</th></tr>${list}</table>
</body></html>
`;
}
