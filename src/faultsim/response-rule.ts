/**
 * The response rule: how an observed spike response differs from the expected one,
 * as a tester with a timing band and a timing resolution sees it. Every comparison of
 * spike responses in the tool derives from `compareSpikes`: the fault engines'
 * verdicts, the bench's pass/fail and the diagnosis signatures (through the
 * "exact-train" entry of pass-criteria.ts), and the guard band's spike shift.
 *
 * Per observable output and coding window, expected and observed spikes in time order:
 *   - an observed spike within ± toleranceBandPs of an expected one matches it (the
 *     first such, greedily); a match that moved by ≥ timingResolutionPs is
 *     `withinBand` (soft: the tester passes it, the fault simulator says possibly
 *     detected); one that moved less is equal (the tester cannot resolve it);
 *   - an unmatched expected and an unmatched observed spike of the same window are
 *     one `shifted` spike (hard);
 *   - what is left is `missing` (expected, not seen) or `extra` (seen, not expected).
 * A spike that moves to another window is one missing plus one extra, even when it
 * moved less than the band. A simulated neuron fires at most once per window; a board
 * may report more, and the greedy matching makes the second one extra.
 *
 *   const d = compareSpikes(expected, observed, { toleranceBandPs: 500, timingResolutionPs: 10 });
 *   d.differs            // a hard difference: the tester fails the chip
 *   d.possiblyDiffers    // only within-band shifts
 *
 * `compareTrains` is the fast engine's shortcut for one output's train (at most one
 * spike per window); test/faultsim/engine-agreement.test.ts checks it against
 * `compareSpikes`. `spikesDiffer` is `compareSpikes(…).differs` of two time-ordered
 * responses without building the detail (criticality asks it per fault and digit;
 * test/faultsim/spikes-differ.test.ts checks it against `compareSpikes`).
 */
import type { Spike } from "../formats/spike-format.ts";

/** The tester's timing rule: its tolerance band and its resolution. */
export interface TimingBand {
  /** A spike within ± this of its expected time matches, ps. */
  toleranceBandPs: number;
  /** Shifts smaller than this are invisible to the tester, ps (default 1). */
  timingResolutionPs?: number;
}

/** A spike seen in its expected output and window, at another time. */
export interface SpikeShift {
  output: number;
  window: number;
  expectedPs: number;
  observedPs: number;
  /** observed − expected, ps. */
  shiftPs: number;
}

/** Every difference between an expected and an observed response. */
export interface ResponseDiff {
  /** A hard difference: missing, extra or shifted beyond the band — the tester fails the chip. */
  differs: boolean;
  /** No hard difference, but some spike moved within the band (by at least the resolution). */
  possiblyDiffers: boolean;
  missing: Spike[];
  extra: Spike[];
  shifted: SpikeShift[];
  withinBand: SpikeShift[];
}

/** Verdict of one comparison: 0 = same, 1 = within-band shift only, 2 = hard difference. */
export type CompareVerdict = 0 | 1 | 2;

/** Default tester resolution when a band names none, ps. */
export const defaultTimingResolutionPs = 1;

function byOutput(spikes: readonly Spike[]): Map<number, Spike[]> {
  const m = new Map<number, Spike[]>();
  for (const s of spikes) {
    const l = m.get(s.output);
    if (l) l.push(s);
    else m.set(s.output, [s]);
  }
  for (const l of m.values()) l.sort((a, b) => a.timePs - b.timePs);
  return m;
}

function shift(e: Spike, o: Spike): SpikeShift {
  return { output: e.output, window: e.window, expectedPs: e.timePs, observedPs: o.timePs, shiftPs: o.timePs - e.timePs };
}

/** Compare an observed response with the expected one: missing / extra / shifted / within-band detail. */
export function compareSpikes(expected: readonly Spike[], observed: readonly Spike[], band: TimingBand): ResponseDiff {
  const tol = band.toleranceBandPs;
  const res = band.timingResolutionPs ?? defaultTimingResolutionPs;
  const out: ResponseDiff = { differs: false, possiblyDiffers: false, missing: [], extra: [], shifted: [], withinBand: [] };
  const exp = byOutput(expected);
  const obs = byOutput(observed);
  const outputs = [...new Set([...exp.keys(), ...obs.keys()])].sort((a, b) => a - b);
  for (const o of outputs) {
    const es = exp.get(o) ?? [];
    const os = obs.get(o) ?? [];
    const used = new Uint8Array(os.length);
    const left: Spike[] = [];
    for (const e of es) {
      let j = -1;
      for (let k = 0; k < os.length; k++) {
        if (!used[k] && os[k].window === e.window && Math.abs(os[k].timePs - e.timePs) <= tol) {
          j = k;
          break;
        }
      }
      if (j < 0) {
        left.push(e);
        continue;
      }
      used[j] = 1;
      if (Math.abs(os[j].timePs - e.timePs) >= res) out.withinBand.push(shift(e, os[j]));
    }
    for (const e of left) {
      let j = -1;
      for (let k = 0; k < os.length; k++) {
        if (!used[k] && os[k].window === e.window) {
          j = k;
          break;
        }
      }
      if (j < 0) out.missing.push(e);
      else {
        used[j] = 1;
        out.shifted.push(shift(e, os[j]));
      }
    }
    for (let k = 0; k < os.length; k++) if (!used[k]) out.extra.push(os[k]);
  }
  out.differs = out.missing.length + out.extra.length + out.shifted.length > 0;
  out.possiblyDiffers = !out.differs && out.withinBand.length > 0;
  return out;
}

/** Observed spikes matched so far (spikesDiffer's scratch, grown as needed). */
let matched = new Uint8Array(64);

/** Outputs as compareSpikes' per-output Map tells them apart (SameValueZero: NaN is NaN). */
const sameOutput = (a: number, b: number) => a === b || (a !== a && b !== b);

/** Whether spikes are in time order (as observableSpikes and a board's capture give them). */
function timeOrdered(spikes: readonly Spike[]): boolean {
  for (let k = 1; k < spikes.length; k++) if (spikes[k].timePs < spikes[k - 1].timePs) return false;
  return true;
}

/**
 * `compareSpikes(expected, observed, band).differs`, with no object built: a hard difference
 * unless every expected spike finds, greedily in time order, an unmatched observed spike of
 * its output and window within the band and no observed spike is left over — compareSpikes'
 * first pass succeeding everywhere (whatever goes to its second pass ends missing or
 * shifted). For time-ordered responses each output's spikes are visited in the order its
 * per-output sort gives; other inputs go to compareSpikes itself.
 */
export function spikesDiffer(expected: readonly Spike[], observed: readonly Spike[], band: TimingBand): boolean {
  if (expected.length !== observed.length) return true;
  if (!timeOrdered(expected) || !timeOrdered(observed)) return compareSpikes(expected, observed, band).differs;
  const n = observed.length;
  if (matched.length < n) matched = new Uint8Array(2 * n);
  matched.fill(0, 0, n);
  const tol = band.toleranceBandPs;
  for (const e of expected) {
    let k = 0;
    while (k < n && (matched[k] === 1 || !sameOutput(observed[k].output, e.output) || observed[k].window !== e.window || !(Math.abs(observed[k].timePs - e.timePs) <= tol))) k++;
    if (k === n) return true;
    matched[k] = 1;
  }
  return false; // as many observed as expected, each matched once
}

/** The verdict of a full comparison. */
export function verdictOf(d: ResponseDiff): CompareVerdict {
  return d.differs ? 2 : d.possiblyDiffers ? 1 : 0;
}

/**
 * The largest spike shift when every spike stays in its output and window (any shift
 * allowed, none too small to count), else null: the guard band's measure of a chip.
 */
export function worstShiftPs(expected: readonly Spike[], observed: readonly Spike[]): number | null {
  const d = compareSpikes(expected, observed, { toleranceBandPs: Number.POSITIVE_INFINITY, timingResolutionPs: 0 });
  if (d.differs) return null;
  let worst = 0;
  for (const s of d.withinBand) worst = Math.max(worst, Math.abs(s.shiftPs));
  return worst;
}

/**
 * The fast engine's shortcut: the verdict of `compareSpikes` for one output's trains
 * (each sorted by window, at most one spike per window), without building the detail.
 */
export function compareTrains(
  good: readonly { window: number; timePs: number }[],
  faulty: readonly { window: number; timePs: number }[],
  toleranceBandPs: number,
  resolutionPs = defaultTimingResolutionPs,
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
