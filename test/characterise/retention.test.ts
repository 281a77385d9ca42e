/**
 * Retention (seed 004): the AP→P switching probability and the flipped-cell counts.
 */
import { describe, expect, it } from "vitest";
import { nsPerYear, retentionFlipProbability } from "../../src/characterise/retention.ts";
import { runMain } from "../helpers/run-main.ts";

describe("P_sw(t) = 1 − exp(−(t/τ0)·e^(−Δ))", () => {
  it("Δ = 40: ≈ 0.125 after 1 year and ≈ 0.738 after 10 years (seed 004)", () => {
    expect(retentionFlipProbability(40, nsPerYear)).toBeCloseTo(0.125, 2);
    expect(retentionFlipProbability(40, 10 * nsPerYear)).toBeCloseTo(0.738, 3);
  });

  it("Δ = 60 (the usual 10-year target): P ≈ (t/τ0)·e^(−Δ) ≈ 2.8e-9, computed without cancellation", () => {
    const p = retentionFlipProbability(60, 10 * nsPerYear);
    expect(p).toBeLessThan(1e-8);
    // 1 − exp(−x) in plain floating point would round this to a multiple of 1.1e-16; expm1 keeps it exact.
    expect(Math.abs(p / (10 * nsPerYear * Math.exp(-60)) - 1)).toBeLessThan(1e-6);
  });
});

describe("snn-atpg retention", () => {
  it("counts only weight-0 cells, expected = N·P_sw, and Monte Carlo agrees within 5 sd of a binomial", async () => {
    const r = await runMain(["retention", "mlp-16x8x4", "--delta", "40", "--years", "10", "--steps", "10", "--trials", "400", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.steps).toHaveLength(10);
    expect(j.steps[0].pSwitch).toBeCloseTo(0.125, 2);
    expect(j.steps[9].pSwitch).toBeCloseTo(0.738, 3);
    for (const s of j.steps) {
      for (const l of s.layers) {
        // mlp-16x8x4 has random weights with density 0.5: some, not all, cells are R_H.
        expect(l.atRiskCells).toBeGreaterThan(0);
        expect(l.atRiskCells).toBeLessThan(l.layer === 0 ? 128 : 32);
        expect(l.expectedFlips).toBeCloseTo(l.atRiskCells * s.pSwitch, 9);
        const sdOfMean = Math.sqrt((l.atRiskCells * s.pSwitch * (1 - s.pSwitch)) / 400);
        expect(Math.abs(l.monteCarlo.mean - l.expectedFlips)).toBeLessThan(5 * sdOfMean + 1e-9);
        expect(l.monteCarlo.max).toBeLessThanOrEqual(l.atRiskCells);
      }
    }
    // Counts are cumulative: never fewer flips later.
    for (let k = 1; k < 10; k++) expect(j.steps[k].layers[0].monteCarlo.mean).toBeGreaterThanOrEqual(j.steps[k - 1].layers[0].monteCarlo.mean);
  });

  it("an all-R_L bench has nothing at risk", async () => {
    const r = await runMain(["retention", "black-pixel-4x1", "--delta", "40", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).steps[9].layers[0].expectedFlips).toBe(0);
  });

  it("a bad delta exits 2 naming the flag", async () => {
    const r = await runMain(["retention", "mlp-16x8x4", "--delta", "-1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--delta must be a positive number/);
  });
});
