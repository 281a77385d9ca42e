/**
 * Calibration of testbenches/black-pixel-4x1.json to seed 000, reproducible:
 *
 *   node --import tsx scripts/calibrate-black-pixel.ts
 *
 * 1. accessOhms: one active input draws 27.07 µA at V_DD = 1.1 V (table III).
 * 2. gainPerUaNs: with I_c = 71 µA and τ = 30 ns fixed, the (1,1,1,1) test for three
 *    windows is exactly at the edge of firing when rop1 = 16 kΩ (table IV).
 * Everything else (k = 2..4 currents, rop2, rop3, the IW/LW directions) is a prediction.
 */
import { compileNetwork, applyPerturbations, columnOutputUa, mtjOhms } from "../src/sim/index.ts";
import { parseTestbench } from "../src/formats/testbench-loader.ts";
import { readFileSync } from "node:fs";

const file = "testbenches/black-pixel-4x1.json";
const tb = parseTestbench(readFileSync(file, "utf8"), file);
const d = tb.device;
const rTotal = d.writeVoltageV / 27.07e-6;
const access = rTotal - mtjOhms(d, 1) - 4 * d.segmentOhms - d.neuronInputOhms;
console.log("accessOhms", access.toFixed(1));
const tb2 = { ...tb, device: { ...d, accessOhms: Math.round(access * 10) / 10 } };
const net = applyPerturbations(compileNetwork(tb2), [
  { site: { kind: "segment", layer: 0, col: 0, index: 0 }, quantity: "ohms", op: "add", value: 16000 },
]);
const l = net.layers[0];
const iMin = columnOutputUa({ cellOhms: l.cellOhms, segmentOhms: l.segmentOhms, neuronInputOhms: l.neuronInputOhms[0], writeVoltageV: d.writeVoltageV }, [1, 1, 1, 1]);
const { criticalCurrentUa: ic, leakTauNs: tau } = tb.neuron;
const iw = tb.timing.iwPs / 1000;
if (tau === null) throw new Error(`${file}: neuron.leakTauNs is null; this script calibrates the leaky seed 000 neuron`);
const lw = tb.timing.lwPs / 1000;
const r = Math.exp(-(iw + lw) / tau);
const h = tau * (1 - Math.exp(-iw / tau)) * (1 + r + r * r);
console.log("I at rop1=16k", iMin.toFixed(3), "µA; gainPerUaNs", (1 / ((iMin - ic) * h)).toPrecision(6));
