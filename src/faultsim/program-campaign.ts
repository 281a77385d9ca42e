/**
 * Grading a program with phases: spike vectors on the mission weights, then array steps
 * (march tests over WRITE/READ and the restore of the mission weights), one fault
 * outcome per fault.
 *
 *   const split = splitProgram(program, file);            // spike vectors first, then array steps
 *   const merged = mergeOutcomes(spikeResult, gradeArraySteps(net, faults, split.arraySteps), faults, split);
 *
 * Merge rule, in program order: a fault detected by a spike vector is DT there; else DT
 * at the first READ that differs; else the spike class — except that a spike-only proof
 * of undetectability (UD) does not hold for a fault READ can see when the program
 * reads: such a fault is ND ("not found by this program's reads"), because another
 * program's reads would find it.
 *
 * Spike vectors after a WRITE run on test weights (the neuron phase); grading those is
 * not built yet, so they are refused with the step named.
 */
import type { Fault } from "../faults/fault.ts";
import { FormatError } from "../formats/format-error.ts";
import { isSpikeVector, type Program, type ProgramStep, type TestPhase } from "../formats/program-format.ts";
import type { ArrayOutcome, ArrayStep } from "./array-grader.ts";
import type { FaultOutcome, FaultSimResult } from "./fault-engine.ts";

export interface SplitProgram {
  /** Index in program.vectors of each spike vector. */
  spikeIndices: number[];
  arraySteps: ArrayStep[];
  /** Phase of each step id (steps without a phase: "spike vectors" → functional, others → array). */
  phaseOf: Map<string, TestPhase>;
  hasReads: boolean;
}

/** Split a program into its spike vectors and its array steps; refuse spike vectors after a WRITE. */
export function splitProgram(program: Program, file: string): SplitProgram {
  const spikeIndices: number[] = [];
  const arraySteps: ArrayStep[] = [];
  const phaseOf = new Map<string, TestPhase>();
  let firstWrite: ProgramStep | null = null;
  program.vectors.forEach((s, i) => {
    if (isSpikeVector(s)) {
      if (firstWrite || s.writes?.length) {
        throw new FormatError({
          file,
          where: `vectors[${i}] (${s.id})`,
          expected: "spike vectors before the first WRITE (they are graded on the mission weights)",
          found: firstWrite ? `a spike vector after write step ${firstWrite.id}` : "a spike vector with writes",
          hint: "spike vectors on test weights (the neuron phase) are not graded yet; put the spike vectors first, or run the program with `snn-atpg run`",
        });
      }
      spikeIndices.push(i);
      phaseOf.set(s.id, s.phase ?? "functional");
    } else {
      if (s.kind === "write" && !firstWrite) firstWrite = s;
      arraySteps.push(s);
      phaseOf.set(s.id, s.phase ?? "array");
    }
  });
  return { spikeIndices, arraySteps, phaseOf, hasReads: arraySteps.some((s) => s.kind === "read") };
}

/** Whether READ can see a fault at all (any site but a neuron). */
export function readCanSee(f: Fault): boolean {
  return f.site.kind !== "neuron";
}

/** Merge spike and array outcomes (see header). */
export function mergeOutcomes(spike: FaultSimResult, array: readonly ArrayOutcome[], faults: readonly Fault[], split: SplitProgram): FaultSimResult {
  const outcomes: FaultOutcome[] = spike.outcomes.map((o, i) => {
    if (o.cls === "DT") return o;
    const a = array[i];
    if (a?.detected) return { faultId: o.faultId, cls: "DT", firstVector: a.firstStep, firstPossibleVector: o.firstPossibleVector ?? a.firstStep };
    if (o.cls === "UD" && split.hasReads && readCanSee(faults[i])) {
      return { faultId: o.faultId, cls: "ND", firstVector: null, reason: `not found by this program's reads (spike tests cannot see it: ${o.reason ?? "proved"})` };
    }
    return o;
  });
  return { ...spike, outcomes, evaluations: spike.evaluations + array.length };
}

/** DT counts by the phase of the first detecting step (uncollapsed: class sizes). */
export function detectionsByPhase(result: FaultSimResult, faults: readonly Fault[], split: SplitProgram): Record<TestPhase, number> {
  const out: Record<TestPhase, number> = { array: 0, neuron: 0, functional: 0 };
  result.outcomes.forEach((o, i) => {
    if (o.cls !== "DT" || !o.firstVector) return;
    const p = split.phaseOf.get(o.firstVector);
    if (p) out[p] += faults[i].classSize;
  });
  return out;
}
