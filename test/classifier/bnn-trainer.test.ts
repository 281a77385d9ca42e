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

  it("adapted training, column-wise: on never-driven rows only the penalty acts and every penalised column goes R_L", () => {
    // A row whose pixel is 0 in every training image gets no loss gradient: a penalised
    // weight sees the constant gradient −α, so Adam moves it up by the step size each
    // step: Σ lr_t = 0.01 · (40 − 0.9 · Σ t/40) = 0.2245 over 40 steps > 0.1, the largest
    // initial |w| → +1 (R_L). A free column's weight there gets no gradient at all and
    // keeps its initial sign, which is also that of the conventional run.
    const o = { hidden: 8, epochs: 2, batch: 20, seed: 3, learningRate: 0.01 };
    const adapted = trainBnn(train, { ...o, hrsPenalty: 0.01, freeColumns: 2 });
    const plain = trainBnn(train, o);
    const never = Array.from({ length: 784 }, (_, r) => r).filter((r) => { for (let i = 0; i < train.count; i++) if (train.pixels[i * 784 + r]) return false; return true; });
    expect(never.length).toBeGreaterThan(50);
    let freeRh = 0;
    for (const r of never)
      for (let c = 0; c < 8; c++) {
        const w = adapted.weights.layers[0][r * 8 + c];
        if (c >= 2) expect(w).toBe(1);
        else {
          expect(w).toBe(plain.weights.layers[0][r * 8 + c]);
          if (w < 0) freeRh++;
        }
      }
    expect(freeRh).toBeGreaterThan(0); // the free columns keep R_H cells there
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
