/**
 * What one vector asks of the pulse generators, as the scpi target plays it: each row
 * is one burst of `count` pulses starting at `delayPs`, spaced by the window period
 * (IW + LW), with IW and the period rounded to the profile's tick and inside its
 * ranges. A stimulus that does not fit is a `ScpiStimulusError` naming the row.
 *
 *   planBursts({ events: [{ input: 0, timePs: 0 }, { input: 0, timePs: 10000 }], windows: 2 }, 1, 1000, 9000)
 *   // [{ delayPs: 0, count: 2 }]
 */
import type { InstrumentProfile } from "../formats/instrument-profile-format.ts";
import { BenchSetupError } from "../transports/bench-error.ts";
import type { TargetStimulus } from "./target.ts";

/** A stimulus this instrument set cannot produce. */
export class ScpiStimulusError extends BenchSetupError {
  /** The input row whose events cannot be played, when one row is to blame. */
  readonly row?: number;
  constructor(message: string, row?: number) {
    super(message);
    this.name = "ScpiStimulusError";
    this.row = row;
  }
}

/**
 * The window timing the pulse generators will use for a requested IW/LW: each rounded
 * to the profile's tick (at least one tick), and whether the pulse width (IW) or the
 * period (IW + LW) falls outside the profile's ranges (`outOfRange` names the field).
 */
export function scpiWindowTiming(
  iwPs: number,
  lwPs: number,
  t: InstrumentProfile["timing"],
): { iwPs: number; lwPs: number; outOfRange?: { field: "timing.widthRangePs" | "timing.periodRangePs"; text: string } } {
  const iw = Math.max(t.tickPs, Math.round(iwPs / t.tickPs) * t.tickPs);
  const lw = Math.max(t.tickPs, Math.round(lwPs / t.tickPs) * t.tickPs);
  const [wMin, wMax] = t.widthRangePs;
  const [tMin, tMax] = t.periodRangePs;
  if (iw < wMin || iw > wMax) return { iwPs: iw, lwPs: lw, outOfRange: { field: "timing.widthRangePs", text: `the pulse generators make pulses of ${wMin}..${wMax} ps; the program asks for IW ${iw} ps` } };
  if (iw + lw < tMin || iw + lw > tMax) return { iwPs: iw, lwPs: lw, outOfRange: { field: "timing.periodRangePs", text: `the pulse generators make periods of ${tMin}..${tMax} ps; the program asks for IW + LW = ${iw + lw} ps` } };
  return { iwPs: iw, lwPs: lw };
}

/** Burst that drives one row for one vector. */
export interface RowBurst {
  delayPs: number;
  count: number;
}

/** Turn a stimulus into one burst per row, or say why it cannot be done. */
export function planBursts(stim: TargetStimulus, rows: number, iwPs: number, lwPs: number): (RowBurst | null)[] {
  const periodPs = iwPs + lwPs;
  const endPs = stim.windows * periodPs;
  const times: number[][] = Array.from({ length: rows }, () => []);
  for (const e of stim.events) {
    if (!Number.isInteger(e.input) || e.input < 0 || e.input >= rows) throw new ScpiStimulusError(`input ${e.input} does not exist (the instrument set drives inputs 0..${rows - 1})`);
    times[e.input].push(e.timePs);
  }
  return times.map((ts, row) => {
    if (ts.length === 0) return null;
    ts.sort((a, b) => a - b);
    for (let k = 1; k < ts.length; k++) {
      if (ts[k] - ts[k - 1] !== periodPs) {
        throw new ScpiStimulusError(
          `row ${row}: events at ${ts.join(", ")} ps are not one burst at the window period ${periodPs} ps; ` +
            "a pulse generator channel makes one evenly spaced burst per vector (use a board target for this vector)",
          row,
        );
      }
    }
    const last = ts[ts.length - 1];
    if (ts[0] < 0 || last + iwPs > endPs) throw new ScpiStimulusError(`row ${row}: an event at ${ts[0] < 0 ? ts[0] : last} ps ends outside the run of ${stim.windows} window(s) (${endPs} ps)`, row);
    return { delayPs: ts[0], count: ts.length };
  });
}
