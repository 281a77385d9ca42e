/**
 * The simulated chip every simulated target wraps: timing at the tick, WRITE then READ,
 * a fault that survives a WRITE, and the central claim of its incremental WRITE — a chip
 * that was written row by row behaves exactly like a chip compiled from a testbench that
 * already had those weights (same reads, same spikes), fault included. Plus the cost: a
 * full rewrite of the bnn bench's 784×1024 first layer takes row updates, not minutes.
 */
import { describe, expect, it } from "vitest";
import type { Testbench } from "../../src/formats/testbench-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, expandWeights } from "../../src/sim/compile.ts";
import { observableSpikes, simulateNetwork } from "../../src/sim/network.ts";
import type { Perturbation } from "../../src/sim/perturbation.ts";
import { patternEvents } from "../../src/sim/stimulus.ts";
import { ChipAddressError, createSimulatedChip } from "../../src/targets/simulated-chip.ts";

const bp = loadTestbench("testbenches/black-pixel-4x1.json").bench;
const mlp = loadTestbench("testbenches/mlp-16x8x4.json").bench;
const cell = (layer: number, row: number, col: number) => ({ kind: "cell" as const, layer, row, col });

describe("simulated chip", () => {
  it("rounds window timing to the bench's 10-ps tick, never below one tick", () => {
    const chip = createSimulatedChip({ bench: bp });
    expect(chip.timing).toEqual({ iwPs: 1000, lwPs: 9000 }); // the bench's own timing at power-on
    expect(chip.setTiming(1004, 8996)).toEqual({ iwPs: 1000, lwPs: 9000 });
    expect(chip.setTiming(1005, 3)).toEqual({ iwPs: 1010, lwPs: 10 });
  });

  it("reports spikes at the tick: the simulator's spike time rounded to the nearest 10 ps", () => {
    const chip = createSimulatedChip({ bench: bp });
    const events = patternEvents(["1111"], 3, 1000, 9000);
    const raw = observableSpikes(compileNetwork(bp), simulateNetwork(compileNetwork(bp), { iwPs: 1000, lwPs: 9000, windows: 3, events }).spikes);
    const spikes = chip.fire({ events, windows: 3, salt: 0 });
    expect(spikes).toHaveLength(raw.length);
    expect(spikes[0].output).toBe(raw[0].output);
    expect(spikes[0].timePs % 10).toBe(0);
    expect(Math.abs(spikes[0].timePs - raw[0].timePs)).toBeLessThanOrEqual(5);
  });

  it("reads back what was written, and the bench's weights after a power-on reset", () => {
    const chip = createSimulatedChip({ bench: mlp });
    chip.writeRow(1, 3, "1010");
    expect(chip.readRow(1, 3)).toBe("1010");
    chip.writeRow(1, 3, "0110");
    expect(chip.readRow(1, 3)).toBe("0110");
    const initial = expandWeights(mlp.layers[1]);
    const benchRow = Array.from({ length: 4 }, (_, c) => (initial[c * 8 + 3] >= 0.5 ? "1" : "0")).join("");
    chip.reset();
    expect(chip.readRow(1, 3)).toBe(benchRow);
  });

  it("keeps an injected fault over any WRITE: a dead synapse reads 0, a cell stuck in P reads 1", () => {
    const dead: Perturbation = { site: cell(0, 2, 0), quantity: "conductance", op: "set", value: 0 };
    const stuckP: Perturbation = { site: cell(0, 1, 0), quantity: "weight", op: "set", value: 1 };
    const chip = createSimulatedChip({ bench: bp, perturbations: [dead, stuckP] });
    chip.writeRow(0, 2, "1");
    chip.writeRow(0, 1, "0");
    expect([chip.readRow(0, 2), chip.readRow(0, 1)]).toEqual(["0", "1"]);
    chip.writeRow(0, 0, "0"); // a healthy cell follows the write
    expect(chip.readRow(0, 0)).toBe("0");
  });

  it("written row by row, a faulty chip equals the same fault on a chip compiled with those weights", () => {
    const fault: Perturbation[] = [
      { site: cell(0, 5, 2), quantity: "ohms", op: "add", value: 20_000 },
      { site: cell(0, 9, 1), quantity: "weight", op: "set", value: 0 },
      { site: { kind: "neuron", layer: 0, col: 3 }, quantity: "leakTauNs", op: "scale", value: 3 },
    ];
    const chip = createSimulatedChip({ bench: mlp, perturbations: fault });
    const w0 = expandWeights(mlp.layers[0]);
    const rows: number[][] = Array.from({ length: 16 }, (_, r) => Array.from({ length: 8 }, (_, c) => w0[c * 16 + r]));
    for (const [r, bits] of [[5, "11110000"], [9, "11111111"], [0, "10101010"], [5, "01111110"]] as const) {
      chip.writeRow(0, r, bits);
      rows[r] = Array.from(bits, Number);
    }
    const compiled: Testbench = { ...mlp, layers: [{ ...mlp.layers[0], weights: rows }, mlp.layers[1]] };
    const twin = createSimulatedChip({ bench: compiled, perturbations: fault });
    for (let r = 0; r < 16; r++) expect(chip.readRow(0, r), `row ${r}`).toBe(twin.readRow(0, r));
    for (const pattern of ["1111111111111111", "1111000011110000", "0000111111111111"]) {
      const stim = { events: patternEvents([pattern], 6, 1000, 9000), windows: 6, salt: 0 };
      expect(chip.fire(stim), pattern).toEqual(twin.fire(stim));
    }
  });

  it("refuses a WRITE or READ outside the chip with the address and the valid range", () => {
    const chip = createSimulatedChip({ bench: mlp });
    expect(() => chip.readRow(2, 0)).toThrow(new ChipAddressError("layer 2 does not exist (0..1)"));
    expect(() => chip.writeRow(1, 8, "0000")).toThrow(new ChipAddressError("row 8 does not exist in layer 1 (0..7)"));
    expect(() => chip.writeRow(1, 0, "000")).toThrow(new ChipAddressError("bits for layer 1 row 0 has 3 column(s), the layer has 4"));
  });

  it("rewrites all 784 rows of the bnn bench's first layer, with a fault in that layer, in seconds", () => {
    const bnn = loadTestbench("testbenches/bnn-784x1024x10.json").bench;
    const chip = createSimulatedChip({ bench: bnn, perturbations: [{ site: cell(0, 5, 7), quantity: "conductance", op: "set", value: 0 }] });
    const ones = "1".repeat(1024);
    const t0 = performance.now();
    for (let r = 0; r < 784; r++) chip.writeRow(0, r, ones);
    const ms = performance.now() - t0;
    // Rebuilding the network per WRITE (the former sim target) took ~9 s for 40 rows, ~1 h for 784; row patches take ~1 s.
    expect(ms).toBeLessThan(30_000);
    expect(chip.readRow(0, 5)[7]).toBe("0");
    expect(chip.readRow(0, 5).replace("0", "")).toBe(ones.slice(1));
  }, 120_000);
});
