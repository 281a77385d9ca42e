/**
 * Small self-contained SVG charts (no scripts, no external fonts) for HTML reports:
 * stacked horizontal bars, a line chart, and a heat map.
 *
 *   stackedBars([{ label: "dead-synapse", parts: [4, 0, 0] }], ["DT", "PD", "ND"], colors)
 */
import { countColour } from "./colour-scale.ts";

/** Escape text for XML / HTML. */
/** The head of every HTML report (doctype, title, the house style), up to and including <body>; `title` is escaped by the caller. */
export function reportPageHead(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
td:first-child,th:first-child,td.l{text-align:left}
code{background:#f4f4f4;padding:0 3px}
</style></head><body>`;
}

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** One horizontal bar per row, split into parts (each part a share of the row's total). */
export function stackedBars(rows: { label: string; parts: number[] }[], partNames: readonly string[], colors: readonly string[]): string {
  const labelW = 170;
  const barW = 420;
  const h = 22;
  const height = rows.length * h + 30;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 70}" height="${height}" role="img" aria-label="coverage per fault model">`];
  rows.forEach((r, i) => {
    const y = i * h + 4;
    const total = r.parts.reduce((a, b) => a + b, 0);
    out.push(`<text x="${labelW - 6}" y="${y + 14}" text-anchor="end" font-size="12">${esc(r.label)}</text>`);
    let x = labelW;
    r.parts.forEach((p, k) => {
      if (total === 0 || p === 0) return;
      const w = (p / total) * barW;
      out.push(`<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${h - 6}" fill="${colors[k]}"><title>${esc(`${r.label}: ${partNames[k]} ${p}`)}</title></rect>`);
      x += w;
    });
    if (total === 0) out.push(`<text x="${labelW + 4}" y="${y + 14}" font-size="11" fill="#777">no faults</text>`);
    out.push(`<text x="${labelW + barW + 6}" y="${y + 14}" font-size="11">${total}</text>`);
  });
  const ly = rows.length * h + 18;
  partNames.forEach((n, k) => {
    out.push(`<rect x="${labelW + k * 70}" y="${ly - 9}" width="10" height="10" fill="${colors[k]}"/><text x="${labelW + k * 70 + 14}" y="${ly}" font-size="11">${esc(n)}</text>`);
  });
  out.push("</svg>");
  return out.join("");
}

/** Lines over x = 1..n with y in 0..1 (shown as percent). */
export function lineChart(series: { name: string; color: string; values: number[] }[], xLabel: string): string {
  const W = 560;
  const H = 260;
  const L = 50;
  const B = 36;
  const pw = W - L - 20;
  // the legend gets its own band above the plot (T), so no line can run under it
  const T = 34;
  const ph = H - B - T;
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const px = (i: number) => L + (n === 1 ? pw / 2 : (i / (n - 1)) * pw);
  const py = (v: number) => T + (1 - v) * ph;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="cumulative coverage">`];
  for (let g = 0; g <= 4; g++) {
    const y = py(g / 4);
    out.push(`<line x1="${L}" y1="${y}" x2="${L + pw}" y2="${y}" stroke="#ddd"/><text x="${L - 6}" y="${y + 4}" text-anchor="end" font-size="11">${g * 25} %</text>`);
  }
  out.push(`<text x="${L + pw / 2}" y="${H - 6}" text-anchor="middle" font-size="12">${esc(xLabel)}</text>`);
  out.push(`<text x="${L}" y="${H - 20}" font-size="11">1</text><text x="${L + pw}" y="${H - 20}" text-anchor="end" font-size="11">${n}</text>`);
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
  });
  out.push(`<g class="legend">`);
  series.forEach((s, k) => out.push(`<rect x="${L + 10 + k * 130}" y="6" width="10" height="10" fill="${s.color}"/><text x="${L + 24 + k * 130}" y="15" font-size="11">${esc(s.name)}</text>`));
  out.push("</g>");
  out.push("</svg>");
  return out.join("");
}

/**
 * A heat map of counts[row][col]: 0 white, 1 … max on the viridis scale reversed
 * (colour-scale.ts; light = few, dark = many), with axis captions and a legend of the
 * scale. Cells are as wide and as tall as the page allows each way, so an output layer
 * of 10 columns is not squeezed to the height of its 1,024 rows.
 */
export function heatMap(counts: number[][], max: number, caption: { rows: string; cols: string; unit?: string }): string {
  const nr = counts.length;
  const nc = counts[0]?.length ?? 0;
  const cellW = Math.max(2, Math.min(24, Math.floor(560 / Math.max(nc, 1))));
  const cellH = Math.max(2, Math.min(24, Math.floor(560 / Math.max(nr, 1))));
  const L = 40;
  const T = 10;
  const legendH = 44;
  const W = Math.max(L + nc * cellW + 10, L + 260);
  const H = T + nr * cellH + 30 + legendH;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="undetected cell faults">`];
  out.push(`<rect x="${L}" y="${T}" width="${nc * cellW}" height="${nr * cellH}" fill="#fff" stroke="#bbb"/>`);
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const v = counts[r][c];
      if (v === 0) continue;
      out.push(`<rect x="${L + c * cellW}" y="${T + r * cellH}" width="${cellW}" height="${cellH}" fill="${countColour(v, max)}"><title>${v}</title></rect>`);
    }
  }
  out.push(`<text x="${L + (nc * cellW) / 2}" y="${T + nr * cellH + 22}" text-anchor="middle" font-size="11">${esc(caption.cols)}</text>`);
  out.push(`<text x="12" y="${T + (nr * cellH) / 2}" font-size="11" transform="rotate(-90 12 ${T + (nr * cellH) / 2})" text-anchor="middle">${esc(caption.rows)}</text>`);
  out.push(heatLegend(L, T + nr * cellH + 34, max, caption.unit ?? "undetected faults per cell"));
  out.push("</svg>");
  return out.join("");
}

/** The legend of heatMap's scale: a white swatch for 0, then 1 … max in steps. */
function heatLegend(x: number, y: number, max: number, unit: string): string {
  const steps = Math.min(Math.max(max, 1), 24);
  const w = Math.max(4, Math.floor(160 / steps));
  const values = Array.from({ length: steps }, (_, k) => (steps === 1 ? 1 : Math.round(1 + (k * (max - 1)) / (steps - 1))));
  const out = [`<g class="legend" font-size="10">`, `<rect x="${x}" y="${y}" width="10" height="10" fill="#fff" stroke="#bbb"/><text x="${x + 5}" y="${y + 22}" text-anchor="middle">0</text>`];
  const x0 = x + 20;
  values.forEach((v, k) => out.push(`<rect x="${x0 + k * w}" y="${y}" width="${w}" height="10" fill="${countColour(v, max)}"><title>${v}</title></rect>`));
  out.push(`<text x="${x0}" y="${y + 22}">1</text>`);
  if (max > 1) out.push(`<text x="${x0 + steps * w}" y="${y + 22}" text-anchor="end">${max.toLocaleString("en-US")}</text>`);
  out.push(`<text x="${x0 + steps * w + 8}" y="${y + 9}">${esc(unit)}</text>`, "</g>");
  return out.join("");
}

/**
 * A memory fail bitmap: rows down, columns across, each failing cell a red square
 * titled `r<row>.c<col>`. A crossbar too large for one pixel pair per cell is drawn in
 * bins of `step` × `step` cells, each failing bin titled with its range and count.
 */
export function failBitmap(cells: readonly (readonly [number, number])[], rows: number, cols: number, label: string): string {
  const step = Math.max(1, Math.ceil(Math.max(rows, cols) / 280));
  const nr = Math.ceil(rows / step);
  const nc = Math.ceil(cols / step);
  const cell = Math.max(2, Math.min(24, Math.floor(560 / Math.max(nr, nc, 1))));
  const L = 40;
  const T = 10;
  const W = L + nc * cell + 10;
  const H = T + nr * cell + 30;
  const bins = new Map<number, number>();
  for (const [r, c] of cells) {
    const k = Math.floor(r / step) * nc + Math.floor(c / step);
    bins.set(k, (bins.get(k) ?? 0) + 1);
  }
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">`];
  out.push(`<rect x="${L}" y="${T}" width="${nc * cell}" height="${nr * cell}" fill="#e8f4e8" stroke="#bbb"/>`);
  for (const [k, count] of [...bins].sort((a, b) => a[0] - b[0])) {
    const br = Math.floor(k / nc);
    const bc = k % nc;
    const title =
      step === 1
        ? `r${br}.c${bc}`
        : `rows ${br * step}–${Math.min(rows, (br + 1) * step) - 1}, columns ${bc * step}–${Math.min(cols, (bc + 1) * step) - 1}: ${count} failing`;
    out.push(`<rect class="fail" x="${L + bc * cell}" y="${T + br * cell}" width="${cell}" height="${cell}" fill="rgb(178,24,43)"><title>${title}</title></rect>`);
  }
  out.push(`<text x="${L + (nc * cell) / 2}" y="${H - 8}" text-anchor="middle" font-size="11">column (0 … ${cols - 1})${step > 1 ? `, bins of ${step}` : ""}</text>`);
  out.push(`<text x="12" y="${T + (nr * cell) / 2}" font-size="11" transform="rotate(-90 12 ${T + (nr * cell) / 2})" text-anchor="middle">row (0 … ${rows - 1})</text>`);
  out.push("</svg>");
  return out.join("");
}
