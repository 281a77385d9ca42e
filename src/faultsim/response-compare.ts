/**
 * Comparing a faulty response with the good one, the way a tester would.
 *
 * Spikes are matched per observable output and coding window (a neuron fires at
 * most once per window). For each (output, window):
 *   - good spike, no faulty spike            → missing           (hard difference)
 *   - faulty spike, no good spike            → extra             (hard difference)
 *   - both, |Δt| > toleranceBandPs           → shifted           (hard difference)
 *   - both, resolutionPs ≤ |Δt| ≤ band       → withinBand        (soft: possibly detected)
 *   - both, |Δt| < resolutionPs              → equal (the tester cannot resolve it)
 * A spike that moves to another window is one missing plus one extra.
 *
 *   const d = responsesDiffer(good, faulty, 500);
 *   d.differs            // true when any hard difference exists
 *   d.possiblyDiffers    // true when only within-band shifts exist
 */

/** One observable spike (PROTOCOL.md output numbering). */
export interface ObservedSpike {
  output: number;
  window: number;
  timePs: number;
}

export interface SpikeShift {
  output: number;
  window: number;
  goodPs: number;
  faultyPs: number;
  shiftPs: number;
}

/** Detail of a comparison. */
export interface ResponseDiff {
  /** A tester with this band fails the chip (missing, extra or shifted beyond the band). */
  differs: boolean;
  /** No hard difference, but some spike moved within the band: possibly detected. */
  possiblyDiffers: boolean;
  missing: ObservedSpike[];
  extra: ObservedSpike[];
  shifted: SpikeShift[];
  withinBand: SpikeShift[];
}

/** Verdict of one comparison: 0 = same, 1 = within-band shift only, 2 = hard difference. */
export type CompareVerdict = 0 | 1 | 2;

/**
 * Verdict for one output's spike trains (each sorted by window, at most one spike per
 * window) — the per-output core of `responsesDiffer`, used by the fast engine.
 */
export function compareTrains(
  good: readonly { window: number; timePs: number }[],
  faulty: readonly { window: number; timePs: number }[],
  toleranceBandPs: number,
  resolutionPs = 1,
): CompareVerdict {
  if (good.length !== faulty.length) return 2;
  let v: CompareVerdict = 0;
  for (let i = 0; i < good.length; i++) {
    if (good[i].window !== faulty[i].window) return 2;
    const d = Math.abs(good[i].timePs - faulty[i].timePs);
    if (d > toleranceBandPs) return 2;
    if (d >= resolutionPs) v = 1;
  }
  return v;
}

function byOutputWindow(spikes: readonly ObservedSpike[]): Map<string, ObservedSpike> {
  const m = new Map<string, ObservedSpike>();
  for (const s of spikes) m.set(`${s.output}:${s.window}`, s);
  return m;
}

/** Compare a faulty response with the good one (missing / extra / shifted detail). */
export function responsesDiffer(
  good: readonly ObservedSpike[],
  faulty: readonly ObservedSpike[],
  toleranceBandPs: number,
  resolutionPs = 1,
): ResponseDiff {
  const g = byOutputWindow(good);
  const f = byOutputWindow(faulty);
  const out: ResponseDiff = { differs: false, possiblyDiffers: false, missing: [], extra: [], shifted: [], withinBand: [] };
  for (const [k, gs] of g) {
    const fs = f.get(k);
    if (!fs) {
      out.missing.push(gs);
      continue;
    }
    const shiftPs = fs.timePs - gs.timePs;
    const d = Math.abs(shiftPs);
    const s = { output: gs.output, window: gs.window, goodPs: gs.timePs, faultyPs: fs.timePs, shiftPs };
    if (d > toleranceBandPs) out.shifted.push(s);
    else if (d >= resolutionPs) out.withinBand.push(s);
  }
  for (const [k, fs] of f) if (!g.has(k)) out.extra.push(fs);
  out.differs = out.missing.length + out.extra.length + out.shifted.length > 0;
  out.possiblyDiffers = !out.differs && out.withinBand.length > 0;
  return out;
}

/** The verdict of a full comparison. */
export function verdictOf(d: ResponseDiff): CompareVerdict {
  return d.differs ? 2 : d.possiblyDiffers ? 1 : 0;
}
