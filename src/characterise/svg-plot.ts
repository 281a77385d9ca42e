/**
 * A small, dependency-free SVG line/point plot for the device commands: series of
 * (x, y) points drawn as lines or markers with optional vertical error bars, linear
 * axes with ticks, axis labels and a legend.
 *
 *   svgPlot({ title: "P_sw", xLabel: "I (µA)", yLabel: "P", series: [{ name: "0.5 ns",
 *     points: [{ x: 50, y: 0.3, yLow: 0.2, yHigh: 0.4 }], style: "markers" }] })  → "<svg …>"
 */

export interface PlotPoint {
  x: number;
  y: number;
  yLow?: number;
  yHigh?: number;
}

export interface PlotSeries {
  name: string;
  points: PlotPoint[];
  style: "line" | "markers";
  /** CSS colour; defaults to a fixed palette. */
  color?: string;
  /** Leave the series out of the legend (e.g. error bars drawn over a line of the same colour). */
  noLegend?: boolean;
}

export interface PlotSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
  yRange?: [number, number];
  width?: number;
  height?: number;
}

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** "Nice" tick positions covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export function svgPlot(spec: PlotSpec): string {
  const W = spec.width ?? 720;
  const H = spec.height ?? 440;
  const m = { left: 70, right: 150, top: 40, bottom: 55 };
  const all = spec.series.flatMap((s) => s.points);
  const xs = all.map((p) => p.x);
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (!(x1 > x0)) x1 = x0 + 1;
  let [y0, y1] = spec.yRange ?? [Math.min(...all.map((p) => p.yLow ?? p.y)), Math.max(...all.map((p) => p.yHigh ?? p.y))];
  if (!(y1 > y0)) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const pad = (x1 - x0) * 0.02;
  x0 -= pad;
  x1 += pad;
  const px = (x: number) => m.left + ((x - x0) / (x1 - x0)) * (W - m.left - m.right);
  const py = (y: number) => H - m.bottom - ((y - y0) / (y1 - y0)) * (H - m.top - m.bottom);
  const f = (v: number) => v.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14">${esc(spec.title)}</text>`,
    `<rect x="${m.left}" y="${m.top}" width="${W - m.left - m.right}" height="${H - m.top - m.bottom}" fill="none" stroke="#333"/>`,
  ];
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${f(px(t))}" y1="${H - m.bottom}" x2="${f(px(t))}" y2="${H - m.bottom + 5}" stroke="#333"/>`);
    parts.push(`<text x="${f(px(t))}" y="${H - m.bottom + 18}" text-anchor="middle">${t}</text>`);
  }
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.left - 5}" y1="${f(py(t))}" x2="${m.left}" y2="${f(py(t))}" stroke="#333"/>`);
    parts.push(`<line x1="${m.left}" y1="${f(py(t))}" x2="${W - m.right}" y2="${f(py(t))}" stroke="#eee"/>`);
    parts.push(`<text x="${m.left - 8}" y="${f(py(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  parts.push(`<text x="${(m.left + W - m.right) / 2}" y="${H - 12}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  parts.push(`<text transform="translate(18 ${(m.top + H - m.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  spec.series.forEach((s, i) => {
    const color = s.color ?? palette[i % palette.length];
    if (s.style === "line") {
      const d = s.points.map((p, k) => `${k === 0 ? "M" : "L"}${f(px(p.x))},${f(py(p.y))}`).join("");
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
    } else {
      for (const p of s.points) {
        if (p.yLow !== undefined && p.yHigh !== undefined) {
          parts.push(`<line x1="${f(px(p.x))}" y1="${f(py(p.yLow))}" x2="${f(px(p.x))}" y2="${f(py(p.yHigh))}" stroke="${color}"/>`);
        }
        parts.push(`<circle cx="${f(px(p.x))}" cy="${f(py(p.y))}" r="3" fill="${color}"/>`);
      }
    }
    if (s.noLegend) return;
    const ly = m.top + 10 + spec.series.slice(0, i).filter((q) => !q.noLegend).length * 18;
    parts.push(`<line x1="${W - m.right + 10}" y1="${ly}" x2="${W - m.right + 30}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${W - m.right + 35}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
