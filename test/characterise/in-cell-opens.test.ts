/**
 * Opens inside the bit-cell with a transistor-level access device (src/characterise/
 * in-cell-opens.ts): β from table III by hand, the series-chain equivalences that hold
 * for any transistor, and seed 000 table V predicted on the macrospin bench (whose one
 * fitted number comes from table III and the 3-pulse rule, not from tables IV–VI).
 */
import { describe, expect, it } from "vitest";
import { fitTransistorColumn, minDetectableTransistorOhms, neuronThresholdUa, seed000Opens, transistorColumnUa } from "../../src/characterise/in-cell-opens.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { runMain } from "../helpers/run-main.ts";

const { bench } = loadTestbench("testbenches/black-pixel-4x1-macrospin.json");
const net = compileNetwork(bench);
const col = fitTransistorColumn(net, bench);
const all = [1, 1, 1, 1];
const at = (open: keyof typeof seed000Opens, thresholdUa: number) => minDetectableTransistorOhms(col, seed000Opens[open].site, thresholdUa, 1e-3);

describe("transistor-level column of seed 000's circuit", () => {
  it("β for one R_L cell at 27.07 µA (table III), by hand: saturated, β = 2·I/(V_ov²·(1 + λ·V_DS)) = 100.9 µA/V²", () => {
    // node 27.07 µA·20 Ω = 0.54 mV; V_ov = 1.1 − 0.00054 − 0.4 = 0.69946 V; V_DS = 1.1 − 0.00054 − 27.07 µA·4938 Ω = 0.96579 V ≥ V_ov
    const beta = (2 * 27.07e-6) / (0.69946 ** 2 * (1 + 0.1 * 0.96579));
    expect(col.cell.betaAPerV2 / beta).toBeCloseTo(1, 3);
  });

  it("reproduces table III to 0.7 % with two to four cells (the common node degenerates every source)", () => {
    const paper = [27.07, 54.17, 81.3, 108.44];
    for (let k = 1; k <= 4; k++) {
      const ua = transistorColumnUa(col, all.map((_, r) => (r < k ? 1 : 0)));
      expect(Math.abs(ua / paper[k - 1] - 1), `${k} cell(s): ${ua} µA`).toBeLessThan(0.007);
    }
  });

  it("an open at the source side of cell 0 ≡ the same open in segment 0 (one series branch through node 0); the drain side is not", () => {
    const r = new Float64Array(4);
    r[0] = 20_000;
    const seg = transistorColumnUa(col, all, {}, r);
    expect(transistorColumnUa(col, all, { sourceOhms: r }) / seg).toBeCloseTo(1, 9);
    // drain side: 20 kΩ only takes V_DS headroom (V_GS stays): the cell loses far less current than with V_GS lowered
    expect(transistorColumnUa(col, all, { drainOhms: r }) - seg).toBeGreaterThan(5);
  });
});

describe("seed 000 table V predicted on black-pixel-4x1-macrospin (threshold 94.87 µA)", () => {
  const thr = neuronThresholdUa(net, 1000, 9000);

  it("the neuron's 3-window threshold is its single-pulse threshold, mid-way between 81.3 and 108.44 µA", () => {
    expect(thr).toBeCloseTo((81.3 + 108.44) / 2, 1);
  });

  it("rop4 within 50 % of 67 kΩ, rop6 = rop7 within 50 % of 19 kΩ, rop5 not detectable (table V)", () => {
    const rop4 = at("rop4", thr)!;
    const rop6 = at("rop6", thr)!;
    expect(Math.abs(rop4 / 67_000 - 1)).toBeLessThan(0.5);
    expect(Math.abs(rop6 / 19_000 - 1)).toBeLessThan(0.5);
    expect(at("rop7", thr)).toBe(rop6);
    expect(at("rop5", thr)).toBeNull();
    // not equivalent: the drain-side open needs about four times the source-side one (seed 000: 67 vs 19 kΩ)
    expect(rop4 / rop6).toBeGreaterThan(3);
  });

  it("rop1 ≡ rop6 (segment 0 is the source branch of cell 0) and lands within 25 % of 16 kΩ", () => {
    const rop1 = at("rop1", thr)!;
    expect(rop1 / at("rop6", thr)!).toBeCloseTo(1, 2);
    expect(Math.abs(rop1 / 16_000 - 1)).toBeLessThan(0.25);
  });

  it("rop3 = 448 Ω by hand — below seed 000's 1 kΩ (docs/in-cell-opens.md says why)", () => {
    // four saturated cells at 94.87/4 = 23.72 µA: (0.7 − V)²·(1 + 0.1·(0.983 − V)) = 2·23.72/100.9 ⇒ V = 0.0445 V at the
    // sources; 0.0445 V / 94.87 µA = 469 Ω below them, less R_in 20 Ω and segment 3's 1 Ω ⇒ 448 Ω
    expect(at("rop3", thr)! / 448).toBeCloseTo(1, 1);
  });
});

describe("sweep-open --in-cell", () => {
  it("prints ours beside seed 000 for rop1–rop7, and refuses a bench that is not the four-cell column (exit 2)", async () => {
    const r = await runMain(["sweep-open", "black-pixel-4x1-macrospin", "--in-cell", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(r.stdout) as { rows: { open: string; predictedOhms: number | null; paperOhms: number | null }[] };
    expect(t.rows.map((x) => x.open)).toEqual(["rop1", "rop2", "rop3", "rop4", "rop5", "rop6", "rop7"]);
    expect(t.rows.find((x) => x.open === "rop4")?.paperOhms).toBe(67_000);
    expect(t.rows.find((x) => x.open === "rop5")?.predictedOhms).toBeNull();
    const bad = await runMain(["sweep-open", "mlp-16x8x4", "--in-cell"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--in-cell models seed 000's four-cell column/);
  });
});
