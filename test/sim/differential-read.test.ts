/**
 * Differential read (src/sim/differential-read.ts): with `device.referenceColumn` every
 * neuron current of a simulated layer is exactly I_col − I_ref, each solved on its own
 * (two independent `solveColumn` calls built from the bench's raw numbers); without it
 * the read is single-ended, bit for bit.
 */
import { describe, expect, it } from "vitest";
import { testbenchSchema } from "../../src/formats/testbench-format.ts";
import { compileNetwork, patternEvents, simulateLayer, simulateNetwork, solveColumn } from "../../src/sim/index.ts";

const device = { rLowOhms: 2300, rHighOhms: 5100, accessOhms: 1000, segmentOhms: 30, neuronInputOhms: 20, writeVoltageV: 0.05 };
const weights = [
  [1, 0, 0.25],
  [1, 0, 1],
  [0, 0, 0.75],
  [1, 0, 0],
  [1, 0, 1],
  [0, 0, 0.5],
];

function bench(referenceColumn?: { weight: number }) {
  return testbenchSchema.parse({
    schemaVersion: 1,
    id: "diff",
    title: "differential read",
    device: { ...device, ...(referenceColumn ? { referenceColumn } : {}) },
    neuron: { model: "lif-she", criticalCurrentUa: 1, gainPerUaNs: 0.3, leakTauNs: 30 },
    timing: { iwPs: 1000, lwPs: 9000 },
    layers: [{ rows: 6, cols: 3, weights }],
  });
}

/** Branch resistance of a cell of weight w, from the raw device numbers. */
const cellOhms = (w: number) => 1 / (w / device.rLowOhms + (1 - w) / device.rHighOhms) + device.accessOhms;

function independentUa(cells: number[], active: Uint8Array): number {
  return solveColumn({ cellOhms: cells, segmentOhms: cells.map(() => device.segmentOhms), neuronInputOhms: device.neuronInputOhms, writeVoltageV: device.writeVoltageV }, active).outputUa;
}

const stimulus = { iwPs: 1000, lwPs: 9000, windows: 4, events: patternEvents(["110110", "011011", "000000", "111111"], 4, 1000, 9000) };

describe("differential read", () => {
  it("gives every column exactly I_col − I_ref for each driven-row set", () => {
    const net = compileNetwork(bench({ weight: 0.5 }));
    const layer = net.layers[0];
    expect(layer.reference?.weight).toBe(0.5);
    const run = simulateLayer(net, 0, stimulus, stimulus.events);
    let driven = 0;
    let negative = 0;
    for (let s = 0; s < run.segments.length; s++) {
      const active = new Uint8Array(6);
      for (const r of run.segments[s].activeRows) active[r] = 1;
      const refUa = run.segments[s].activeRows.length ? independentUa(weights.map(() => cellOhms(0.5)), active) : 0;
      if (run.segments[s].activeRows.length) driven++;
      for (let c = 0; c < 3; c++) {
        const colUa = run.segments[s].activeRows.length ? independentUa(weights.map((row) => cellOhms(row[c])), active) : 0;
        expect(run.currentsUa[s][c]).toBeCloseTo(colUa - refUa, 9);
        if (run.currentsUa[s][c] < 0) negative++;
      }
    }
    expect(driven).toBe(3);
    // The all-weight-0 column is weaker than the reference whenever a row is driven.
    expect(negative).toBeGreaterThanOrEqual(driven);
  });

  it("puts the weight-0.5 reference cell's conductance midway between P and AP", () => {
    const ref = compileNetwork(bench({ weight: 0.5 })).layers[0].reference!;
    const g = 1 / (ref.cellOhms[0] - device.accessOhms);
    expect(g).toBeCloseTo((1 / device.rLowOhms + 1 / device.rHighOhms) / 2, 12);
    expect(ref.segmentOhms.every((x) => x === device.segmentOhms)).toBe(true);
    expect(ref.neuronInputOhms).toBe(device.neuronInputOhms);
  });

  it("without a reference column reads single-ended, exactly as before", () => {
    const net = compileNetwork(bench());
    expect(net.layers[0].reference).toBeNull();
    const run = simulateLayer(net, 0, stimulus, stimulus.events);
    for (let s = 0; s < run.segments.length; s++) {
      const active = new Uint8Array(6);
      for (const r of run.segments[s].activeRows) active[r] = 1;
      for (let c = 0; c < 3; c++) {
        const colUa = run.segments[s].activeRows.length ? independentUa(weights.map((row) => cellOhms(row[c])), active) : 0;
        expect(run.currentsUa[s][c]).toBeCloseTo(colUa, 9);
      }
    }
  });

  it("makes the spikes follow the weights: the all-weight-0 column never fires against the reference", () => {
    const single = simulateNetwork(compileNetwork(bench()), stimulus).spikes;
    const diff = simulateNetwork(compileNetwork(bench({ weight: 0.5 })), stimulus).spikes;
    // Single-ended, every column gets ~half an R_L current per driven row and fires; differentially, column 1 (all R_H) cannot.
    expect(single.some((s) => s.neuron === 1)).toBe(true);
    expect(diff.some((s) => s.neuron === 1)).toBe(false);
    expect(diff.some((s) => s.neuron === 0)).toBe(true);
  });

  it("rejects a reference weight outside [0, 1]", () => {
    const r = testbenchSchema.safeParse({ ...bench(), device: { ...device, referenceColumn: { weight: 1.5 } } });
    expect(r.success).toBe(false);
  });
});
