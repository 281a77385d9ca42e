/**
 * The shipped MNIST bench through the electrical simulator: ≥ 90 % on a 200-image
 * held-out subset (issue 14 acceptance; seed 004 reports 92 %), the chip–arithmetic
 * disagreement rate stays small, the cached evaluator agrees with full network runs,
 * and the lifetime curves have seed 004's ends (Δ = 60 flat, Δ = 35 collapsed).
 */
import { describe, expect, it } from "vitest";
import { bnnClassify, type BnnWeights } from "../../src/classifier/bnn-model.ts";
import { classifyOnChip, createChipEvaluator } from "../../src/classifier/chip-classifier.ts";
import { image, mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { lifetimeCurves, lifetimeSweep, mixedRetentionRegion } from "../../src/characterise/lifetime.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, mtjOhms } from "../../src/sim/compile.ts";

const lb = loadTestbench("testbenches/bnn-mnist-784x1024x10.json");
const { heldOut } = mnistSplit();

function arithmetic(): BnnWeights {
  const net = compileNetwork(lb.bench);
  const layers = net.layers.map((l) => {
    const w = new Int8Array(l.rows * l.cols);
    for (let r = 0; r < l.rows; r++) for (let c = 0; c < l.cols; c++) w[r * l.cols + c] = l.weights[c * l.rows + r] === 1 ? 1 : -1;
    return w;
  });
  return { sizes: [784, 1024, 10], layers };
}

describe("bnn-mnist-784x1024x10 on the simulated chip", () => {
  it("classifies ≥ 90 % of 200 held-out digits; chip and arithmetic rarely disagree", () => {
    const net = compileNetwork(lb.bench);
    const m = arithmetic();
    let ok = 0, disagree = 0;
    for (let i = 0; i < 200; i++) {
      const c = classifyOnChip(net, image(heldOut, i));
      if (c === heldOut.labels[i]) ok++;
      if (c !== bnnClassify(m, image(heldOut, i))) disagree++;
    }
    expect(ok / 200).toBeGreaterThanOrEqual(0.9);
    expect(disagree / 200).toBeLessThan(0.05);
  });

  it("the cached evaluator gives the full simulation's class", () => {
    const net = compileNetwork(lb.bench);
    const ev = createChipEvaluator(net, heldOut, 40);
    for (let i = 0; i < 40; i++) expect(ev.classify(i)).toBe(classifyOnChip(net, image(heldOut, i)));
  });

  it("an evaluator reference group gives the full simulation's class with that reference column", () => {
    const net = compileNetwork(lb.bench);
    const ev = createChipEvaluator(net, heldOut, 20);
    const ref = net.layers[0].reference!;
    // an aged reference: every other row's R_H member relaxed (row at weight 1)
    const aged = ref.cellOhms.slice();
    for (let r = 0; r < aged.length; r += 2) aged[r] = mtjOhms(net.device, 1) + net.device.accessOhms;
    const agedNet = compileNetwork(lb.bench);
    agedNet.layers[0].reference!.cellOhms.set(aged);
    // group 1 (the aged reference) on every column: the same currents as the aged network
    ev.setReferences(new Uint8Array(1024).fill(1), [ref.cellOhms.slice(), aged]);
    let changed = 0;
    for (let i = 0; i < 20; i++) {
      const c = classifyOnChip(agedNet, image(heldOut, i));
      expect(ev.classify(i)).toBe(c);
      if (c !== classifyOnChip(net, image(heldOut, i))) changed++;
    }
    expect(changed).toBeGreaterThan(0); // the aged reference really changes answers: the comparison tests something
  });

  it("lifetime: Δ = 60 keeps its accuracy, Δ = 35 collapses to ≤ 30 %, the mixed array beats uniform Δ = 40", async () => {
    const net = compileNetwork(lb.bench);
    const l0 = net.layers[0];
    const region = mixedRetentionRegion(l0.weights, l0.rows, l0.cols);
    expect(region.columns.length).toBe(102);
    const r = await lifetimeSweep(net, heldOut, { years: 2, stepYears: 1, curves: lifetimeCurves(net, [60, 35, 40, "mixed"]), trials: 1, images: 40 });
    const [d60, d35, d40, mixed] = r.curves;
    expect(d60.points[2].mean).toBe(d60.points[0].mean); // P_sw(2 y, Δ=60) ≈ 6e-10: no flip expected
    expect(d35.points[1].mean).toBeLessThanOrEqual(0.3); // P_sw(1 y, Δ=35) ≈ 1 − e^(−19.9)
    expect(mixed.points[1].mean).toBeGreaterThanOrEqual(d40.points[1].mean);
  }, 120_000);

  it("aging reference, Δ = 35: after year 1 every column and the reference are all R_L, so every neuron current is 0 and nothing fires", async () => {
    // P_sw(1 y, Δ = 35) = 1 − e^(−19.9): every R_H cell of A1 and every reference row's R_H member
    // has flipped; a column then equals the reference cell for cell (same line, same sense path),
    // I_neuron = 0 < I_th, no hidden spike, no output spike, no answer: accuracy 0.
    const net = compileNetwork(lb.bench);
    const r = await lifetimeSweep(net, heldOut, { years: 1, stepYears: 1, curves: lifetimeCurves(net, [35]), trials: 1, images: 20, reference: "aging" });
    expect(r.curves[0].points[1].flips).toBe(r.curves[0].atRiskCells);
    expect(r.curves[0].points[1].mean).toBe(0);
    expect(r.curves[0].points[0].mean).toBeGreaterThan(0.8);
  }, 120_000);
});
