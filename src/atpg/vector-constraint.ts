/**
 * What a tester can play, as the generator sees it (`generate --profile`): the pulse
 * widths (IW) and periods (IW + LW) it makes, which narrow the bench's timing range
 * before any candidate is built, and a check of each candidate vector before the guard
 * band judges it. The rules themselves live with the target (for SCPI instruments,
 * targets/scpi-compatibility.ts); the generator only asks.
 *
 *   const c = scpiPlayability(loadInstrumentProfile("instruments/keysight-81160a-53230a.json"), { inputs: 4, outputs: 1 });
 *   narrowTiming(timingRangeOf(bench), c)   // IW [1000, 2000] instead of [500, 2000]
 *   c.refuse({ id: "c1", pattern: ["1000", "0000", "1000"], windows: 3, … })  // "row 0: events at 0, 20840 ps are not one burst …"
 */
import { InputError } from "../formats/errors.ts";
import type { ProgramVector } from "../formats/program-format.ts";
import type { CandidateVector } from "./candidate-vector.ts";
import { ceilTick, floorTick, type TimingRange } from "./window-timing.ts";

/** A tester's limits. */
export interface VectorConstraint {
  /** Who sets the limits, for messages (e.g. `instrument profile keysight-81160a-53230a`). */
  title: string;
  /** Pulse widths (IW) the tester makes, [min, max] ps. */
  widthRangePs: readonly [number, number];
  /** Pulse periods (IW + LW) the tester makes, [min, max] ps. */
  periodRangePs: readonly [number, number];
  /** Why the tester cannot play this vector (messages name the limit), or null when it can. */
  refuse(v: ProgramVector): string | null;
}

/** The bench's timing cannot meet the tester's. */
export class TimingConstraintError extends InputError {}

/**
 * The part of the bench's timing range the tester can play: IW inside its widths, and
 * LW such that every IW of the range keeps IW + LW inside its periods (a box, so a
 * strategy may combine any IW with any LW of it); the nominal timing clamped into it.
 */
export function narrowTiming(r: TimingRange, c: VectorConstraint): TimingRange {
  const tick = r.tickPs;
  const iw: [number, number] = [ceilTick(Math.max(r.iwPs[0], c.widthRangePs[0]), tick), floorTick(Math.min(r.iwPs[1], c.widthRangePs[1]), tick)];
  if (iw[0] > iw[1]) {
    throw new TimingConstraintError(`the bench's IW range [${r.iwPs.join(", ")}] ps and the pulse widths of ${c.title} [${c.widthRangePs.join(", ")}] ps have no value in common; no vector could be played`);
  }
  const lw: [number, number] = [ceilTick(Math.max(r.lwPs[0], c.periodRangePs[0] - iw[0]), tick), floorTick(Math.min(r.lwPs[1], c.periodRangePs[1] - iw[1]), tick)];
  if (lw[0] > lw[1]) {
    throw new TimingConstraintError(
      `with IW in [${iw.join(", ")}] ps, no LW of the bench's range [${r.lwPs.join(", ")}] ps keeps IW + LW inside the periods of ${c.title} [${c.periodRangePs.join(", ")}] ps`,
    );
  }
  const clamp = (x: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, x));
  return { iwPs: iw, lwPs: lw, tickPs: tick, nominal: { iwPs: clamp(r.nominal.iwPs, iw), lwPs: clamp(r.nominal.lwPs, lw) } };
}

/** A candidate as the program vector the tester would be asked to play (no expected spikes yet). */
export function candidateAsVector(c: CandidateVector, id: string): ProgramVector {
  return { id, pattern: [...c.pattern], windows: c.windows, iwPs: c.iwPs, lwPs: c.lwPs, repetitions: 1, expected: [] };
}
