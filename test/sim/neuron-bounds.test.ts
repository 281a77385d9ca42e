/**
 * Neuron-model bounds live in each model (`bounds`), are required by the interface,
 * and are sound against simulation at hand-derived currents.
 *
 * lif-she with g = 0.0154623 /(µA·ns), τ = 30 ns, θ = 1, I_c = 71 µA: the drive
 * u = g·(I − I_c)·τ reaches θ at I* = I_c + θ/(g·τ) = 71 + 1/0.463869 = 73.1558 µA.
 */
import { describe, expect, it } from "vitest";
import { isMonotoneNeuron, neuronMayFire } from "../../src/faults/neuron-bounds.ts";
import { createRng, neuronModels, type NeuronModel, type NeuronParams } from "../../src/sim/index.ts";

const p: NeuronParams = { criticalCurrentUa: 71, gainPerUaNs: 0.0154623, leakTauNs: 30, threshold: 1 };

/** Whether a neuron held at `currentUa` for 1000 × 1 ns fires. */
function fires(model: NeuronModel, currentUa: number): boolean {
  const rng = createRng(7);
  let state = { x: 0 };
  for (let i = 0; i < 1000; i++) {
    const r = model.step(state, currentUa, p, 1, rng);
    if (r.firedAtNs !== null) return true;
    state = r.state;
  }
  return false;
}

describe("neuron bounds", () => {
  it("a model without bounds does not compile", () => {
    // @ts-expect-error: `bounds` is required, so a new model cannot silently lose its proofs
    const m: NeuronModel = { id: "x", title: "x", stochastic: false, step: neuronModels["lif-she"].step };
    expect(m.id).toBe("x");
  });

  it("lif-she: never fires at or below I* = 73.1558 µA, fires above it; monotone", () => {
    const m = neuronModels["lif-she"];
    expect(neuronMayFire("lif-she", p, 73.15)).toBe(false);
    expect(neuronMayFire("lif-she", p, 73.17)).toBe(true);
    expect(fires(m, 73.15)).toBe(false);
    expect(fires(m, 74)).toBe(true);
    expect(isMonotoneNeuron("lif-she")).toBe(true);
  });

  it("stochastic-lif-she: never fires at or below I_c = 71 µA; not monotone", () => {
    const m = neuronModels["stochastic-lif-she"];
    expect(neuronMayFire("stochastic-lif-she", p, 71)).toBe(false);
    expect(neuronMayFire("stochastic-lif-she", p, 71.01)).toBe(true);
    expect(fires(m, 71)).toBe(false);
    expect(isMonotoneNeuron("stochastic-lif-she")).toBe(false);
  });

  it("a dead neuron never fires, whatever its model's bound", () => {
    for (const id of Object.keys(neuronModels) as (keyof typeof neuronModels)[]) expect(neuronMayFire(id, { ...p, dead: true }, 1e6)).toBe(false);
  });
});
