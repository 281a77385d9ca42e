/**
 * Spike-frequency adaptation in the network step (seed 001 §II.3, eq. 5; src/sim/adaptation.ts),
 * derived by hand for one lif-she neuron driven by a constant current I in every
 * integrate window (binary coding, one row, weight 1). Within a window from rest,
 *
 *   x(t) = g·τ·(I − I_c)·(1 − e^(−t/τ))   →   fires at t* = −τ·ln(1 − θ/(g·τ·(I − I_c)))
 *
 * g is chosen so that g·τ·I = 4 (I_c = 0, θ = 1, τ = 10 ns): t0* = −10·ln(0.75) = 2.8768 ns.
 * Window 1 starts at T = IW + LW = 10 ns, when a = Δa·e^(−(T − t0)/τ_adapt) with
 * Δa = 0.5, τ_adapt = 20 ns: a = 0.5·e^(−7.1232/20) = 0.35021.
 *   threshold: θ1 = 1 + a              → t1* = −10·ln(1 − 1.35021/4)
 *   leak:      τ1 = τ/(1 + a)          → t1* = −τ1·ln(1 − θ/(g·τ1·I)) = −τ1·ln(1 − 1.35021/4)
 */
import { describe, expect, it } from "vitest";
import { testbenchSchema } from "../../src/formats/testbench-format.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { simulateNetwork } from "../../src/sim/network.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { faultEngines } from "../../src/faultsim/index.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";

function bench(adaptation?: { kind: "leak" | "threshold"; increment: number; tauAdaptNs: number }, gain = 0.01) {
  return testbenchSchema.parse({
    schemaVersion: 1,
    id: "sfa",
    title: "one neuron, constant drive",
    device: { rLowOhms: 5000, rHighOhms: 10000, accessOhms: 0, segmentOhms: 0, neuronInputOhms: 20, writeVoltageV: 0.1 },
    neuron: { model: "lif-she", criticalCurrentUa: 0, gainPerUaNs: gain, leakTauNs: 10, threshold: 1, ...(adaptation ? { adaptation } : {}) },
    timing: { iwPs: 5000, lwPs: 5000, tickPs: 10 },
    layers: [{ rows: 1, cols: 1, weights: [[1]] }],
  });
}

const stim = { iwPs: 5000, lwPs: 5000, windows: 2, events: [{ input: 0, timePs: 0 }, { input: 0, timePs: 10_000 }] };
// I = 0.1 V / (5000 + 20) Ω = 19.920 µA, g = 4/(τ·I)
const iUa = (0.1 / 5020) * 1e6;
const gain = 4 / (10 * iUa);
const t0Ns = -10 * Math.log(0.75);
const a = 0.5 * Math.exp(-(10 - t0Ns) / 20);
const spikesPs = (b: ReturnType<typeof bench>) => simulateNetwork(compileNetwork(b), stim).spikes.map((s) => s.timePs);

describe("spike-frequency adaptation", () => {
  it("without adaptation both windows fire at t0* = 2.8768 ns into the window", () => {
    expect(spikesPs(bench(undefined, gain))).toEqual([Math.round(t0Ns * 1000), 10_000 + Math.round(t0Ns * 1000)]);
  });

  it("threshold adaptation: the second spike comes t1* − t0* later, θ1 = 1 + a", () => {
    const t1Ns = -10 * Math.log(1 - (1 + a) / 4);
    const [s0, s1] = spikesPs(bench({ kind: "threshold", increment: 0.5, tauAdaptNs: 20 }, gain));
    expect(s0).toBe(Math.round(t0Ns * 1000));
    expect(s1 - s0 - 10_000).toBeCloseTo((t1Ns - t0Ns) * 1000, -1); // 1241 ps longer, within the 1-ps rounding
    expect(t1Ns - t0Ns).toBeCloseTo(1.2414, 3);
  });

  it("leak adaptation (seed 001 eq. 5): τ1 = τ/(1 + a)", () => {
    const tau1 = 10 / (1 + a);
    const t1Ns = -tau1 * Math.log(1 - (1 + a) / 4);
    const [s0, s1] = spikesPs(bench({ kind: "leak", increment: 0.5, tauAdaptNs: 20 }, gain));
    expect(s1 - s0 - 10_000).toBeCloseTo((t1Ns - t0Ns) * 1000, -1);
    expect(t1Ns - t0Ns).toBeCloseTo(0.1735, 3);
  });

  it("the fast engine agrees with the reference engine on an adapting bench (it routes such benches to its general path)", () => {
    const raw = loadTestbench("testbenches/seed001-dw-4x2.json").bench;
    const b = { ...raw, neuron: { ...raw.neuron, adaptation: { kind: "threshold" as const, increment: 0.5, tauAdaptNs: 20 } } };
    const net = compileNetwork(b);
    const { faults } = enumerateFaults(net, b, loadFaultModels(), { collapse: false });
    const vectors = [0, 1, 2, 3].map((r) => ({ id: `v${r}`, toleranceBandPs: 0, stimulus: { iwPs: 1000, lwPs: 1000, windows: 4, events: [0, 1, 2, 3].map((w) => ({ input: r, timePs: w * 2000 })) } }));
    const ref = faultEngines.reference.run(net, faults, vectors, { drop: false });
    const fast = faultEngines.fast.run(net, faults, vectors, { drop: false });
    expect(fast.outcomes.map((o) => [o.cls, o.detectingVectors])).toEqual(ref.outcomes.map((o) => [o.cls, o.detectingVectors]));
    expect(ref.outcomes.some((o) => o.cls === "DT")).toBe(true);
  });
});
