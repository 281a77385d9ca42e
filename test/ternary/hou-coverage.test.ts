/**
 * Hou et al., ITC 2022 (§V and kwhou/snn_fault_simulator README): their 90·N algorithm
 * (W 1; S 5 41; W 0; SZ 12; SWP 1; SZ 16; W −1; S 6 21) detects all 20 fault classes
 * (coverage 100 %); without S 5 41 or S 6 21 it leaves 60 %, without SZ 12 or SZ 16 90 %.
 * Why, by hand: the 8 classes with depend_w 1 (SIF_bc, r, ra, c, cb, ca, FIF_bc, ca) are
 * active only between W 1 and W 0, where S 5 41 is the only step (8/20 = 40 % lost); the
 * 8 with depend_w −1 only after W −1 (S 6 21); FIF w0 swp0 (bc, ca) only at SZ 12 (SWP 0:
 * 12·8.34 = 100.08 ≥ 100), FIF w0 swp1 (bc, ca) only at SZ 16 (SWP 1: 16·6.25 = 100):
 * 2/20 = 10 % each. N = 8 rows × 3 neurons: 20 · 24 = 480 faults.
 */
import { describe, expect, it } from "vitest";
import { programTicks, withoutSteps } from "../../src/atpg/hou-algorithm.ts";
import { ternaryCoverage } from "../../src/faultsim/ternary-coverage.ts";
import { houBench, houModels, houProgram } from "./hou-itc22.ts";

const bench = houBench(8);
const models = houModels();
const program = houProgram();
const graded = new Map<string, ReturnType<typeof ternaryCoverage>>();
/** Coverage without the named steps, graded once per ablation (the tests share it). */
const without = (drop: readonly string[]) => {
  const key = drop.join(",");
  if (!graded.has(key)) graded.set(key, ternaryCoverage(bench, withoutSteps(program, drop), models, "fast"));
  return graded.get(key)!;
};

describe("Hou et al. ITC 2022 at N = 8 (fast engine)", () => {
  it("the program is 90·N ticks and the universe 20 classes × 24 sites", () => {
    expect(programTicks(program, 8)).toBe(90 * 8);
    expect(models).toHaveLength(20);
  });

  it.each([
    [[], 100],
    [["S5-41"], 60],
    [["S6-21"], 60],
    [["SZ12"], 90],
    [["SZ16"], 90],
  ] as const)("dropping %j leaves %d %% (their figure)", (drop, percent) => {
    const c = without(drop);
    expect(c.result.goodChipFails).toEqual([]);
    expect(c.total.all).toBe(480);
    expect(c.total.coveragePercent).toBeCloseTo(percent, 10);
  });

  it("each step catches the classes the hand derivation says (dropping S 5 41 loses exactly the depend_w 1 classes)", () => {
    const c = without(["S5-41"]);
    const lost = Object.entries(c.byModel).filter(([, k]) => k.DT === 0).map(([id]) => id).sort();
    expect(lost).toEqual(["fif-bc-w1", "fif-ca-w1", "sif-bc-w1", "sif-c-w1", "sif-ca-w1", "sif-cb-w1", "sif-r-w1", "sif-ra-w1"]);
    const z = without(["SZ16"]);
    expect(Object.entries(z.byModel).filter(([, k]) => k.DT === 0).map(([id]) => id).sort()).toEqual(["fif-bc-w0-swp1", "fif-ca-w0-swp1"]);
  });
});
