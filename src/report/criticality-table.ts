/**
 * Sinks for the criticality record of `coverage --criticality` (characterise/
 * critical-coverage.ts): the terminal table and the HTML section, per fault model and
 * layer — faults, faults scored, critical share, mean accuracy drop, critical-fault
 * coverage — and the total, critical-fault coverage (CFC) beside FC and TC. Estimated
 * shares carry their 95 % interval in brackets; exact ones (every fault scored) do not.
 *
 *   for (const line of criticalityTableLines(rec, report.coverage.total)) ctx.out(line);
 */
import type { CriticalCoverageRecord, CriticalityStratum, EstimatedShare } from "../characterise/critical-coverage.ts";
import type { CoverageCounts } from "../faultsim/coverage.ts";
import { faultCoverageText, testCoverageText } from "./coverage-table.ts";
import { formatTable, percent } from "./format-table.ts";
import { esc } from "./svg-charts.ts";

const n = (x: number) => Math.round(x).toLocaleString("en-US");

/** "12.50 %", or "12.50 % [8.10 %, 17.90 %]" for an estimate; "n/a" when there is nothing to share. */
export function shareText(s: EstimatedShare): string {
  if (!Number.isFinite(s.share)) return "n/a";
  return s.low === s.high ? percent(s.share) : `${percent(s.share)} [${percent(s.low)}, ${percent(s.high)}]`;
}

function ruleText(r: CriticalCoverageRecord): string {
  return r.minChangedShare > 0 ? `changes ≥ ${percent(r.minChangedShare)} of the classifications` : "changes at least one classification";
}

function headline(r: CriticalCoverageRecord): string {
  const scored = r.total.sampled.toLocaleString("en-US");
  const how = r.sampled ? `a stratified sample of ${scored} representatives (≤ ${r.perStratum} per fault model and layer, seed ${r.seed}); shares are estimates with 95 % intervals (Wilson, Kish effective size)` : `all ${scored} representatives`;
  return `criticality on ${r.images} held-out MNIST digits (good chip ${percent(r.goodAccuracy)}): a fault is critical when it ${ruleText(r)}; scored ${how}`;
}

const cells = (name: string, s: Omit<CriticalityStratum, "modelId" | "layer">) => [
  name,
  n(s.faults),
  s.sampled.toLocaleString("en-US"),
  shareText(s.criticalShare),
  Number.isFinite(s.meanAccuracyDrop) ? `${(100 * s.meanAccuracyDrop).toFixed(2)} pt` : "n/a",
  shareText(s.criticalCoverage),
];

const header = ["fault model / layer", "faults", "scored", "critical", "mean drop", "critical-fault coverage"];

export function criticalityTableLines(r: CriticalCoverageRecord, total: Pick<CoverageCounts, "all" | "UD" | "faultCoverage" | "testCoverage">): string[] {
  return [
    "",
    headline(r),
    ...formatTable(header, [...r.strata.map((s) => cells(`${s.modelId} / l${s.layer}`, s)), cells("total", r.total)]),
    `critical-fault coverage CFC = ${shareText(r.total.criticalCoverage)} of ~${n(r.total.critical)} critical faults (FC ${faultCoverageText(total)}, TC ${testCoverageText(total)})`,
  ];
}

/** The HTML section: criticality per fault model and layer. */
export function criticalityHtml(r: CriticalCoverageRecord): string {
  const row = (c: string[], tag = "td") => `<tr>${c.map((x, i) => `<${tag}${i === 0 ? ' class="l"' : ""}>${esc(x)}</${tag}>`).join("")}</tr>`;
  const layers = [...new Set(r.strata.map((s) => s.layer))].map((l) => {
    const es = r.strata.filter((s) => s.layer === l);
    return `<h3>layer ${l}</h3><table id="criticality-l${l}">${row(header, "th")}${es.map((s) => row(cells(s.modelId, s))).join("")}</table>`;
  });
  return `<h2 id="criticality">Criticality: which faults change the classification</h2>
<p>${esc(headline(r))}.</p>
<p><b>Critical-fault coverage CFC = ${esc(shareText(r.total.criticalCoverage))}</b> of ~${n(r.total.critical)} critical faults; critical share of all faults ${esc(shareText(r.total.criticalShare))}, mean accuracy drop ${(100 * r.total.meanAccuracyDrop).toFixed(2)} pt.</p>
${layers.join("\n")}`;
}
