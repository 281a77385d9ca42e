/**
 * The reference and fast ternary-array engines (src/faultsim/ternary-engines.ts) grade
 * every fault of Hou's 20 classes — every extent (cell, row, row-from, column,
 * column-above, column-below), every written-value condition, signed weights and both
 * polarities — identically, with the same first failing step, row and signature, hence
 * the same DT / PD / ND per fault class; and the fast path really ran (the record names
 * its engine, and it simulates fewer neuron ticks than the reference).
 *
 * Signed weights: besides the −1 / 0 / +1 writes of the programs, a bench whose mission
 * weights are signed (−1, 0, +1 mixed, so written-value faults are active at power-on on
 * some cells only) is judged before any write.
 */
import { describe, expect, it } from "vitest";
import { withoutSteps } from "../../src/atpg/hou-algorithm.ts";
import { generateTernaryProgram } from "../../src/atpg/ternary-generator.ts";
import { enumerateTernaryFaults } from "../../src/faults/ternary-faults.ts";
import { ternaryEngines } from "../../src/faultsim/ternary-engines.ts";
import type { TernaryProgram } from "../../src/formats/ternary-program-format.ts";
import type { Testbench } from "../../src/formats/testbench-format.ts";
import { houBench, houModels, houProgram, withBands } from "../ternary/hou-itc22.ts";

const models = houModels();

/** Hou's N = 8 bench with signed mission weights: w(r, c) = ((r + c) mod 3) − 1. */
function signedBench(): Testbench {
  const tb = houBench(8);
  const weights = Array.from({ length: 8 }, (_, r) => Array.from({ length: 3 }, (_, c) => ((r + c) % 3) - 1));
  return { ...tb, id: "hou-itc22-n8-signed", layers: [{ ...tb.layers[0], weights }] };
}

/** Judge the mission weights first (down, θ = 19: a −1 cell's good |dV| ≤ 18.11 never fires in one tick, FIF −20 does), then the program. */
function missionFirst(p: TernaryProgram): TernaryProgram {
  return {
    ...p,
    steps: [
      { op: "neuron", id: "M-VTH381-SWP1", thresholdPotential: 381, polarity: "down" },
      { op: "spike-rows", id: "M-SZ1", windows: 1, criterion: { kind: "no-spike", windows: 1 } },
      ...p.steps,
    ],
  };
}

describe("ternary engines agree", () => {
  it.each([
    // DT at every step but the dropped one, and ND faults that run every vector
    ["the 90·N program without S 6 21", () => withoutSteps(houProgram(), ["S6-21"]), houBench(8)],
    // a band that puts good chips outside S 5 41: the good chip fails, and both engines say where
    ["a good band wider than the test (good-chip fails)", () => houProgram(), withBands(houBench(8), { plus: [2.3, 24.57] }, 3)],
    // other thresholds, both polarities, first-spike windows that start at 0
    ["the generated 17·N program", () => generateTernaryProgram(houBench(8), models).program, houBench(8)],
    // signed mission weights, judged before any write
    ["signed mission weights, then the generated program", () => missionFirst(generateTernaryProgram(houBench(8), models).program), signedBench()],
    ["signed mission weights, then the 90·N program without W 1", () => missionFirst(withoutSteps(houProgram(), ["W1"])), signedBench()],
  ] as const)("%s", (_name, program, bench) => {
    const p = program();
    const faults = enumerateTernaryFaults(bench, models);
    const ref = ternaryEngines.reference.run(bench, p, faults);
    const fast = ternaryEngines.fast.run(bench, p, faults);
    expect([ref.engine, fast.engine]).toEqual(["reference", "fast"]);
    expect(fast.outcomes).toEqual(ref.outcomes);
    expect(fast.goodChipFails).toEqual(ref.goodChipFails);
    expect(fast.faultTicks).toBeLessThan(ref.faultTicks / 2);
    // the same DT / PD / ND per fault class (what coverage reports), and every class graded
    const perClass = (r: typeof ref) => {
      const m = new Map<string, string>();
      r.outcomes.forEach((o, i) => m.set(faults[i].model.id, `${m.get(faults[i].model.id) ?? ""}${o.cls[0]}`));
      return Object.fromEntries(m);
    };
    expect(perClass(fast)).toEqual(perClass(ref));
    expect(Object.keys(perClass(fast))).toHaveLength(20);
  });

  it("signed mission weights: the FIF −1 faults of the −1 cells are caught before any write (hand count)", () => {
    const bench = signedBench();
    const p = missionFirst(houProgram());
    const faults = enumerateTernaryFaults(bench, models);
    const r = ternaryEngines.fast.run(bench, p, faults);
    const atMission = r.outcomes.filter((o) => o.stepId === "M-SZ1").map((o) => o.id);
    // fif-bc-wn1 on a −1 cell: 8 of the 24 cells hold −1 ((r + c) mod 3 = 0)
    expect(atMission.filter((id) => id.startsWith("fif-bc-wn1@"))).toHaveLength(8);
    // fif-ca-wn1 (the cell and every cell below it in the column): caught at (r, c) when some cell from r down holds −1
    const caught = (r0: number, c: number) => [...Array(8).keys()].some((r) => r >= r0 && (r + c) % 3 === 0);
    const want = [...Array(8).keys()].flatMap((r) => [0, 1, 2].filter((c) => caught(r, c)).map((c) => `fif-ca-wn1@l0.r${r}.c${c}`));
    expect(atMission.filter((id) => id.startsWith("fif-ca-wn1@")).sort()).toEqual(want.sort());
    expect(r.goodChipFails).toEqual([]);
  });
});
