/**
 * The ternary array of Hou et al. (ITC 2022) as data and simulation: the neuron's exact
 * sums at their detection boundaries in both polarities, the fault extents, good chips
 * drawn from (and at the corners of) their step bands passing the 90·N program, a test
 * that passes the nominal chip but fails good chips inside the band being caught, and
 * the located refusals. Every expected value is derived by hand in a comment; Hou's
 * constants are from kwhou/snn_fault_simulator snn_model.py.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { houAlgorithmProgram, houItc22Algorithm, withoutSteps } from "../../src/atpg/hou-algorithm.ts";
import { enumerateTernaryFaults, extentCells } from "../../src/faults/ternary-faults.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { ternaryEngines } from "../../src/faultsim/ternary-engines.ts";
import { InputError } from "../../src/formats/errors.ts";
import { faultModelSchema } from "../../src/formats/fault-model-format.ts";
import { parseTestbench, loadTestbench } from "../../src/formats/testbench-loader.ts";
import { ternaryProgramSchema } from "../../src/formats/ternary-program-format.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createTernaryArray, firingTicks, tickParams } from "../../src/sim/ternary-array.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { houBench, houModels, houProgram, withBands } from "./hou-itc22.ts";

const bench = houBench(8);
const spec = bench.ternaryArray!;
const up = tickParams(spec, { thresholdPotential: 500, polarity: "up" });
const down = tickParams(spec, { thresholdPotential: 300, polarity: "down" });

describe("ternary array neuron (V_R 400, exact sums)", () => {
  it.each([
    // [dV, setting, ticks, first firing tick from 0]
    [8.34, up, 12, 11], // FIF w0 swp0 under SZ 12: 12·8.34 = 100.08 ≥ 100 at tick 12
    [8.2, up, 12, null], // the good band's top: 12·8.2 = 98.4 < 100
    [-6.25, down, 16, 15], // FIF w0 swp1 under SWP 1, VTH 300, SZ 16: 16·6.25 = 100 exactly
    [-6.1, down, 16, null], // the good band's bottom: 16·6.1 = 97.6 < 100
    [-20, down, 21, 4], // FIF w−1: 5·20 = 100 at tick 5 < 6: S 6 21 fails it
    [-4.83, down, 21, 20], // weakest good w−1: 21·4.83 = 101.43, 20·4.83 = 96.6
    [-4.54, down, 21, null], // SIF w−1: 21·4.54 = 95.34 < 100: no spike within 21
    [8.34, down, 16, null], // a positive dV never fires a down neuron
  ] as const)("dV %d fires first at tick %j", (dv, n, ticks, first) => {
    expect(firingTicks(dv, ticks, n.params, n.sign)[0] ?? null).toBe(first);
  });

  it("a threshold on the wrong side of V_R is refused with both numbers", () => {
    expect(() => tickParams(spec, { thresholdPotential: 300, polarity: "up" })).toThrow(/300.*above V_R = 400/);
  });
});

describe("fault extents (row 0 at the top; 4 rows × 3 columns, site (1, 1); index r·3 + c)", () => {
  it.each([
    ["cell", [4]],
    ["row", [3, 4, 5]],
    ["row-from", [4, 5]],
    ["column", [1, 4, 7, 10]],
    ["column-above", [1, 4]],
    ["column-below", [4, 7, 10]],
  ] as const)("%s", (extent, cells) => {
    expect(extentCells(extent, 1, 1, 4, 3)).toEqual(cells);
  });

  it("the 20 shipped models are Hou's fault_list.txt: 6 extents, depend_w −1 / 0 / 1", () => {
    const ms = houModels().map((m) => `${m.model.abbreviation} ${m.model.extent} ${m.model.activeWhenWritten}`);
    expect(new Set(ms).size).toBe(18); // FIF_bc 0 and FIF_ca 0 each come twice (swp 0 / 1: two dV values)
    expect(ms.filter((s) => s.startsWith("SIF_"))).toHaveLength(12);
  });
});

describe("signed mission weights", () => {
  const signed = { ...bench, layers: [{ ...bench.layers[0], rows: 2, weights: [[1, -1, 0], [-1, 0, 1]] }] };

  it("a −1 / 0 / +1 matrix is held as dV from the band of each weight", () => {
    const chip = createTernaryArray(signed);
    const inBand = (x: number, [lo, hi]: readonly [number, number]) => x >= lo && x <= hi;
    expect([1, -1, 0, -1, 0, 1].map((w, i) => inBand(chip.dv[i], w === 1 ? spec.dvBands.plus : w === -1 ? spec.dvBands.minus : spec.dvBands.zero))).toEqual(Array(6).fill(true));
  });

  it("appliesTo.weights [−1] puts a model's faults on the −1 synapses only", () => {
    const m = houModels().find((x) => x.id === "sif-bc-wn1")!;
    const onNegative = { ...m, model: { ...m.model, appliesTo: { weights: [-1] } } };
    expect(enumerateTernaryFaults(signed, [onNegative]).map((f) => f.id)).toEqual(["sif-bc-wn1@l0.r0.c1", "sif-bc-wn1@l0.r1.c0"]);
  });
});

describe("good chips from Hou's step bands", () => {
  const p = houProgram();
  const corners = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => ({
    plus: (k & 1 ? [24.57, 24.57] : [2.45, 2.45]) as [number, number],
    zero: (k & 2 ? [8.2, 8.2] : [-6.1, -6.1]) as [number, number],
    minus: (k & 4 ? [-4.83, -4.83] : [-18.11, -18.11]) as [number, number],
  }));
  // Each corner: S 5 41 sees 41·2.45 = 100.45 (fires at 41) and 4·24.57 = 98.28 (not before 5);
  // SZ 12: 12·8.2 = 98.4; SZ 16 (down): 16·6.1 = 97.6; S 6 21: 21·4.83 = 101.43, 5·18.11 = 90.55.
  it.each(corners)("every cell at a band corner %j passes", (bands) => {
    expect(ternaryEngines.fast.run(withBands(bench, bands), p, []).goodChipFails).toEqual([]);
  });

  it.each([1, 2, 3])("chips drawn uniformly from the bands (seed %d) pass", (seed) => {
    expect(ternaryEngines.fast.run(withBands(bench, {}, seed), p, []).goodChipFails).toEqual([]);
  });

  it("a test that passes the nominal chip but fails good chips inside the band is caught", () => {
    const tight = houAlgorithmProgram(houItc22Algorithm.replace("S 5 41", "S 5 40"), bench.id);
    // nominal w1 cell (band middle 13.51): fires at tick 8 (7·13.51 = 94.57, 8·13.51 = 108.08) — passes;
    expect(ternaryEngines.fast.run(withBands(bench, { plus: [13.51, 13.51] }), tight, []).goodChipFails).toEqual([]);
    // the band's weakest good cell 2.45 fires at 41 > 40 (40·2.45 = 98): every row of S 5 40 fails.
    const r = ternaryEngines.fast.run(withBands(bench, { plus: [2.45, 2.45] }), tight, []);
    expect(r.goodChipFails.map((f) => `${f.stepId}:${f.row}`)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((row) => `S5-40:${row}`));
    expect(r.goodChipFails[0].signature).toEqual(["f0@-", "f1@-", "f2@-"]); // no spike within 40 windows, on each of the 3 outputs
  });
});

describe("as data: located refusals and the shipped program", () => {
  const bp = readFileSync(join(repoRoot, "testbenches", "black-pixel-4x1.json"), "utf8");

  it("a crossbar bench refuses a weight −1 and says what signed cells need", () => {
    const neg = JSON.parse(bp);
    neg.layers[0].weights = { generator: "constant", value: -1 };
    expect(() => parseTestbench(JSON.stringify(neg), "neg.json")).toThrow(/layers\.0\.weights|layers\[0\]\.weights/);
    expect(() => parseTestbench(JSON.stringify(neg), "neg.json")).toThrow(/ternaryArray/);
  });

  it("a crossbar refuses Hou's models, the crossbar simulator refuses a ternary bench", () => {
    const cb = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json")).bench;
    expect(() => enumerateFaults(compileNetwork(cb), cb, houModels())).toThrow(InputError);
    expect(() => compileNetwork(bench)).toThrow(/potential level/);
  });

  it("an extent on a neuron model is refused", () => {
    const m = JSON.parse(readFileSync(join(repoRoot, "fault-models", "slow-to-integrate.json"), "utf8"));
    const r = faultModelSchema.safeParse({ ...m, extent: "row" });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(/ternary-array synapses/);
  });

  it("a criterion judging windows the step does not apply is refused", () => {
    const p = houProgram();
    const bad = { ...p, steps: [{ op: "spike-rows", id: "SZ16", windows: 12, criterion: { kind: "no-spike", windows: 16 } }] };
    expect(ternaryProgramSchema.safeParse(bad).success).toBe(false);
  });

  it("Hou's text with a bad command names the line", () => {
    expect(() => houAlgorithmProgram("W 1\nS 5", "b", "alg.txt")).toThrow(/alg\.txt:2: S's last tick/);
    expect(() => houAlgorithmProgram("# c\nREAD 1", "b", "alg.txt")).toThrow(/alg\.txt:2: unknown command "READ"/);
  });

  it("an ablation of a step the program lacks is refused, naming the steps there are", () => {
    expect(() => withoutSteps(houProgram(), ["S5-42"])).toThrow(/no step "S5-42".*S5-41/);
  });

  it("programs/hou-itc22-90n.json is the generator's output (scripts/gen-hou-program.ts)", () => {
    const file = ternaryProgramSchema.parse(JSON.parse(readFileSync(join(repoRoot, "programs", "hou-itc22-90n.json"), "utf8")));
    const { $schema: _s, source: _src, ...rest } = file;
    const { source: _g, ...gen } = houAlgorithmProgram(houItc22Algorithm, "hou-itc22-n8");
    expect(rest).toEqual(gen);
  });
});
