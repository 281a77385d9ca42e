/**
 * The macrospin integrator against exact results: norm conservation at T = 0 without
 * renormalisation, the analytic large-angle damped precession in a uniform field, the
 * linearised relaxation rate and precession frequency of the seed 002 free layer (the
 * neuron's physical leak), determinism, and the thermal equilibrium the noise produces.
 */
import { describe, expect, it } from "vitest";
import { loadDeviceFile } from "../../src/formats/device-format.ts";
import { deriveDeviceConstants } from "../../src/sim/device/device-constants.ts";
import { llgParamsOf, MacrospinSolver, type LlgParams } from "../../src/sim/device/llg-solver.ts";
import { GYROMAGNETIC_RATIO } from "../../src/sim/device/physical-constants.ts";
import { resetToP, stepsIn } from "../../src/sim/device/pulse-train.ts";
import { createRng } from "../../src/sim/rng.ts";

const eb20 = deriveDeviceConstants(loadDeviceFile("devices/seed002-she-eb20.json"));

/** A magnet with no anisotropy in a uniform field H0 along z (exactly solvable). */
function uniformField(alpha: number, h0: number, dtPs: number): LlgParams {
  return {
    gammaPrime: GYROMAGNETIC_RATIO / (1 + alpha * alpha),
    alpha,
    cx: 0,
    cy: 0,
    cz: 0,
    hx: 0,
    hy: 0,
    hz: h0,
    px: 1,
    py: 0,
    pz: 0,
    spinFieldPerUa: 0,
    thermalSigma: 0,
    thermalFieldScale: 0,
    referenceThermalFieldScale: 1,
    dtS: dtPs * 1e-12,
  };
}

describe("macrospin LLG solver at T = 0", () => {
  it("keeps |m| = 1 to 1e-9 on every step with no renormalisation, through a full switching event", () => {
    const s = new MacrospinSolver(llgParamsOf(eb20, { temperatureK: 0 }));
    resetToP(s, null);
    s.monitorNorm = true;
    s.maxNormError = 0;
    // 60 µA for 1 ns switches the layer (large-angle motion), then 2 ns of relaxation
    for (let k = 0; k < 300; k++) s.advance(k < 100 ? 60 : 0, 20, null);
    expect(s.mx).toBeGreaterThan(0.9); // it really switched: the check covered large angles
    expect(s.maxNormError).toBeLessThan(1e-9);
    expect(Math.abs(s.mx * s.mx + s.my * s.my + s.mz * s.mz - 1)).toBeLessThan(1e-12);
  });

  it("reproduces the exact damped precession in a uniform field, tan(θ/2) ∝ exp(−αγ'H₀t) and φ = γ'H₀t, to second order in the step", () => {
    const alpha = 0.1;
    const h0 = 1e5; // A/m
    const theta0 = (80 * Math.PI) / 180;
    const errorsAt = (dtPs: number) => {
      const p = uniformField(alpha, h0, dtPs);
      const s = new MacrospinSolver(p);
      s.setState(Math.sin(theta0), 0, Math.cos(theta0));
      const steps = Math.round(20 / dtPs); // 20 ps per sample (< half a precession turn), 4 ns in total
      let thetaErr = 0;
      let phaseErr = 0;
      let unwrapped = 0;
      let lastPhi = 0;
      for (let k = 1; k <= 200; k++) {
        s.advance(0, steps, null);
        const t = k * steps * p.dtS;
        const exact = 2 * Math.atan(Math.tan(theta0 / 2) * Math.exp(-alpha * p.gammaPrime * h0 * t));
        thetaErr = Math.max(thetaErr, Math.abs(Math.acos(Math.max(-1, Math.min(1, s.mz))) - exact));
        let d = Math.atan2(s.my, s.mx) - lastPhi;
        while (d < -Math.PI) d += 2 * Math.PI;
        while (d > Math.PI) d -= 2 * Math.PI;
        unwrapped += d;
        lastPhi += d;
        phaseErr = Math.max(phaseErr, Math.abs(unwrapped - p.gammaPrime * h0 * t));
      }
      return { thetaErr, phaseErr, finalTheta: Math.acos(s.mz) };
    };
    const coarse = errorsAt(1);
    const fine = errorsAt(0.5);
    // θ went from 80° to below 35°: the check spans the large-angle, nonlinear regime
    expect(fine.finalTheta).toBeLessThan((35 * Math.PI) / 180);
    expect(fine.thetaErr).toBeLessThan(5e-5);
    expect(fine.phaseErr).toBeLessThan(1e-3);
    // Heun on the rotation group is second order: halving the step quarters the error
    expect(coarse.thetaErr / fine.thetaErr).toBeGreaterThan(3.5);
    expect(coarse.thetaErr / fine.thetaErr).toBeLessThan(4.5);
    expect(coarse.phaseErr / fine.phaseErr).toBeGreaterThan(3.5);
    expect(coarse.phaseErr / fine.phaseErr).toBeLessThan(4.5);
  });

  it("relaxes the seed 002 free layer at the analytic rate α·γ'·(H_k + H_⊥) and precesses at the linearised frequency", () => {
    const p = llgParamsOf(eb20, { temperatureK: 0 });
    const s = new MacrospinSolver(p);
    resetToP(s, null, 1e-3);
    const chunk = stepsIn(5, p.dtS);
    const ts: number[] = [];
    const logE: number[] = [];
    let crossings = 0;
    let firstCross = -1;
    let lastCross = -1;
    let prevY = s.my;
    for (let k = 1; k <= 600; k++) {
      s.advance(0, chunk, null);
      const t = k * chunk * p.dtS;
      ts.push(t);
      logE.push(Math.log(s.barrierFraction()));
      if (prevY > 0 !== s.my > 0) {
        crossings++;
        if (firstCross < 0) firstCross = t;
        lastCross = t;
      }
      prevY = s.my;
    }
    const n = ts.length;
    const mt = ts.reduce((a, b) => a + b, 0) / n;
    const me = logE.reduce((a, b) => a + b, 0) / n;
    const slope = ts.reduce((a, t, i) => a + (t - mt) * (logE[i] - me), 0) / ts.reduce((a, t) => a + (t - mt) ** 2, 0);
    const rateFromSim = -slope; // 1/s
    const rateAnalytic = 1e9 / eb20.relaxationTauNs;
    expect(Math.abs(rateFromSim / rateAnalytic - 1)).toBeLessThan(0.01);
    const fSim = (crossings - 1) / 2 / (lastCross - firstCross) / 1e9;
    expect(Math.abs(fSim / eb20.precessionGhz - 1)).toBeLessThan(0.01);
  });

  it("is deterministic at T = 0 and reproducible for a seed at T > 0", () => {
    const run = (temperatureK: number, seed: number) => {
      const s = new MacrospinSolver(llgParamsOf(eb20, { temperatureK }));
      const rng = temperatureK > 0 ? createRng(seed) : null;
      resetToP(s, rng);
      s.advance(50, 1000, rng);
      return [s.mx, s.my, s.mz];
    };
    expect(run(0, 1)).toEqual(run(0, 2));
    expect(run(300, 7)).toEqual(run(300, 7));
    expect(run(300, 7)).not.toEqual(run(300, 8));
  });
});

describe("thermal field", () => {
  it("produces the Boltzmann equilibrium of the P well: ⟨m_y²⟩ = k_BT/(μ0M_sV·H_k), ⟨m_z²⟩ = k_BT/(μ0M_sV·H_⊥)", () => {
    const p = llgParamsOf(eb20, { timeStepPs: 1 });
    const s = new MacrospinSolver(p);
    const rng = createRng(11);
    resetToP(s, rng);
    let sy = 0;
    let sz = 0;
    let n = 0;
    for (let k = 0; k < 20000; k++) {
      s.advance(0, 50, rng); // 1 µs in total, samples every 50 ps
      sy += s.my * s.my;
      sz += s.mz * s.mz;
      n++;
    }
    expect(s.mx).toBeLessThan(0); // no escape over a 21 k_BT barrier in 1 µs
    const expectY = p.thermalFieldScale / (p.cx - p.cy);
    const expectZ = p.thermalFieldScale / (p.cx - p.cz);
    expect(sy / n / expectY).toBeGreaterThan(0.9);
    expect(sy / n / expectY).toBeLessThan(1.12);
    expect(sz / n / expectZ).toBeGreaterThan(0.9);
    expect(sz / n / expectZ).toBeLessThan(1.1);
  });

  it("equilibrates at T/(1+α²) with the seed's thermal-field formula and at T with Brown's variance (seed 000, α = 0.45)", () => {
    const ratioFor = (thermalField: "seed-002" | "fluctuation-dissipation") => {
      const d = loadDeviceFile("devices/seed000-mtj-she-neuron.json");
      d.simulation.thermalField = thermalField;
      const p = llgParamsOf(deriveDeviceConstants(d));
      const s = new MacrospinSolver(p);
      const rng = createRng(5);
      resetToP(s, rng);
      let sy = 0;
      let n = 0;
      for (let k = 0; k < 20000; k++) {
        s.advance(0, 10, rng); // 100 ns, relaxation time ≈ 10 ps
        sy += s.my * s.my;
        n++;
      }
      return sy / n / (p.thermalFieldScale / (p.cx - p.cy));
    };
    const alpha = 0.45;
    const seed = ratioFor("seed-002");
    const brown = ratioFor("fluctuation-dissipation");
    expect(Math.abs(seed * (1 + alpha * alpha) - 1)).toBeLessThan(0.08);
    expect(Math.abs(brown - 1)).toBeLessThan(0.08);
  });
});
