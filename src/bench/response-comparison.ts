/**
 * Compare a device's response with the good chip's expected spikes, within a
 * tolerance band, and classify every difference.
 *
 *   compareResponse(expected, observed, { toleranceBandPs: 500, periodPs: 10000 })
 *     → { match: false, mismatch: { missing: 0, extra: 1, shifted: 0 }, spikes: [...] }
 *
 * Per output and coding window, in time order: an observed spike within ± tolerance of
 * an expected one matches it; an unmatched expected and an unmatched observed spike in
 * the same window are one *shifted* spike; what is left is *missing* (expected, not
 * seen) or *extra* (seen, not expected). A spike that moved into another window counts
 * as one missing plus one extra, even when it moved less than the band. This is the
 * rule of src/faultsim/response-compare.ts (a test cross-checks them), so the bench
 * fails exactly the vectors the fault simulator says a fault is detected by.
 */
import type { DatalogSpike, Mismatch } from "../formats/datalog-format.ts";

export interface ComparisonOptions {
  /** A spike within ± this of its expected time matches, ps. */
  toleranceBandPs: number;
  /** Coding window period used by the target (iw + lw), ps: gives each observed spike its window. */
  periodPs: number;
}

export interface ComparisonResult {
  match: boolean;
  mismatch: Mismatch;
  /** The observed spikes with their windows, sorted by time then output. */
  spikes: DatalogSpike[];
}

/** A spike difference, for diagnosis: which output and window, and how. */
export interface SpikeDifference {
  output: number;
  window: number;
  kind: "missing" | "extra" | "shifted";
  /** observed − expected for a shifted spike, ps. */
  deltaPs?: number;
}

function byOutput<T extends { output: number }>(xs: readonly T[]): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const x of xs) {
    const l = m.get(x.output);
    if (l) l.push(x);
    else m.set(x.output, [x]);
  }
  return m;
}

/** Every difference between expected and observed spikes (empty when they match). */
export function spikeDifferences(expected: readonly DatalogSpike[], observed: readonly DatalogSpike[], toleranceBandPs: number): SpikeDifference[] {
  const diffs: SpikeDifference[] = [];
  const exp = byOutput([...expected].sort((a, b) => a.timePs - b.timePs));
  const obs = byOutput([...observed].sort((a, b) => a.timePs - b.timePs));
  const outputs = [...new Set([...exp.keys(), ...obs.keys()])].sort((a, b) => a - b);
  for (const o of outputs) {
    const e = exp.get(o) ?? [];
    const s = obs.get(o) ?? [];
    const used = new Array<boolean>(s.length).fill(false);
    const leftE: DatalogSpike[] = [];
    for (const x of e) {
      const j = s.findIndex((y, k) => !used[k] && y.window === x.window && Math.abs(y.timePs - x.timePs) <= toleranceBandPs);
      if (j >= 0) used[j] = true;
      else leftE.push(x);
    }
    const leftS = s.filter((_, k) => !used[k]);
    for (const x of leftE) {
      const j = leftS.findIndex((y) => y.window === x.window);
      if (j >= 0) {
        diffs.push({ output: o, window: x.window, kind: "shifted", deltaPs: leftS[j].timePs - x.timePs });
        leftS.splice(j, 1);
      } else diffs.push({ output: o, window: x.window, kind: "missing" });
    }
    for (const y of leftS) diffs.push({ output: o, window: y.window, kind: "extra" });
  }
  return diffs;
}

/** Give raw target spikes their windows, sorted by time then output. */
export function withWindows(spikes: readonly { output: number; timePs: number }[], periodPs: number): DatalogSpike[] {
  return spikes
    .map((s) => ({ output: s.output, window: Math.floor(s.timePs / periodPs), timePs: Math.round(s.timePs) }))
    .sort((a, b) => a.timePs - b.timePs || a.output - b.output);
}

export function compareResponse(
  expected: readonly DatalogSpike[],
  observed: readonly { output: number; timePs: number }[],
  o: ComparisonOptions,
): ComparisonResult {
  const spikes = withWindows(observed, o.periodPs);
  const diffs = spikeDifferences(expected, spikes, o.toleranceBandPs);
  const mismatch = { missing: 0, extra: 0, shifted: 0 };
  for (const d of diffs) mismatch[d.kind]++;
  return { match: diffs.length === 0, mismatch, spikes };
}
