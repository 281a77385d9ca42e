/**
 * Neuron models: the exact piecewise solution against a fine explicit integration of
 * the same ODE, and the stochastic model's reproducibility and deterministic limit.
 */
import { describe, expect, it } from "vitest";
import { createRng, lifSheStep, stochasticLifSheStep, type NeuronParams } from "../../src/sim/index.ts";

const p: NeuronParams = { criticalCurrentUa: 71, gainPerUaNs: 0.0154623, leakTauNs: 30, threshold: 1 };

describe("lif-she neuron", () => {
  it("matches a 1 fs-step Euler integration of dx/dt = g·(I − Ic) − x/τ", () => {
    for (const [x0, i, dt] of [
      [0, 100, 1],
      [0.4, 90, 1],
      [0.7, 0, 9],
      [0.2, 60, 2],
    ]) {
      const exact = lifSheStep({ x: x0 }, i, p, dt);
      let x = x0;
      const h = 1e-5;
      for (let t = 0; t < dt; t += h) x += h * ((i > p.criticalCurrentUa ? p.gainPerUaNs * (i - p.criticalCurrentUa) : 0) - x / p.leakTauNs);
      expect(exact.firedAtNs).toBeNull();
      expect(exact.state.x).toBeCloseTo(x, 4);
    }
  });

  it("fires at the analytic crossing time and resets", () => {
    const big = 300;
    const r = lifSheStep({ x: 0.5 }, big, p, 1);
    expect(r.firedAtNs).not.toBeNull();
    expect(r.state.x).toBe(0);
    // Reaching the crossing time with a shorter step lands exactly on the threshold.
    const justBefore = lifSheStep({ x: 0.5 }, big, p, r.firedAtNs! * 0.999);
    expect(justBefore.firedAtNs).toBeNull();
    expect(justBefore.state.x).toBeGreaterThan(0.99);
  });

  it("a dead neuron never fires", () => {
    expect(lifSheStep({ x: 0.99 }, 1e4, { ...p, dead: true }, 1).firedAtNs).toBeNull();
  });
});

describe("stochastic-lif-she neuron", () => {
  const sp = { ...p, sigmoidWidth: 0.05 };
  it("is reproducible for a seed and switches ~50 % at the threshold", () => {
    const trial = (seed: number) => {
      const rng = createRng(seed);
      let fires = 0;
      for (let i = 0; i < 2000; i++) {
        // choose a current whose end state equals the threshold from x0 = 0 over 1 ns
        const drive = 1 / (1 - Math.exp(-1 / sp.leakTauNs));
        const current = sp.criticalCurrentUa + drive / (sp.gainPerUaNs * sp.leakTauNs);
        if (stochasticLifSheStep({ x: 0 }, current, sp, 1, rng).firedAtNs !== null) fires++;
      }
      return fires;
    };
    expect(trial(5)).toBe(trial(5));
    expect(trial(5) / 2000).toBeGreaterThan(0.45);
    expect(trial(5) / 2000).toBeLessThan(0.55);
  });

  it("approaches the deterministic model as the sigmoid narrows", () => {
    const rng = createRng(1);
    const narrow = { ...p, sigmoidWidth: 1e-6 };
    for (const [x0, i] of [
      [0, 150],
      [0.5, 120],
      [0.2, 75],
    ]) {
      const d = lifSheStep({ x: x0 }, i, p, 1);
      const s = stochasticLifSheStep({ x: x0 }, i, narrow, 1, rng);
      expect(s.firedAtNs === null).toBe(d.firedAtNs === null);
    }
  });
});
