/**
 * The reference and fast ternary-array engines (src/faultsim/ternary-engines.ts) grade
 * every fault of Hou's 20 classes — every extent (cell, row, row-from, column,
 * column-above, column-below), every written-value condition, signed weights and both
 * polarities — identically, with the same first failing step, row and signature; and the
 * fast path really ran (it simulates fewer neuron ticks than the reference).
 */
import { describe, expect, it } from "vitest";
import { withoutSteps } from "../../src/atpg/hou-algorithm.ts";
import { enumerateTernaryFaults } from "../../src/faults/ternary-faults.ts";
import { ternaryEngines } from "../../src/faultsim/ternary-engines.ts";
import { houBench, houModels, houProgram, withBands } from "../ternary/hou-itc22.ts";

const models = houModels();

describe("ternary engines agree", () => {
  it.each([
    // DT at every step but the dropped one, and ND faults that run every vector
    ["the 90·N program without S 6 21", ["S6-21"], houBench(8)],
    // a band that puts good chips outside S 5 41: the good chip fails, and both engines say where
    ["a good band wider than the test (good-chip fails)", [] as string[], withBands(houBench(8), { plus: [2.3, 24.57] }, 3)],
  ])("%s", (_name, drop, bench) => {
    const program = withoutSteps(houProgram(), drop);
    const faults = enumerateTernaryFaults(bench, models);
    const ref = ternaryEngines.reference.run(bench, program, faults);
    const fast = ternaryEngines.fast.run(bench, program, faults);
    expect(fast.outcomes).toEqual(ref.outcomes);
    expect(fast.goodChipFails).toEqual(ref.goodChipFails);
    expect(fast.faultTicks).toBeLessThan(ref.faultTicks / 2);
  });
});
