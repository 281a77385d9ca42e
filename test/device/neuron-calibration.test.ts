/**
 * Calibration of the behavioural neuron to the device model (acceptance of issue 6):
 * the calibrated neuron agrees with the macrospin on spike / no-spike for ≥ 95 % of
 * random pulse trains at the black-pixel bench timing; the same check rejects the
 * uncalibrated neuron; the stochastic variant tracks the device's probabilities more
 * closely; the written testbench validates and simulates like the device.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calibratedTestbench } from "../../src/characterise/calibrated-testbench.ts";
import { runDeviceTrains, scoreAgreement } from "../../src/characterise/neuron-agreement.ts";
import { calibrateNeuron, fitLifToMidpoints, type NeuronCalibration } from "../../src/characterise/neuron-calibration.ts";
import { poolRunner, type DeviceJobRunner } from "../../src/characterise/worker-pool.ts";
import { loadDeviceFile } from "../../src/formats/device-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { deriveDeviceConstants } from "../../src/sim/device/device-constants.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { simulateNetwork } from "../../src/sim/network.ts";
import { patternEvents } from "../../src/sim/stimulus.ts";

const device = loadDeviceFile("devices/seed002-she-eb20.json");
const constants = deriveDeviceConstants(device);
const { bench } = loadTestbench("testbenches/black-pixel-4x1.json");
const opts = { seed: 3, curveTrials: 150, trains: 300, trialsPerTrain: 25, model: "stochastic-lif-she" as const };
let pool: DeviceJobRunner;
let cal: NeuronCalibration;

beforeAll(async () => {
  pool = poolRunner(2);
  cal = await calibrateNeuron(device, bench, pool, opts);
});
afterAll(async () => {
  await pool.close();
});

describe("fitLifToMidpoints", () => {
  const lifI50 = (ic: number, g: number, tau: number, tNs: number) => ic + 1 / (g * tau * (1 - Math.exp(-tNs / tau)));

  it("recovers the parameters of a LIF neuron from its own midpoints", () => {
    const [ic, g, tau] = [20, 0.05, 2];
    const fit = fitLifToMidpoints(tau, { pulseNs: 1, i50Ua: lifI50(ic, g, tau, 1) }, { pulseNs: 0.5, i50Ua: lifI50(ic, g, tau, 0.5) }, 5);
    expect(fit.note).toBeNull();
    expect(fit.criticalCurrentUa).toBeCloseTo(ic, 9);
    expect(fit.gainPerUaNs).toBeCloseTo(g, 12);
  });

  it("falls back to the device's critical current, and says why, when the midpoints need I_c < 0", () => {
    const fit = fitLifToMidpoints(0.4, { pulseNs: 1, i50Ua: 34 }, { pulseNs: 0.5, i50Ua: 57 }, 14);
    expect(fit.criticalCurrentUa).toBe(14);
    expect(lifI50(fit.criticalCurrentUa, fit.gainPerUaNs, 0.4, 1)).toBeCloseTo(34, 9); // still exact at the bench IW
    expect(fit.note).toMatch(/I_c = -\d+\.\d µA < 0/);
  });
});

describe("calibrating the black-pixel neuron to seed002-she-eb20", () => {
  it("agrees with the device model on spike / no-spike for at least 95 % of random pulse trains at the bench timing", () => {
    expect(cal.iwPs).toBe(1000);
    expect(cal.lwPs).toBe(9000);
    expect(cal.params.model).toBe("stochastic-lif-she");
    expect(cal.agreement.trains).toBe(300);
    expect(cal.agreement.trialsPerTrain).toBe(25);
    expect(cal.agreement.spikeAgreement).toBeGreaterThanOrEqual(0.95);
  });

  it("scores the deterministic model on the same device runs: close, but it misses switching chances that add up over a train", () => {
    const det = cal.agreementByModel["lif-she"];
    const sto = cal.agreementByModel["stochastic-lif-she"];
    expect(sto).toEqual(cal.agreement);
    expect(det.spikeAgreement).toBeGreaterThanOrEqual(0.9);
    expect(sto.meanProbabilityGap).toBeLessThan(det.meanProbabilityGap);
  });

  it("uses the device's physical leak and matches the device midpoint at the bench IW", () => {
    const p = cal.params;
    expect(p.leakTauNs).toBe(constants.relaxationTauNs);
    expect(p.threshold).toBe(1);
    const tau = p.leakTauNs;
    const iTh = p.criticalCurrentUa + 1 / (p.gainPerUaNs * tau * (1 - Math.exp(-1 / tau)));
    expect(iTh).toBeCloseTo(cal.curves.bench.fit.midpointUa, 6);
    expect(cal.curves.second.fit.midpointUa).toBeGreaterThan(cal.curves.bench.fit.midpointUa); // shorter pulse, higher I50
  });

  it("rejects the uncalibrated bench neuron on the same trains the calibrated one passes (the check can fail)", async () => {
    const run = await runDeviceTrains(constants, pool, {
      seed: 4,
      trains: 100,
      trialsPerTrain: 9,
      iwPs: cal.iwPs,
      lwPs: cal.lwPs,
      maxAmplitudeUa: cal.agreement.maxAmplitudeUa,
    });
    const n = bench.neuron;
    const uncalibrated = { criticalCurrentUa: n.criticalCurrentUa, gainPerUaNs: n.gainPerUaNs, leakTauNs: n.leakTauNs ?? Number.POSITIVE_INFINITY, threshold: n.threshold };
    expect(scoreAgreement(run, "lif-she", uncalibrated).spikeAgreement).toBeLessThan(0.8);
    expect(scoreAgreement(run, "stochastic-lif-she", cal.params).spikeAgreement).toBeGreaterThanOrEqual(0.9);
  });

  it("writes a valid testbench whose neuron fires on the column currents the device switches on", () => {
    const raw = JSON.parse(readFileSync("testbenches/black-pixel-4x1.json", "utf8"));
    const { json, bench: out } = calibratedTestbench(raw, "out.json", cal);
    expect(JSON.parse(json).$schema).toBe(raw.$schema);
    expect(out.id).toBe("black-pixel-4x1-seed002-she-eb20");
    expect(out.neuron.gainPerUaNs).toBeCloseTo(cal.params.gainPerUaNs, 4);
    expect(out.notes).toMatch(/calibrated to device seed002-she-eb20/);
    const net = compileNetwork(out);
    const fit = cal.curves.bench.fit;
    let clear = 0;
    for (const pattern of ["1000", "1100", "1110", "1111"]) {
      const r = simulateNetwork(net, { iwPs: 1000, lwPs: 9000, windows: 1, events: patternEvents([pattern], 1, 1000, 9000) });
      const currentUa = r.layers[0].currentsUa[0][0];
      const pDevice = 1 / (1 + Math.exp(-(currentUa - fit.midpointUa) / fit.scaleUa));
      if (Math.abs(pDevice - 0.5) < 0.2) continue;
      clear++;
      expect(r.spikes.length > 0, `${pattern}: ${currentUa.toFixed(1)} µA, device P ${pDevice.toFixed(2)}`).toBe(pDevice > 0.5);
    }
    expect(clear).toBeGreaterThanOrEqual(3);
  });
});
