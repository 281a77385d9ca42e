/**
 * The lifetime record as seed 004 draws it (figs. 7b, 14b): held-out accuracy (%) against
 * years, one line per curve (Δ or mixed array) through the Monte-Carlo means, with the
 * trials' min–max as bars, and the floor as a dashed grey line when one was asked for.
 * A sink over the frozen `LifetimeResult`.
 *
 *   writeFileSync("lifetime.svg", lifetimeSvg(result, { floor: 0.85 }));
 */
import type { LifetimeResult } from "./lifetime.ts";
import { svgPlot, type PlotSeries } from "./svg-plot.ts";

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

export function lifetimeSvg(r: LifetimeResult, o: { floor?: number } = {}): string {
  const series: PlotSeries[] = [];
  r.curves.forEach((c, i) => {
    const color = palette[i % palette.length];
    series.push({ name: c.label, style: "line", color, points: c.points.map((p) => ({ x: p.years, y: 100 * p.mean })) });
    if (r.trials > 1) {
      series.push({ name: c.label, style: "markers", color, noLegend: true, points: c.points.map((p) => ({ x: p.years, y: 100 * p.mean, yLow: 100 * p.min, yHigh: 100 * p.max })) });
    }
  });
  if (o.floor !== undefined && r.curves.length) {
    const years = r.curves[0].points.map((p) => p.years);
    series.push({ name: `floor ${(100 * o.floor).toFixed(0)} %`, style: "line", color: "#999", points: [{ x: years[0], y: 100 * o.floor }, { x: years[years.length - 1], y: 100 * o.floor }] });
  }
  const svg = svgPlot({
    title: `${r.bench}: accuracy over the years (${r.images} held-out digits, ${r.trials} trial(s), ${r.reference} reference)`,
    xLabel: "years",
    yLabel: "held-out accuracy (%)",
    yRange: [0, 100],
    series,
    width: 820,
  });
  // The floor line dashed, so it does not read as a curve.
  return o.floor === undefined ? svg : svg.replace(/(<path d="[^"]*" fill="none" stroke="#999")/, '$1 stroke-dasharray="6 4"');
}
