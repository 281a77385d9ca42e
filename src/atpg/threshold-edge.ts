/**
 * Threshold-edge stimuli for one neuron. For a fault that lowers the neuron's drive the
 * good neuron should fire with the smallest margin the guard band allows (the fault then
 * removes the spike); for one that raises it, the good neuron should stay just below
 * threshold (the fault adds a spike).
 *
 *   findEdge(net, 0, 0, { side: "fire", windows: 3, spacing: 1, lwPs: 20000, order: [0, 1, 2, 3], minCount: 1 }, timing, 0.05)
 *   // → { pattern: ["1111"], windows: 3, iwPs: 1630, lwPs: 20000, logMargin: 0.051, count: 4 }
 *
 * A configuration fixes the window count k (the decisive window is k − 1), the spacing
 * of the pulse windows (every window, or every other one ending in window k − 1 — empty
 * windows expose leakage), the leaky window, and a ladder: rows switched on in `order`,
 * the first `minCount` always. Drive grows with every added row (each cell is a
 * conductance to the drive voltage) and with the IW, so the search is two bisections.
 * With a differential read a row whose cell is weaker than the reference LOWERS the
 * drive: the ladders rank those rows last (fault-target.ts), so the drive grows along
 * the ladder up to them and falls after; the bisection may then miss an edge, never
 * return a wrong one (every returned count and IW was probed to satisfy its condition):
 *   fire   the fewest rows whose longest IW reaches margin m, then the shortest IW that does
 *          (and every earlier window must stay m below threshold, or a good chip fires early);
 *   quiet  the most rows whose shortest IW stays m below threshold, then the longest IW.
 * "Fire" also requires that the neuron does not fire before the decisive window.
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { bitsOf, compactPattern, type CandidateVector } from "./candidate-vector.ts";
import { probeNeuron, type NeuronMargins } from "./neuron-probe.ts";
import { bisectTicks, bisectTicksDown, type TimingRange } from "./window-timing.ts";

export type EdgeSide = "fire" | "quiet";

/** One family of threshold-edge stimuli. */
export interface EdgeConfig {
  side: EdgeSide;
  /** Windows k; the decisive window is k − 1. */
  windows: number;
  /** Pulse every `spacing` windows, the last pulse in window k − 1. */
  spacing: number;
  lwPs: number;
  /** First-layer rows in the order they are switched on. */
  order: readonly number[];
  /** Rows of `order` that are always on. */
  minCount: number;
}

/** A stimulus at the edge, with its nominal margin |ln(x_peak/θ)| at the decisive window(s). */
export interface EdgeVector extends Pick<CandidateVector, "pattern" | "windows" | "iwPs" | "lwPs"> {
  logMargin: number;
  count: number;
  side: EdgeSide;
}

/** Pattern of a configuration with the first `count` rows of the ladder on. */
export function edgePattern(rows: number, cfg: EdgeConfig, count: number): string[] {
  const on = bitsOf(rows, cfg.order.slice(0, count));
  const off = "0".repeat(rows);
  const p: string[] = [];
  for (let w = 0; w < cfg.windows; w++) p.push((cfg.windows - 1 - w) % cfg.spacing === 0 ? on : off);
  return compactPattern(p, cfg.windows);
}

/**
 * Signed distance to the edge: fire side → ln ρ at the decisive window (+∞ when the
 * neuron already fired earlier); quiet side → the largest ln ρ over the windows.
 */
export function edgeValue(m: NeuronMargins, side: EdgeSide): number {
  const k = m.logPeak.length;
  if (side === "quiet") {
    let v = Number.NEGATIVE_INFINITY;
    for (let w = 0; w < k; w++) v = Math.max(v, m.fired[w] ? Math.max(0, m.logPeak[w]) : m.logPeak[w]);
    return v;
  }
  for (let w = 0; w < k - 1; w++) if (m.fired[w]) return Number.POSITIVE_INFINITY;
  return m.logPeak[k - 1];
}

/** Find the threshold-edge stimulus of a configuration with at least `logMargin` of guard. */
export function findEdge(
  net: CompiledNetwork,
  layer: number,
  col: number,
  cfg: EdgeConfig,
  timing: TimingRange,
  logMargin: number,
): EdgeVector | null {
  const rows = net.layers[0].rows;
  const value = (count: number, iwPs: number) =>
    edgeValue(probeNeuron(net, layer, col, { pattern: edgePattern(rows, cfg, count), windows: cfg.windows, iwPs, lwPs: cfg.lwPs }), cfg.side);
  const lo = Math.max(cfg.minCount, cfg.side === "fire" ? 1 : 0);
  const hi = cfg.order.length;
  if (lo > hi) return null;
  const [iwMin, iwMax] = timing.iwPs;
  let count: number | null;
  let iw: number | null;
  if (cfg.side === "fire") {
    // fewest rows that reach the margin at the longest IW
    count = bisectCount(lo, hi, (n) => value(n, iwMax) >= logMargin);
    if (count === null) return null;
    const n = count;
    iw = bisectTicks([iwMin, iwMax], timing.tickPs, (t) => value(n, t) >= logMargin);
    if (iw === null) return null;
    const m = probeNeuron(net, layer, col, { pattern: edgePattern(rows, cfg, n), windows: cfg.windows, iwPs: iw, lwPs: cfg.lwPs });
    const v = edgeValue(m, "fire");
    if (!Number.isFinite(v)) return null; // fired before the decisive window
    // the earlier windows must stay a margin below threshold too, or good chips fire early
    for (let w = 0; w < cfg.windows - 1; w++) if (m.logPeak[w] > -logMargin) return null;
    return { pattern: edgePattern(rows, cfg, n), windows: cfg.windows, iwPs: iw, lwPs: cfg.lwPs, logMargin: v, count: n, side: "fire" };
  }
  // most rows that stay below −margin at the shortest IW
  count = bisectCountDown(lo, hi, (n) => value(n, iwMin) <= -logMargin);
  if (count === null) return null;
  const n = count;
  iw = bisectTicksDown([iwMin, iwMax], timing.tickPs, (t) => value(n, t) <= -logMargin);
  if (iw === null) return null;
  const v = value(n, iw);
  if (v <= -15) return null; // never driven above the critical current: not an edge
  return { pattern: edgePattern(rows, cfg, n), windows: cfg.windows, iwPs: iw, lwPs: cfg.lwPs, logMargin: -v, count: n, side: "quiet" };
}

/** Smallest n in [lo, hi] with ok(n) (monotone false…true); null if none. */
function bisectCount(lo: number, hi: number, ok: (n: number) => boolean): number | null {
  if (!ok(hi)) return null;
  if (ok(lo)) return lo;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Largest n in [lo, hi] with ok(n) (monotone true…false); null if none. */
function bisectCountDown(lo: number, hi: number, ok: (n: number) => boolean): number | null {
  if (!ok(lo)) return null;
  if (ok(hi)) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
