/**
 * SVG renderings of the device records (sinks over frozen results): a switching curve
 * with its 95 % intervals and logistic fit, and a magnetisation trace.
 *
 *   writeFileSync("curve.svg", switchingCurveSvg([curve]));
 */
import type { MagnetizationTrace } from "./magnetization-trace.ts";
import { svgPlot, type PlotSeries } from "./svg-plot.ts";
import type { SwitchingCurve } from "./switching-curve.ts";

/** One or more switching curves (e.g. several pulse widths) on one plot. */
export function switchingCurveSvg(curves: readonly SwitchingCurve[]): string {
  const series: PlotSeries[] = [];
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];
  curves.forEach((c, i) => {
    const color = palette[i % palette.length];
    const label = `${c.deviceId} ${c.pulsePs} ps`;
    series.push({
      name: label,
      style: "markers",
      color,
      points: c.points.map((p) => ({ x: p.currentUa, y: p.probability, yLow: p.ciLow, yHigh: p.ciHigh })),
    });
    if (c.fit.resolved) {
      const lo = c.points[0].currentUa;
      const hi = c.points[c.points.length - 1].currentUa;
      const pts = Array.from({ length: 101 }, (_, k) => {
        const x = lo + ((hi - lo) * k) / 100;
        return { x, y: 1 / (1 + Math.exp(-(x - c.fit.midpointUa) / c.fit.scaleUa)) };
      });
      series.push({ name: `fit I50 ${c.fit.midpointUa.toFixed(1)} µA`, style: "line", color, points: pts });
    }
  });
  return svgPlot({
    title: `Switching probability, T = ${curves[0]?.temperatureK ?? "?"} K (95 % Wilson intervals)`,
    xLabel: "heavy-metal current (µA)",
    yLabel: "switching probability",
    yRange: [0, 1],
    series,
  });
}

/** m_x, m_y, m_z and the barrier fraction versus time, with the current (scaled) for reference. */
export function traceSvg(t: MagnetizationTrace): string {
  const maxI = Math.max(1e-9, ...t.samples.map((s) => Math.abs(s.currentUa)));
  const ns = (ps: number) => ps / 1000;
  return svgPlot({
    title: `${t.deviceId}: magnetisation, T = ${t.temperatureK} K`,
    xLabel: "time (ns)",
    yLabel: "m components / barrier fraction",
    yRange: [-1.05, 1.05],
    series: [
      { name: "m_x", style: "line", points: t.samples.map((s) => ({ x: ns(s.timePs), y: s.mx })) },
      { name: "m_y", style: "line", points: t.samples.map((s) => ({ x: ns(s.timePs), y: s.my })) },
      { name: "m_z", style: "line", points: t.samples.map((s) => ({ x: ns(s.timePs), y: s.mz })) },
      { name: "E/E_B", style: "line", points: t.samples.map((s) => ({ x: ns(s.timePs), y: Math.min(1.05, s.barrierFraction) })) },
      { name: `I / ${maxI.toFixed(0)} µA`, style: "line", color: "#999", points: t.samples.map((s) => ({ x: ns(s.timePs), y: s.currentUa / maxI })) },
    ],
  });
}
