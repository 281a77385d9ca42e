/**
 * Undetectability proofs: each reason on a bench built to need it, and that a fault
 * proved UD is really never seen — the reference engine simulates it anyway on every
 * input pattern and finds no difference.
 */
import { describe, expect, it } from "vitest";
import { testbenchSchema } from "../../src/formats/testbench-format.ts";
import { createFaultAnalysis, enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, type FaultSimVector } from "../../src/faultsim/index.ts";
import { compileNetwork, patternEvents } from "../../src/sim/index.ts";

/** 3 inputs → 2 hidden → 1 output. Hidden neuron 1 has a critical current no column can reach. */
const tb = testbenchSchema.parse({
  schemaVersion: 1,
  id: "ud-bench",
  title: "UD proofs",
  device: { rLowOhms: 5000, rHighOhms: 10000, accessOhms: 1000, segmentOhms: 1, neuronInputOhms: 20, writeVoltageV: 0.5 },
  neuron: { model: "lif-she", criticalCurrentUa: 60, gainPerUaNs: 0.02, leakTauNs: 30, threshold: 1 },
  timing: { iwPs: 1000, lwPs: 9000 },
  layers: [
    { rows: 3, cols: 2, weights: [[1, 1], [1, 0], [0, 1]] },
    { rows: 2, cols: 1, weights: [[1], [1]], neuron: { criticalCurrentUa: 40, gainPerUaNs: 0.05 } },
  ],
});
// A per-neuron defect of the bench itself (layer overrides are per layer): hidden neuron 1 can never fire.
const net = compileNetwork(tb);
net.layers[0].neurons[1] = { ...net.layers[0].neurons[1], criticalCurrentUa: 10_000 };

const allPatterns: FaultSimVector[] = Array.from({ length: 8 }, (_, k) => {
  const bits = k.toString(2).padStart(3, "0");
  return { id: `p${bits}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 4, events: patternEvents([bits], 4, 1000, 9000) }, toleranceBandPs: 0 };
});

describe("undetectability proofs", () => {
  const a = createFaultAnalysis(net);
  const u = enumerateFaults(net, tb, loadFaultModels(), { analysis: a });
  const reasons = new Map(u.faults.map((f) => [f.id, a.undetectableReason(a.effects.effectOf(f.perturbations), f.site)]));

  it("finds the unreachable hidden neuron and the row it would drive", () => {
    expect(Array.from(a.canFire[0])).toEqual([1, 0]);
    expect(Array.from(a.rowDrivable[1])).toEqual([1, 0]);
    expect(reasons.get("dead-neuron@l0.n1")).toMatch(/neuron l0\.n1 can never fire, with or without the fault/);
    expect(reasons.get("dead-synapse@l0.r0.c1")).toMatch(/can never fire/);
    expect(reasons.get("dead-synapse@l1.r1.c0")).toBe("row 1 of layer 1 is never driven (neuron l0.n1 can never fire)");
    expect(reasons.get("resistive-open@l0.r0.c0.read:50000")).toMatch(/\.read path carries no write current/);
    // Every neuron fault leaves l0.n1 silent, so all collapse onto its dead-neuron (silent-neuron rule)…
    expect(u.faults.find((f) => f.id === "dead-neuron@l0.n1")!.equivalents).toEqual(["fast-to-integrate@l0.n1", "fast-to-leak@l0.n1", "slow-to-integrate@l0.n1", "slow-to-leak@l0.n1"]);
    // …while a retention flip raises a column's drive and may wake a neuron: not provable, not UD.
    expect(reasons.get("retention-flip@l0.r2.c0")).toBeNull();
    // Ordinary faults on live paths are not UD.
    expect(reasons.get("dead-synapse@l0.r0.c0")).toBeNull();
    expect(reasons.get("dead-neuron@l1.n0")).toBeNull();
  });

  it("a segment carries no current when no row at or above it is ever driven", () => {
    expect(reasons.get("resistive-open@l1.c0.seg0:50000")).toBeNull(); // row 0 of layer 1 is driven
    const net2 = compileNetwork(tb);
    net2.layers[0].neurons[0] = { ...net2.layers[0].neurons[0], dead: true };
    const a2 = createFaultAnalysis(net2);
    const seg0 = { site: { kind: "segment" as const, layer: 1, col: 0, index: 0 }, quantity: "ohms", op: "add" as const, value: 5000 };
    expect(a2.undetectableReason(a2.effects.effectOf([seg0]), seg0.site)).toBe("segment 0 of l1.c0 never carries current: none of rows 0..0 is ever driven");
  });

  it("every UD fault stays undetected when simulated anyway on all 8 patterns (tolerance 0)", () => {
    const ud = u.faults.filter((f) => reasons.get(f.id));
    expect(ud.length).toBeGreaterThan(10);
    const raw = faultEngines.reference.run(net, ud, allPatterns, { drop: false, proveUndetectable: false });
    for (const o of raw.outcomes) expect(o.cls, o.faultId).toBe("ND");
    const classified = faultEngines.fast.run(net, ud, allPatterns, { analysis: a });
    expect(classified.outcomes.every((o) => o.cls === "UD" && o.reason)).toBe(true);
    expect(classified.evaluations).toBe(0);
  });
});
