/**
 * The trainer is deterministic (bit-for-bit from its seed, on a reduced network), the
 * dataset split is the documented one, and the neuron calibration formula matches the
 * exact lif-she solution.
 */
import { describe, expect, it } from "vitest";
import { bnnClassify, binaryScores } from "../../src/classifier/bnn-model.ts";
import { gainForThreshold, thresholdFromSamples } from "../../src/classifier/bnn-calibration.ts";
import { trainBnn } from "../../src/classifier/bnn-trainer.ts";
import { mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { lifSheStep } from "../../src/sim/neuron/lif-she-neuron.ts";

describe("mnist data and trainer", () => {
  const { train, heldOut } = mnistSplit({ trainCount: 400, heldOutCount: 100 });

  it("ships 10,000 digits offline, split without overlap", () => {
    const full = mnistSplit();
    expect(full.train.count + full.heldOut.count).toBe(10000);
    const seen = new Set(full.train.sourceIndex);
    expect(Array.from(full.heldOut.sourceIndex).some((i) => seen.has(i))).toBe(false);
    expect(Array.from(train.sourceIndex.subarray(0, 400))).toEqual(Array.from(full.train.sourceIndex.subarray(0, 400)));
  });

  it("reproduces its weights bit for bit from the seed, and another seed gives others", () => {
    const a = trainBnn(train, { hidden: 32, epochs: 3, batch: 20, seed: 7 });
    const b = trainBnn(train, { hidden: 32, epochs: 3, batch: 20, seed: 7 });
    const c = trainBnn(train, { hidden: 32, epochs: 3, batch: 20, seed: 8 });
    expect(Buffer.from(a.weights.layers[0].buffer).equals(Buffer.from(b.weights.layers[0].buffer))).toBe(true);
    expect(Buffer.from(a.latent[1].buffer).equals(Buffer.from(b.latent[1].buffer))).toBe(true);
    expect(Buffer.from(a.weights.layers[0].buffer).equals(Buffer.from(c.weights.layers[0].buffer))).toBe(false);
    // it learned something: far above the 10 % of guessing on unseen digits
    let ok = 0;
    for (let i = 0; i < heldOut.count; i++) if (bnnClassify(a.weights, heldOut.pixels.subarray(i * 784, (i + 1) * 784)) === heldOut.labels[i]) ok++;
    expect(ok / heldOut.count).toBeGreaterThan(0.5);
  });

  it("scores are popcounts over the driven rows (hand example)", () => {
    const w = Int8Array.of(1, -1, -1, -1, 1, 1); // 3 rows × 2 cols
    expect(Array.from(binaryScores(w, 3, 2, [1, 0, 1]))).toEqual([2, 0]);
  });

  it("the gain puts the one-window firing edge at the threshold current (exact lif-she solution)", () => {
    const g = gainForThreshold(2, 30, 1);
    const p = { criticalCurrentUa: 0, gainPerUaNs: g, leakTauNs: 30, threshold: 1 };
    expect(lifSheStep({ x: 0 }, 2.001, p, 1).firedAtNs).not.toBeNull();
    expect(lifSheStep({ x: 0 }, 1.999, p, 1).firedAtNs).toBeNull();
    // separable samples: the threshold lands midway in the gap, no disagreement
    expect(thresholdFromSamples([-1, 0.1, 0.9, 2], [-3, 0, 1, 4])).toEqual({ thresholdUa: 0.5, disagreements: 0 });
  });
});
