/**
 * The agreement check of the two READ fault graders (src/faultsim/array-grader.ts):
 * the faults whose detection or first failing step differs between "fast" and
 * "reference" on the given array steps — an empty list when they agree.
 *
 *   expect(arrayEngineDisagreements(net, faults, steps)).toEqual([]);
 */
import { gradeArraySteps, type ArrayStep } from "../../src/faultsim/array-grader.ts";
import type { Fault } from "../../src/faults/fault.ts";
import type { CompiledNetwork } from "../../src/sim/compile.ts";

export function arrayEngineDisagreements(net: CompiledNetwork, faults: readonly Fault[], steps: readonly ArrayStep[]): string[] {
  const fast = gradeArraySteps(net, faults, steps, "fast");
  const ref = gradeArraySteps(net, faults, steps, "reference");
  return faults.filter((_, i) => fast[i].detected !== ref[i].detected || fast[i].firstStep !== ref[i].firstStep).map((f) => f.id);
}
