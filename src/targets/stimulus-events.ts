/**
 * The input events a program vector is played with at the timing a target really uses
 * (it may round IW/LW to its tick): a pattern vector is laid out again on that timing,
 * explicit events are played as written. The bench executor plays these, and a
 * target's pre-run check (scpi-compatibility.ts) judges these — the same events.
 *
 *   stimulusEvents({ pattern: ["11"], windows: 2, iwPs: 1000, lwPs: 9000, … }, { iwPs: 1000, lwPs: 9000 })
 *   // [{ input: 0, timePs: 0 }, { input: 1, timePs: 0 }, { input: 0, timePs: 10000 }, { input: 1, timePs: 10000 }]
 */
import type { ProgramVector } from "../formats/program-format.ts";
import { vectorEvents } from "../formats/program-loader.ts";
import { patternEvents } from "../sim/stimulus.ts";

export function stimulusEvents(v: ProgramVector, used: { iwPs: number; lwPs: number }): { input: number; timePs: number }[] {
  const retimed = v.pattern && (used.iwPs !== v.iwPs || used.lwPs !== v.lwPs);
  return retimed ? patternEvents(v.pattern!, v.windows, used.iwPs, used.lwPs) : vectorEvents(v);
}
