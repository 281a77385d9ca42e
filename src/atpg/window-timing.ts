/**
 * Window timing a test may use: the bench's IW/LW ranges on the tester's tick grid,
 * and the order in which the generator tries leaky windows.
 *
 *   const t = timingRangeOf(bench);          // { iwPs: [500, 2000], lwPs: [5000, 20000], tickPs: 10, … }
 *   bisectTicks(t.iwPs, t.tickPs, (iw) => margin(iw) >= 0.2)   // smallest IW that still fires
 *
 * Why it matters (seed 000 table VI): at a fixed pattern and window count, a shorter IW
 * and a longer LW bring the good neuron closer to its threshold, so a smaller open
 * stops the spike. Below threshold the neuron is linear in its drive, so a fault that
 * scales the drive (an open, a dead synapse, a gain fault) moves ln(x/θ) by the same
 * amount whatever the timing: what timing buys is placing the good chip's margin
 * exactly at the guard band (IW is continuous, a set of active rows is not). Leak
 * faults are different: a longer LW (or empty windows between pulses) makes the
 * change of τ show more, so they get long leaky windows first.
 */
import type { Testbench } from "../formats/testbench-format.ts";

/** Allowed timing of a bench. */
export interface TimingRange {
  iwPs: [number, number];
  lwPs: [number, number];
  tickPs: number;
  nominal: { iwPs: number; lwPs: number };
}

/** Round up to the tick grid. */
export function ceilTick(ps: number, tickPs: number): number {
  return Math.ceil(ps / tickPs) * tickPs;
}

/** Round down to the tick grid. */
export function floorTick(ps: number, tickPs: number): number {
  return Math.floor(ps / tickPs) * tickPs;
}

/** The bench's timing range (the nominal timing when no range is declared). */
export function timingRangeOf(bench: Pick<Testbench, "timing">): TimingRange {
  const t = bench.timing;
  const tick = t.tickPs;
  const iw = t.iwRangePs ?? [t.iwPs, t.iwPs];
  const lw = t.lwRangePs ?? [t.lwPs, t.lwPs];
  return {
    iwPs: [ceilTick(iw[0], tick), Math.max(ceilTick(iw[0], tick), floorTick(iw[1], tick))],
    lwPs: [ceilTick(lw[0], tick), Math.max(ceilTick(lw[0], tick), floorTick(lw[1], tick))],
    tickPs: tick,
    nominal: { iwPs: t.iwPs, lwPs: t.lwPs },
  };
}

/** Leaky windows to try, most sensitive first: longest, nominal, shortest (distinct). */
export function leakyWindowChoices(r: TimingRange): number[] {
  return [...new Set([r.lwPs[1], r.nominal.lwPs, r.lwPs[0]])];
}

/**
 * Smallest value on the tick grid of [lo, hi] for which `ok` holds, assuming `ok` is
 * monotone (false … false true … true); null when even `hi` fails.
 */
export function bisectTicks(range: readonly [number, number], tickPs: number, ok: (ps: number) => boolean): number | null {
  let lo = Math.round(range[0] / tickPs);
  let hi = Math.round(range[1] / tickPs);
  if (!ok(hi * tickPs)) return null;
  if (ok(lo * tickPs)) return lo * tickPs;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid * tickPs)) hi = mid;
    else lo = mid;
  }
  return hi * tickPs;
}

/** Largest value on the grid for which `ok` holds, assuming true … true false … false; null when `lo` fails. */
export function bisectTicksDown(range: readonly [number, number], tickPs: number, ok: (ps: number) => boolean): number | null {
  let lo = Math.round(range[0] / tickPs);
  let hi = Math.round(range[1] / tickPs);
  if (!ok(lo * tickPs)) return null;
  if (ok(hi * tickPs)) return hi * tickPs;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid * tickPs)) lo = mid;
    else hi = mid;
  }
  return lo * tickPs;
}
