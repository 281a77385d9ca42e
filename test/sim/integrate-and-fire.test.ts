/**
 * The leak-free integrate-and-fire neuron (Hou et al., ITC 2022): k pulses of drive d
 * fire exactly at the first k with k·d ≥ θ, signed drive discharges, the crossing time
 * inside a segment is (θ − x0)/rate, and a testbench selects the model with
 * `model: "integrate-and-fire"` + `leakTauNs: null`. All expectations are derived by hand
 * in the comments; Hou's constants are from kwhou/snn_fault_simulator snn_model.py
 * (V_R 400, V_th 500, DV_MIN_WPOS 2.45, DV_MAX_WPOS 24.57, DV_SIF_WPOS 2.38,
 * DV_FIF_WPOS 25.0, DV_FIF_WZERO_SWP0 8.34, DV_MAX_WNEG −4.83).
 */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/formats/format-error.ts";
import { parseTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, integrateAndFireStep, neuronModels, patternEvents, simulateNetwork, type NeuronParams, type NeuronState } from "../../src/sim/index.ts";

/** Gain 1 and I_c 0: a segment of 1 ns at current d µA adds exactly d to the state. */
const unit = (threshold: number): NeuronParams => ({ criticalCurrentUa: 0, gainPerUaNs: 1, leakTauNs: Number.POSITIVE_INFINITY, threshold });

/** The pulse (1-based) at which a run of drives first fires, or null. */
function firingPulse(drives: number[], threshold: number, start: NeuronState = { x: 0 }): number | null {
  let s = start;
  for (let k = 0; k < drives.length; k++) {
    const r = integrateAndFireStep(s, drives[k], unit(threshold), 1);
    if (r.firedAtNs !== null) return k + 1;
    s = r.state;
  }
  return null;
}
const repeat = (d: number, k: number) => Array<number>(k).fill(d);

describe("integrate-and-fire neuron", () => {
  it.each([
    // [d, θ, k]: k = smallest integer with k·d ≥ θ
    [0.1, 0.3, 3], // 3·0.1 = 0.3
    [0.1, 0.8, 8], // 8·0.1 = 0.8 (plain summation reaches 0.7999999999999999 and would fire at 9)
    [0.25, 1, 4], // 4·0.25 = 1: equality fires
    [5, 100, 20], // 20·5 = 100 = V_th − V_R
    [2.45, 100, 41], // Hou's weakest good cell: 40·2.45 = 98 < 100 ≤ 41·2.45 = 100.45 (his S … 41)
    [2.38, 100, 43], // Hou's SIF cell: 42·2.38 = 99.96 < 100 ≤ 43·2.38 = 102.34
    [24.57, 100, 5], // Hou's strongest good cell: 4·24.57 = 98.28 < 100 (his S 5 …)
    [25, 100, 4], // Hou's FIF cell: 4·25 = 100 exactly, so it fires at 4 < 5 and S 5 41 catches it
    [8.34, 100, 12], // Hou's FIF at weight 0: 12·8.34 = 100.08 (SZ 12 catches it; a good 0 cell ≤ 12·8.2 = 98.4)
  ])("pulses of %d reach θ = %d at pulse %d, not before", (d, theta, k) => {
    expect(firingPulse(repeat(d, k + 5), theta)).toBe(k);
  });

  it("the test above has teeth: plain double summation of 8 × 0.1 falls short of 0.8", () => {
    let x = 0;
    for (let k = 0; k < 8; k++) x += 0.1;
    expect(x).toBeLessThan(0.8);
  });

  it("a SIF cell (2.38) escapes Hou's 41-tick window, a good one (2.45) does not", () => {
    expect(firingPulse(repeat(2.38, 41), 100)).toBeNull();
    expect(firingPulse(repeat(2.45, 41), 100)).toBe(41);
  });

  it("signed drive: −1 weights discharge, the rest is made up pulse by pulse", () => {
    // 30 × 2.45 = 73.5, then 5 × (−4.83) = −24.15 → 49.35; 100 − 49.35 = 50.65 = 20.67 × 2.45 → pulse 21 of the last run
    const drives = [...repeat(2.45, 30), ...repeat(-4.83, 5), ...repeat(2.45, 30)];
    expect(firingPulse(drives, 100)).toBe(30 + 5 + 21);
  });

  it("no leak: the state stays put at zero drive over any time", () => {
    const r = integrateAndFireStep({ x: 0.7 }, 0, unit(1), 1e6);
    expect(r.state.x).toBe(0.7);
    expect(r.firedAtNs).toBeNull();
  });

  it("fires at (θ − x0)/rate into the segment and resets", () => {
    // x0 0.5, rate 0.25/ns, θ 1 → t* = 0.5/0.25 = 2 ns of a 3 ns segment
    const r = integrateAndFireStep({ x: 0.5 }, 0.25, unit(1), 3);
    expect(r.firedAtNs).toBeCloseTo(2, 12);
    expect(r.state.x).toBe(0);
  });

  it("bounds: cannot fire at or below I_c, may above; a dead neuron never fires", () => {
    const p = { criticalCurrentUa: 10, gainPerUaNs: 1, leakTauNs: Number.POSITIVE_INFINITY, threshold: 1 };
    const b = neuronModels["integrate-and-fire"].bounds;
    expect(b.mayFire(p, 10)).toBe(false);
    expect(b.mayFire(p, 10.5)).toBe(true);
    expect(integrateAndFireStep({ x: 0 }, 1000, { ...p, dead: true }, 1).firedAtNs).toBeNull();
  });
});

describe("a testbench selects it", () => {
  // One P cell: I = 0.1 V / (9 500 + 500 Ω) = 10 µA; g 0.01 → 0.1 per 1 ns window; θ 0.45:
  // 4 windows reach 0.4, the 5th (index 4) crosses at (0.45 − 0.4)/0.1 = 0.5 ns → 4·10 000 + 500 ps.
  const bench = (neuron: Record<string, unknown>) =>
    JSON.stringify({
      schemaVersion: 1,
      id: "if-1x1",
      title: "one cell into a leak-free neuron",
      device: { rLowOhms: 9500, tmrPercent: 100, accessOhms: 0, segmentOhms: 0, neuronInputOhms: 500, writeVoltageV: 0.1 },
      neuron: { model: "integrate-and-fire", criticalCurrentUa: 0, gainPerUaNs: 0.01, leakTauNs: null, threshold: 0.45, ...neuron },
      timing: { iwPs: 1000, lwPs: 9000 },
      layers: [{ rows: 1, cols: 1, weights: { generator: "constant", value: 1 } }],
    });

  it("integrates across windows without leak and fires in the hand-derived window", () => {
    const net = compileNetwork(parseTestbench(bench({}), "if-1x1.json"));
    const run = simulateNetwork(net, { iwPs: 1000, lwPs: 9000, windows: 6, events: patternEvents(["1"], 6, 1000, 9000) });
    expect(run.spikes.map((s) => [s.window, s.timePs])).toEqual([[4, 40500]]);
  });

  it("leakTauNs null with a leaky model, or a τ with integrate-and-fire, is a located error", () => {
    expect(() => parseTestbench(bench({ model: "lif-she" }), "a.json")).toThrow(FormatError);
    expect(() => parseTestbench(bench({ model: "lif-she" }), "a.json")).toThrow(/neuron\.leakTauNs/);
    expect(() => parseTestbench(bench({ leakTauNs: 30 }), "b.json")).toThrow(/null \(model integrate-and-fire has no leak/);
  });
});
