/**
 * Before the first step: can this instrument set play this program? A pulse generator
 * channel plays one evenly spaced burst per vector, at a pulse width and period inside
 * the profile's ranges; counters observe the profile's outputs; WRITE/READ need the
 * profile's `array` instrument. Every step is judged with the rules the scpi target
 * plays it by (scpiWindowTiming, planBursts, stimulusEvents), so a program that passes
 * here is not refused for these reasons mid-run. A refusal is bad input (exit 2) that
 * names the step and the profile field:
 *
 *   p.json: vectors[0] (v1): row 0: events at 0, 20840 ps are not one burst at the window period 10420 ps; …
 *     — instruments/keysight-81160a-53230a.json at rows (row 0 = pg1 channel 1)
 */
import { InputError } from "../formats/errors.ts";
import type { LoadedInstrumentProfile } from "../formats/instrument-profile-loader.ts";
import { isSpikeVector, type Program, type ProgramVector } from "../formats/program-format.ts";
import { planBursts, scpiWindowTiming, ScpiStimulusError } from "./scpi-stimulus.ts";
import { stimulusEvents } from "./stimulus-events.ts";

/** One thing a step needs that the profile cannot do. */
export interface CompatibilityProblem {
  /** Step index in the program, or -1 for the program as a whole. */
  index: number;
  /** The profile field that sets the limit, e.g. `timing.widthRangePs`. */
  field: string;
  message: string;
}

/** A program the instrument set cannot play; the message lists the first few problems. */
export class ProfileCompatibilityError extends InputError {
  readonly problems: CompatibilityProblem[];
  constructor(message: string, problems: CompatibilityProblem[]) {
    super(message);
    this.name = "ProfileCompatibilityError";
    this.problems = problems;
  }
}

const shown = 5;

/**
 * What the profile forbids in one spike vector (empty when it can play it): the same
 * rules for the pre-run check of a whole program and for `generate --profile`, which
 * asks this of every candidate before it is judged.
 */
export function spikeVectorProblems(step: ProgramVector, lp: LoadedInstrumentProfile, o: { inputs: number; outputs: number }): { field: string; message: string }[] {
  const p = lp.profile;
  const out: { field: string; message: string }[] = [];
  const rows = Math.min(o.inputs, lp.rows.length);
  const outputs = Math.min(o.outputs, lp.outputs.length);
  const channel = (k: number) => (lp.rows[k] ? `${lp.rows[k].instrument} channel ${lp.rows[k].channel}` : "none");
  if (step.writes?.length && !p.array) out.push({ field: noArray, message: "the vector programs weights (writes)" });
  const timing = scpiWindowTiming(step.iwPs, step.lwPs, p.timing);
  if (timing.outOfRange) {
    const range = timing.outOfRange.field === "timing.widthRangePs" ? p.timing.widthRangePs : p.timing.periodRangePs;
    out.push({ field: `${timing.outOfRange.field} [${range.join(", ")}]`, message: timing.outOfRange.text });
    return out;
  }
  const beyond = step.expected.find((e) => e.output >= outputs);
  if (beyond) out.push({ field: `outputs (${lp.outputs.length} counter channel(s))`, message: `a spike is expected on output ${beyond.output}` });
  try {
    planBursts({ events: stimulusEvents(step, timing), windows: step.windows }, rows, timing.iwPs, timing.lwPs);
  } catch (err) {
    if (!(err instanceof ScpiStimulusError)) throw err;
    out.push({ field: err.row !== undefined ? `rows (row ${err.row} = ${channel(err.row)}: one burst per vector)` : `rows (${rows} row channel(s))`, message: err.message });
  }
  return out;
}

const noArray = "array (absent: no instrument writes or reads crossbar rows)";

/** Every step the profile cannot play, with the field that forbids it. */
export function scpiCompatibilityProblems(program: Program, lp: LoadedInstrumentProfile, o: { inputs: number; outputs: number }): CompatibilityProblem[] {
  const p = lp.profile;
  const out: CompatibilityProblem[] = [];
  if (lp.rows.length < o.inputs) out.push({ index: -1, field: `rows (${lp.rows.length} row channel(s))`, message: `the testbench has ${o.inputs} input rows` });
  if (lp.outputs.length < o.outputs) out.push({ index: -1, field: `outputs (${lp.outputs.length} counter channel(s))`, message: `the testbench has ${o.outputs} observable outputs` });
  program.vectors.forEach((step, index) => {
    if (!isSpikeVector(step)) {
      if ((step.kind === "write" || step.kind === "read") && !p.array) out.push({ index, field: noArray, message: `a ${step.kind.toUpperCase()} step` });
      else if ((step.kind === "write" && step.levels) || (step.kind === "read" && step.expectedLevels)) {
        out.push({ index, field: "array.commands (bits only)", message: `a ${step.kind.toUpperCase()} of levels of multi-level cells (the profile's writeRow / readRow templates carry 0/1 bits)` });
      }
      return;
    }
    for (const q of spikeVectorProblems(step, lp, o)) out.push({ index, ...q });
  });
  return out;
}

/** Throw a ProfileCompatibilityError when the profile cannot play some step of the program. */
export function checkScpiCompatibility(program: Program, programFile: string, lp: LoadedInstrumentProfile, o: { inputs: number; outputs: number }): void {
  const problems = scpiCompatibilityProblems(program, lp, o);
  if (problems.length === 0) return;
  const line = (q: CompatibilityProblem) =>
    `${programFile}: ${q.index < 0 ? "the program's testbench" : `vectors[${q.index}] (${program.vectors[q.index]!.id})`}: ${q.message} — ${lp.file} at ${q.field}`;
  const steps = new Set(problems.map((q) => q.index)).size;
  throw new ProfileCompatibilityError(
    [
      `instrument profile ${p(lp)} cannot play ${steps} step(s) of ${programFile}; nothing was sent to the instruments:`,
      ...problems.slice(0, shown).map(line),
      ...(problems.length > shown ? [`... and ${problems.length - shown} more`] : []),
      "run the program on a board (--target serial) or the sim target, or use a profile whose limits cover it",
    ].join("\n"),
    problems,
  );
}

const p = (lp: LoadedInstrumentProfile) => lp.profile.id;

/**
 * The profile's limits as a generator constraint (`generate --profile`, atpg/vector-constraint.ts):
 * its pulse widths and periods, and the same per-vector rules as the pre-run check.
 */
export function scpiPlayability(lp: LoadedInstrumentProfile, o: { inputs: number; outputs: number }) {
  return {
    title: `instrument profile ${lp.profile.id}`,
    widthRangePs: lp.profile.timing.widthRangePs,
    periodRangePs: lp.profile.timing.periodRangePs,
    refuse(v: ProgramVector): string | null {
      const q = spikeVectorProblems(v, lp, o)[0];
      return q ? `${q.message} — ${lp.file} at ${q.field}` : null;
    },
  };
}
