/**
 * HTML sink for a coverage report: one self-contained file (inline CSS and SVG, no
 * scripts, no network) with the run metadata (tool version, date, command line,
 * options, fault-model parameters), the summary tables, a bar chart of classes per
 * fault model, cumulative coverage versus number of vectors and the detections per vector, a heat map of the
 * undetected cell faults over each crossbar, the ND/AU/PD faults with their reasons and
 * the UD faults with their proofs; with `criticality`, critical-fault coverage and the
 * criticality per fault model and layer (report/criticality-table.ts). Counts carry thousands separators (12,345).
 *
 *   writeFileSync("report.html", coverageHtml(report, { run: { toolVersion: "snn-atpg 0.1.0", date, commandLine, options } }));
 */
import type { CriticalCoverageRecord } from "../characterise/critical-coverage.ts";
import type { CoverageReport } from "../faultsim/coverage-report.ts";
import type { CoverageCounts } from "../faultsim/coverage.ts";
import { faultCoverageText, testCoverageText } from "./coverage-table.ts";
import { criticalityHtml } from "./criticality-table.ts";
import { nanoseconds } from "./format-table.ts";
import { esc, reportPageHead, heatMap, lineChart, stackedBars } from "./svg-charts.ts";

/** How the report was made: what the HTML states under "Run". */
export interface CoverageRunMetadata {
  /** "snn-atpg 0.1.0" (src/formats/tool-version.ts). */
  toolVersion: string;
  /** When the report was written (SOURCE_DATE_EPOCH when set). */
  date: Date;
  /** The command line as typed, without "node". */
  commandLine: string;
  /** Every option of the command with its value, and whether it was given or defaulted. */
  options: { name: string; value: string; given: boolean }[];
}

export interface CoverageHtmlOptions {
  /** How many faults each fault list shows (default 200). */
  limit?: number;
  run?: CoverageRunMetadata;
  /** `coverage --criticality`: the section on which faults change the classification. */
  criticality?: CriticalCoverageRecord;
}

/** A count with thousands separators (12,345). */
const n = (x: number): string => x.toLocaleString("en-US");

const classColors = ["#1a9850", "#91cf60", "#d73027", "#fc8d59", "#bbbbbb"];
const classNames = ["DT", "PD", "ND", "AU", "UD"] as const;

function table(rows: [string, CoverageCounts][], first: string): string {
  const head = `<tr><th>${esc(first)}</th><th>faults</th>${classNames.map((c) => `<th>${c}</th>`).join("")}<th>FC</th><th>TC</th></tr>`;
  const body = rows
    .map(([name, c]) => `<tr><td>${esc(name)}</td><td>${n(c.all)}</td>${classNames.map((k) => `<td>${n(c[k])}</td>`).join("")}<td>${faultCoverageText(c)}</td><td>${testCoverageText(c)}</td></tr>`)
    .join("");
  return `<table>${head}${body}</table>`;
}

function runSection(r: CoverageReport, run: CoverageRunMetadata | undefined): string {
  const models = r.models
    .map((m) => {
      const params = Object.entries(m.params).map(([k, v]) => `${esc(k)} = ${esc(v.toLocaleString("en-US", { maximumFractionDigits: 12 }))}`).join(", ");
      return `<tr><td>${esc(m.id)}</td><td class="l">${esc(m.title)}</td><td class="l">${params || "—"}</td></tr>`;
    })
    .join("");
  const modelTable = `<h3>Fault models and their parameters</h3><table id="fault-models"><tr><th>fault model</th><th>title</th><th>parameters</th></tr>${models}</table>`;
  if (!run) return `<h2 id="run">Run</h2>${modelTable}`;
  const options = run.options.map((o) => `<tr><td>--${esc(o.name)}</td><td class="l">${esc(o.value)}</td><td class="l">${o.given ? "given" : "default"}</td></tr>`).join("");
  return `<h2 id="run">Run</h2>
<table id="run-metadata"><tr><th>tool</th><td class="l">${esc(run.toolVersion)}</td></tr><tr><th>date</th><td class="l">${esc(run.date.toISOString())}</td></tr><tr><th>command line</th><td class="l"><code>${esc(run.commandLine)}</code></td></tr></table>
<h3>Options</h3><table id="options"><tr><th>option</th><th>value</th><th>source</th></tr>${options}</table>
${modelTable}`;
}

function faultList(id: string, title: string, faults: CoverageReport["faults"], limit: number, reasonHead: string, withFirst: boolean): string {
  const rows = faults
    .slice(0, limit)
    .map((f) => `<tr><td>${f.cls}</td><td class="l">${esc(f.id)}</td><td>${n(f.classSize)}</td>${withFirst ? `<td class="l">${esc(f.firstVector ?? "")}</td>` : ""}<td class="l">${esc(f.reason ?? "")}</td></tr>`)
    .join("");
  const count = `${n(faults.length)}${faults.length > limit ? `, first ${n(limit)}` : ""}`;
  return `<h2 id="${id}">${title} (${count})</h2>
<table id="${id}-list"><tr><th>class</th><th>fault</th><th>class size</th>${withFirst ? "<th>first possible vector</th>" : ""}<th>${reasonHead}</th></tr>${rows}</table>`;
}

export function coverageHtml(r: CoverageReport, opts: CoverageHtmlOptions = {}): string {
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
      const body = h.max === 0 ? "<p>No undetected cell fault on this crossbar.</p>" : heatMap(h.counts, h.max, { rows: `row (0 … ${h.rows - 1})`, cols: `column (0 … ${h.cols - 1})`, unit: bin ? `undetected faults per bin of ${n(h.rowStep)} × ${n(h.colStep)} cells` : "undetected faults per cell" });
      return `<h3>layer ${h.layer}: ${n(h.rows)} × ${n(h.cols)} crossbar${bin}, max ${n(h.max)} per bin</h3>${body}`;
    })
    .join("");
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  const perVector = r.cumulative
    .slice(0, limit)
    .map((p, k) => `<tr><td class="l">${esc(p.vectorId ?? `#${p.vectors}`)}</td><td>${n(p.detected - (k > 0 ? r.cumulative[k - 1]!.detected : 0))}</td><td>${n(p.detected)}</td><td>${pct(p.faultCoverage)}</td><td>${pct(p.testCoverage)}</td></tr>`)
    .join("");
  const undetected = r.faults.filter((f) => f.cls === "ND" || f.cls === "AU" || f.cls === "PD");
  const ud = r.faults.filter((f) => f.cls === "UD");
  const k = c.pdCredit;
  return `${reportPageHead(`snn-atpg coverage: ${esc(r.testbench.id)}`)}
<h1>Fault coverage of ${esc(r.program.file)} on ${esc(r.testbench.id)}</h1>
<p>${n(r.program.vectors)} vectors, ${nanoseconds(r.program.testTimeNs)} of stimulus; testbench sha256 <code>${esc(r.testbench.sha256)}</code>.
Engine <b>${esc(r.engine.id)}</b>, fault dropping ${r.engine.drop ? "on" : "off"}, ${n(r.engine.evaluations)} fault × vector evaluations in ${(r.engine.elapsedMs / 1000).toFixed(2)} s.
Universe: ${n(r.universe.total.uncollapsed)} faults, ${n(r.universe.total.collapsed)} after collapsing.</p>
${runSection(r, opts.run)}
<h2>Summary by fault model</h2>
${table([...models, ["total", t], ["(collapsed)", c.collapsed]], "fault model")}
${c.byLayer.length > 1 ? `<h2>By layer</h2>${table(c.byLayer.map((m, i) => [`layer ${i}`, m]), "layer")}` : ""}
<p><code>${esc(c.formulas.faultCoverage)} = (${n(t.DT)} + ${k}·${n(t.PD)}) / ${n(t.all)} = ${faultCoverageText(t)}</code><br>
<code>${esc(c.formulas.testCoverage)} = (${n(t.DT)} + ${k}·${n(t.PD)}) / (${n(t.all)} − ${n(t.UD)}) = ${testCoverageText(t)}</code><br>
Counts are ${esc(c.formulas.counting)}.</p>
${opts.criticality ? criticalityHtml(opts.criticality) : ""}
<h2>Classes per fault model</h2>${bars}
<h2>Cumulative coverage versus vectors</h2>${curve}
<h2 id="detections">Detections per vector (${n(r.cumulative.length)}${r.cumulative.length > limit ? `, first ${n(limit)}` : ""})</h2>
<table id="detections-per-vector"><tr><th>vector, in the order applied</th><th>newly detected (DT, uncollapsed)</th><th>detected so far</th><th>fault coverage</th><th>test coverage</th></tr>${perVector}</table>
<h2>Undetected cell faults per crossbar (ND + AU)</h2>${maps}
${faultList("undetected", "Not detected and possibly detected faults", undetected, limit, "reason", true)}
${faultList("undetectable", "Undetectable faults (UD) and their proofs", ud, limit, "proof", false)}
</body></html>
`;
}
