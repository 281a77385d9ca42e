/**
 * `generate` on Hou et al.'s bench (ITC 2022): the threshold search of
 * src/atpg/ternary-generator.ts gives 17·N ticks at their 100 % (their 90·N), derived by
 * hand from their bands (snn_model.py DV_*: +1 [2.45, 24.57], 0 [−6.1, 8.2],
 * −1 [−18.11, −4.83]) and fault dVs, with whole-number thresholds θ = |V_th − V_R|. A dV d
 * first fires at tick ⌈θ/d⌉ (from 1).
 *
 *   after W 1   slow 2.38: a first-spike test [⌈θ/24.57⌉, ⌈θ/2.45⌉] fails it iff ⌈θ/2.38⌉ > ⌈θ/2.45⌉;
 *               the least ⌈θ/2.45⌉ with an integer θ in (2.38m, 2.45m] is m = 5 (θ = 12) → 5 ticks.
 *               fast 25: no-spike n at θ = 25 (24.57 < 25 ≤ 25) → 1 tick.                       6
 *   after W 0   8.34 up: no-spike n needs an integer θ in (8.2n, 8.34n]: n = 3, θ = 25 (V_th 425) 3
 *               −6.25 down: an integer in (6.1n, 6.25n]: n = 4, θ = 25 (V_th 375)                4
 *   after W −1  slow −4.54 alone: m = 3 (θ = 14, ⌈14/4.83⌉ = 3 < ⌈14/4.54⌉ = 4) + fast −20 alone 1;
 *               or one test at θ = 19: good ⌈19/18.11⌉ = 2 … ⌈19/4.83⌉ = 4, −20 at 1, −4.54 at 5  4
 *                                                                                      total   17
 * Every good chip of the band passes: checked on the chips with every cell at the band's
 * low and at its high edge (first-spike ticks are monotone in dV).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTernaryProgram } from "../../src/atpg/ternary-generator.ts";
import { programTicks } from "../../src/atpg/hou-algorithm.ts";
import { ternaryCoverage } from "../../src/faultsim/ternary-coverage.ts";
import { runMain } from "../helpers/run-main.ts";
import { houBench, houModels, withBands } from "./hou-itc22.ts";

const bench = houBench(8);
const models = houModels();

describe("generate on Hou et al.'s bench", () => {
  const g = generateTernaryProgram(bench, models);

  it("17·N ticks (the hand derivation) against their 90·N, 100 % like theirs", () => {
    expect(g.ticksPerRow).toBe(17);
    expect(programTicks(g.program, 8)).toBe(136);
    expect(g.untestable).toEqual([]);
    const c = ternaryCoverage(bench, g.program, models, "reference");
    expect(c.total).toMatchObject({ all: 480, DT: 480, coveragePercent: 100 });
    expect(c.result.goodChipFails).toEqual([]);
    const neuron = (vth: number, polarity: string) => g.program.steps.find((s) => s.op === "neuron" && s.thresholdPotential === vth && s.polarity === polarity);
    expect(neuron(412, "up")).toBeDefined(); // W 1 slow: θ = 12
    expect(neuron(425, "up")).toBeDefined(); // W 1 fast and W 0 up: θ = 25
    expect(neuron(375, "down")).toBeDefined(); // W 0 down: θ = 25
    expect(g.program.steps.filter((s) => s.op === "write-all").map((s) => s.op === "write-all" && s.value)).toEqual([1, 0, -1]);
  });

  it("a 0 band [0, 8.2]: no good cell ever moves down, so FIF −6.25 needs one tick (θ ≤ 6) — 6 + 3 + 1 + 4 = 14", () => {
    expect(generateTernaryProgram(withBands(bench, { zero: [0, 8.2] }), models, { maxThreshold: 200 }).ticksPerRow).toBe(14);
  });

  it("passes the good chips at both corners of the band, and fails a band 0.1 wider", () => {
    const b = bench.ternaryArray!.dvBands;
    for (const e of [0, 1] as const) {
      const edge = withBands(bench, { plus: [b.plus[e], b.plus[e]], zero: [b.zero[e], b.zero[e]], minus: [b.minus[e], b.minus[e]] });
      expect(ternaryCoverage(edge, g.program, [], "fast").result.goodChipFails).toEqual([]);
    }
    // a good chip just below the +1 band's low edge is then slower than the test allows
    const slow = withBands(bench, { plus: [b.plus[0] - 0.1, b.plus[0] - 0.1] });
    expect(ternaryCoverage(slow, g.program, [], "fast").result.goodChipFails.length).toBeGreaterThan(0);
  });

  it("snn-atpg generate / coverage on the bench: the same figures through the ordinary commands", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "ternary-gen-")), "hou-gen.json");
    const gen = await runMain(["generate", "hou-itc22-n8", "-o", out, "--json"]);
    expect(gen.stderr).toBe("");
    expect(gen.code).toBe(0);
    expect(JSON.parse(gen.stdout)).toMatchObject({ chipKind: "ternary-array", ticksPerRow: 17, ticks: 136, coveragePercent: 100, hou: { ticksPerRow: 90, ticks: 720, coveragePercent: 100 }, goodChipFails: 0 });
    const cov = await runMain(["coverage", "hou-itc22-n8", out, "--json", "--engine", "reference"]);
    expect(cov.code).toBe(0);
    expect(JSON.parse(cov.stdout)).toMatchObject({ ticks: 136, total: { all: 480, DT: 480, coveragePercent: 100 } });
    const bad = await runMain(["generate", "hou-itc22-n8", "-o", out, "--stil", join(out, "..", "x.stil")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--stil: not available on a ternary-array bench/);
  });
});
