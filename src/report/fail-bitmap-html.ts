/**
 * HTML sink for an array diagnosis: one self-contained file (inline CSS and SVG, no
 * scripts) with the READ fail bitmap of every layer — rows × columns, failing cells red,
 * the shape the diagnosis names under it — the failing READ steps and the ranked
 * candidate faults. Same house style as the coverage report (coverage-html.ts).
 *
 *   writeFileSync("chip-7.html", failBitmapHtml(diagnosis, { dutId: "chip-7", programFile, testbenchId }));
 */
import type { ArrayDiagnosis } from "../bench/array-diagnosis.ts";
import type { CoverageRunMetadata } from "./coverage-html.ts";
import { esc, reportPageHead, failBitmap } from "./svg-charts.ts";

/** What the report says about the run it diagnoses. */
export interface FailBitmapHtmlInfo {
  dutId: string;
  programFile: string;
  testbenchId: string;
  /** False when the datalog has no footer (the run stopped early). */
  complete: boolean;
  run?: CoverageRunMetadata;
}

const n = (x: number): string => x.toLocaleString("en-US");

function runTable(run: CoverageRunMetadata | undefined): string {
  if (!run) return "";
  return `<h2 id="run">Run</h2>
<table id="run-metadata"><tr><th>tool</th><td class="l">${esc(run.toolVersion)}</td></tr><tr><th>date</th><td class="l">${esc(run.date.toISOString())}</td></tr><tr><th>command line</th><td class="l"><code>${esc(run.commandLine)}</code></td></tr></table>`;
}

export function failBitmapHtml(d: ArrayDiagnosis, info: FailBitmapHtmlInfo, opts: { limitReads?: number } = {}): string {
  const limit = opts.limitReads ?? 200;
  const layers = d.layers
    .map((shape, layer) => {
      const b = d.bitmap.find((x) => x.layer === layer);
      const head = `<h3 id="layer-${layer}">layer ${layer}: ${n(shape.rows)} × ${n(shape.cols)} cells, ${n(b?.cells.length ?? 0)} failing</h3>`;
      const named = b ? `<p class="shape">${esc(b.shape)}</p>` : "<p class=\"shape\">No failing cell on this layer.</p>";
      return `<section id="bitmap-${layer}">${head}${failBitmap(b?.cells ?? [], shape.rows, shape.cols, `READ fail bitmap of layer ${layer}`)}${named}</section>`;
    })
    .join("\n");
  const reads = d.failingReads
    .slice(0, limit)
    .map((id) => `<tr><td class="l">${esc(id)}</td></tr>`)
    .join("");
  const cands = d.candidates
    .map((c, i) => `<tr><td>${i + 1}</td><td class="l">${esc(c.faultId)}</td><td class="l">${esc(c.equivalents.join(", ") || "—")}</td><td>${c.score.toFixed(2)}</td><td class="l">${esc(c.firstStep)}</td></tr>`)
    .join("");
  return `${reportPageHead(`snn-atpg fail bitmap: ${esc(info.dutId)}`)}
<h1>READ fail bitmap of ${esc(info.dutId)} (${esc(info.testbenchId)})</h1>
<p>Program <code>${esc(info.programFile)}</code>; ${n(d.failingReads.length)} READ step(s) failed${d.failingReads.length ? `, the first ${esc(d.failingReads[0])}` : ""}${info.complete ? "" : "; the datalog is unfinished"}.
Each red square is a cell some READ got wrong (green: read right or not read).</p>
${runTable(info.run)}
<h2>Fail bitmap per layer</h2>
${layers}
<h2>Candidate faults</h2>
${d.candidates.length ? `<table id="candidates"><tr><th>rank</th><th>fault</th><th>equivalent</th><th>score</th><th>first failing READ</th></tr>${cands}</table>` : `<p>${d.failingReads.length ? "No single fault of the shipped models predicts the first failing READ." : "The chip passed every READ."}</p>`}
<h2>Failing READ steps (${n(d.failingReads.length)}${d.failingReads.length > limit ? `, first ${n(limit)}` : ""})</h2>
<table id="failing-reads"><tr><th>step</th></tr>${reads}</table>
</body></html>
`;
}
