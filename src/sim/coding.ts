/**
 * Input coding: pixel intensities → input events.
 *
 *   binary    a pixel ≥ half of I_max spikes at the start of every window (seed 000)
 *   temporal  single spike at t = ceil((I_max − I)/I_max · t_max)  (seed 000 eq. 1), once
 *   rate      Poisson: in each window a pixel spikes at its start with p = p_max · I/I_max (seeds 001, 002)
 *
 *   encode({ kind: "temporal", tMaxPs: 10000, iMax: 2 }, [2, 1, 0], …) → events 0@0, 1@5000, 2@10000
 */
import type { CodingSpec } from "../formats/testbench-format.ts";
import { createRng } from "./rng.ts";
import type { InputEvent } from "./stimulus.ts";

export interface EncodeOptions {
  windows: number;
  iwPs: number;
  lwPs: number;
  /** Maximum intensity (binary/rate); temporal uses the coding's iMax. */
  iMax?: number;
  /** Seed override for rate coding. */
  seed?: number;
}

/** Single-spike temporal coding time (seed 000 eq. 1), ps. */
export function temporalSpikeTimePs(intensity: number, iMax: number, tMaxPs: number): number {
  return Math.ceil(((iMax - intensity) / iMax) * tMaxPs);
}

/** Encode intensities as input events; events that would end after the run are dropped. */
export function encode(coding: CodingSpec, intensities: number[], o: EncodeOptions): InputEvent[] {
  const T = o.iwPs + o.lwPs;
  const end = o.windows * T;
  const events: InputEvent[] = [];
  switch (coding.kind) {
    case "binary": {
      const iMax = o.iMax ?? 1;
      for (let w = 0; w < o.windows; w++)
        intensities.forEach((v, i) => {
          if (v >= iMax / 2) events.push({ input: i, timePs: w * T });
        });
      break;
    }
    case "temporal": {
      intensities.forEach((v, i) => {
        const t = temporalSpikeTimePs(v, coding.iMax, coding.tMaxPs);
        if (t + o.iwPs <= end) events.push({ input: i, timePs: t });
      });
      break;
    }
    case "rate": {
      const iMax = o.iMax ?? 1;
      const rng = createRng(o.seed ?? coding.seed);
      for (let w = 0; w < o.windows; w++)
        intensities.forEach((v, i) => {
          if (rng.next() < (coding.maxProbability * v) / iMax) events.push({ input: i, timePs: w * T });
        });
      break;
    }
  }
  return events.sort((a, b) => a.timePs - b.timePs || a.input - b.input);
}
