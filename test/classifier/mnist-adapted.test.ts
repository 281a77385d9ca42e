/**
 * Seed 004's adapted training made column-wise (bnn-trainer.ts hrsPenalty/freeColumns) on
 * the shipped bnn-mnist-adapted-784x1024x10, and fig. 14's claim on reduced trials:
 *  - every R_H cell of A1 lies in the 10 % of columns the mixed mapping puts on Δ = 60
 *    (the premise of fig. 14; the penalty pulled the other columns to R_L);
 *  - so the mixed array has no R_H cell at Δ = 40: over 10 years only Δ = 60 cells can
 *    flip, P_sw(10 y, Δ = 60) = 3.156e17·e^(−60) ≈ 2.8e−7 per cell, and with ~4e4 of them
 *    the expected flips are ~0.01: the accuracy stays where it started;
 *  - uniform Δ = 40 flips P_sw(10 y) = 1 − e^(−1.341) = 73.8 % of them and loses more.
 */
import { describe, expect, it } from "vitest";
import { mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { lifetimeCurves, lifetimeSweep, mixedRetentionRegion } from "../../src/characterise/lifetime.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

describe("bnn-mnist-adapted-784x1024x10 (seed 004 fig. 14)", () => {
  it("all R_H cells sit in the Δ = 60 columns; the mixed array keeps its accuracy for 10 years, uniform Δ = 40 does not", async () => {
    const net = compileNetwork(loadTestbench("testbenches/bnn-mnist-adapted-784x1024x10.json").bench);
    const l0 = net.layers[0];
    const region = new Set(mixedRetentionRegion(l0.weights, l0.rows, l0.cols).columns);
    let inside = 0;
    let outside = 0;
    for (let c = 0; c < l0.cols; c++) for (let r = 0; r < l0.rows; r++) if (l0.weights[c * l0.rows + r] === 0) region.has(c) ? inside++ : outside++;
    expect(outside).toBe(0);
    expect(inside).toBeGreaterThan(10_000);
    const r = await lifetimeSweep(net, mnistSplit().heldOut, { years: 10, stepYears: 10, curves: lifetimeCurves(net, [40, "mixed"]), trials: 1, images: 20, reference: "aging" });
    const [d40, mixed] = r.curves;
    expect(mixed.points[1].flips).toBe(0);
    expect(mixed.points[1].mean).toBe(mixed.points[0].mean);
    expect(d40.points[1].flips / d40.atRiskCells).toBeGreaterThan(0.72);
    expect(d40.points[1].flips / d40.atRiskCells).toBeLessThan(0.76);
    expect(d40.points[0].mean - d40.points[1].mean).toBeGreaterThan(mixed.points[0].mean - mixed.points[1].mean);
  }, 120_000);
});
