/**
 * The macrospin neuron (src/sim/neuron/macrospin-she-neuron.ts) against hand derivations
 * of its linearised-LLG equation, its calibration from the device model, and its
 * predictions on seed 000's circuit (docs/macrospin-neuron.md derives every number).
 */
import { describe, expect, it } from "vitest";
import { macrospinNeuronParams, onePulseThresholdUa, switchDelayNs } from "../../src/characterise/macrospin-calibration.ts";
import { windowSensitivityTable } from "../../src/characterise/window-sensitivity-table.ts";
import { loadDeviceFile } from "../../src/formats/device-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { deriveDeviceConstants } from "../../src/sim/device/device-constants.ts";
import { macrospinSheModel, macrospinSheStep } from "../../src/sim/neuron/macrospin-she-neuron.ts";
import type { NeuronParams } from "../../src/sim/neuron/neuron-model.ts";

// seed002-she-eb20 as `calibrate --model macrospin-she` maps it (docs/device-model.md: I_c 14.02 µA, τ 387.3 ps, E_B 21.19 k_BT).
const p: NeuronParams = { criticalCurrentUa: 0, gainPerUaNs: 0.1842, leakTauNs: 0.3873, threshold: 1, restLevel: 0.04718, switchDelayNs: 0.07 };

describe("macrospin-she step: the exact solution of dx/dt = g·I·x − (x − x_r)/τ", () => {
  it("at I = 0 relaxes to the thermal rest level with τ: x(τ) = x_r·(1 − e⁻¹) from 0", () => {
    expect(macrospinSheStep({ x: 0 }, 0, p, 0.3873).state.x).toBeCloseTo(0.04718 * (1 - Math.exp(-1)), 12);
    expect(macrospinSheStep({ x: 0.04718 }, 0, p, 9).state.x).toBeCloseTo(0.04718, 12);
  });

  it("a 1 ns pulse from rest reaches the saddle at 26.86 µA (by hand: k = 2.366/ns, a = s/k = 0.05149, (x_r + a)·e^k − a = 0.9998)", () => {
    // k = 0.1842·26.86 − 1/0.3873 = 2.3659; s = 0.04718/0.3873 = 0.12182; (0.04718 + 0.05149)·e^2.3659 − 0.05149 = 0.99980
    expect(macrospinSheStep({ x: 0.04718 }, 26.86, p, 1).state.x).toBeCloseTo(0.9998, 3);
    expect(onePulseThresholdUa(p, 1)).toBeCloseTo(26.863, 2);
    // Sun's law without the thermal source, I = (ln(1/x_r)/T + 1/τ)/g = 30.6 µA, is an upper bound
    expect(onePulseThresholdUa(p, 1)).toBeLessThan((Math.log(1 / 0.04718) + 1 / 0.3873) / 0.1842);
  });

  it("a switch committed near a pulse end is seen switchDelayNs later, in the next segment", () => {
    // from x0 = 0.9 at 40 µA: k = 0.1842·40 − 2.582 = 4.786/ns, a = 0.02545; t_c = ln((1 + a)/(0.9 + a))/k = 0.02148 ns
    const k = 0.1842 * 40 - 1 / 0.3873;
    const a = 0.04718 / 0.3873 / k;
    const tc = Math.log((1 + a) / (0.9 + a)) / k;
    expect(tc).toBeCloseTo(0.02148, 4);
    const first = macrospinSheStep({ x: 0.9 }, 40, p, tc + 0.03);
    expect(first.firedAtNs).toBeNull();
    expect(first.state.pendingNs).toBeCloseTo(0.04, 6);
    const second = macrospinSheStep(first.state, 0, p, 9);
    expect(second.firedAtNs).toBeCloseTo(0.04, 6);
    expect(second.state).toEqual({ x: 0 });
    expect(macrospinSheStep({ x: 0.9 }, 40, p, 1).firedAtNs).toBeCloseTo(tc + 0.07, 6);
  });

  it("mayFire is false exactly while the fixed point x_r/(1 − g·I·τ) stays below the saddle (I < 0.95282/(g·τ) = 13.356 µA)", () => {
    const edge = (1 - 0.04718) / (0.1842 * 0.3873);
    expect(macrospinSheModel.bounds.mayFire(p, edge * 0.999)).toBe(false);
    expect(macrospinSheModel.bounds.mayFire(p, edge * 1.001)).toBe(true);
    expect(macrospinSheModel.bounds.mayFire({ ...p, dead: true }, 1e6)).toBe(false);
    // sound against simulation: held 1000 ns just below the edge it never fires, just above it does
    const firesWithin = (ua: number) => {
      let st = { x: 0 } as Parameters<typeof macrospinSheStep>[0];
      for (let i = 0; i < 1000; i++) {
        const r = macrospinSheStep(st, ua, p, 1);
        if (r.firedAtNs !== null) return true;
        st = r.state;
      }
      return false;
    };
    expect(firesWithin(edge * 0.999)).toBe(false);
    expect(firesWithin(edge * 1.01)).toBe(true);
  });
});

describe("calibration from the LLG device (seed002-she-eb20)", () => {
  const c = deriveDeviceConstants(loadDeviceFile("devices/seed002-she-eb20.json"));

  it("g = 1/(I_c·τ), τ and k_BT/E_B are the device's (docs/device-model.md table: 14.02 µA, 387.3 ps, 21.19 k_BT)", () => {
    const q = macrospinNeuronParams(c, 0);
    expect(q.leakTauNs).toBeCloseTo(0.3873, 4);
    expect(q.gainPerUaNs).toBeCloseTo(1 / (14.02 * 0.3873), 3);
    expect(q.restLevel).toBeCloseTo(1 / 21.19, 4);
  });

  it("the T = 0 LLG commits and reaches m_x > 0 within a precession period (6.49 GHz: 154 ps) once past the saddle", () => {
    const d = switchDelayNs(c, 34);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(0.154);
  });
});

describe("black-pixel-4x1-macrospin: seed 000's circuit with the macrospin neuron", () => {
  const { bench } = loadTestbench("testbenches/black-pixel-4x1-macrospin.json");
  const neuron = bench.neuron as unknown as NeuronParams;

  it("the one fitted number: the single-pulse threshold at IW 1 ns sits mid-way between table III's 81.3 and 108.44 µA", () => {
    expect(onePulseThresholdUa(neuron, 1)).toBeCloseTo((81.3 + 108.44) / 2, 1);
  });

  it("predicts rop1 39.2 kΩ / 213 kΩ / 39.2 kΩ (hand: cell 0 must fall to 13.75 µA, then 4.34 µA at IW 1.2 ns) — not seed 000's 16 / 33 / 25 kΩ", () => {
    const t = windowSensitivityTable(compileNetwork(bench), bench, { sites: ["rop1"], tolerance: 0.002 });
    const r = t.rows[0];
    // hand: V_n = 94.87 µA·20 Ω; three cells 3·(1.1 − V_n)/40611.4 Ω = 81.12 µA; cell 0 = 13.75 µA ⇒ R = 1.0981 V/13.75 µA − 40611.4 Ω
    expect(r.cells.original.minDetectableOhms! / 39_230).toBeCloseTo(1, 2);
    // IW 1.2 ns: threshold 85.47 µA (Sun's law from the same fit) ⇒ cell 0 = 4.34 µA ⇒ 212.5 kΩ
    expect(r.cells.iwPlus.minDetectableOhms! / 212_500).toBeCloseTo(1, 1);
    // LW 8.9 ns: e^(−8.9/0.3873) = 1e-10 of a pulse survives a leaky window either way — no change
    expect(r.cells.lwMinus.minDetectableOhms).toBe(r.cells.original.minDetectableOhms);
    expect(r.paper).toEqual({ original: 16_000, iwPlus: 33_000, lwMinus: 25_000 });
  });
});
