/**
 * The STDP trainer and the 4-bit level weight file behind the seed001-dw-784x* benches:
 * a small training reproduces the shipped reduced bench's weight file byte for byte
 * (deterministic from its seed), the nibble layout and the quantisation are derived by
 * hand, and the bench compiles its cells to level/15.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { quantiseLevels, trainStdp } from "../../src/classifier/stdp-trainer.ts";
import { decodeWeightFile, encodeWeightFile, sha256Hex } from "../../src/formats/weight-file.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

describe("4-bit level weight file (version 2)", () => {
  it("packs cell k in the low nibble of byte k >> 1 when k is even, the high one when odd", () => {
    const b = encodeWeightFile([{ rows: 1, cols: 5, bits: Uint8Array.of(1, 2, 15, 0, 7), levels: 16 }]);
    expect(b[4]).toBe(2);
    // (1 | 2 << 4) = 0x21, (15 | 0 << 4) = 0x0f, 7 = 0x07
    expect(Array.from(b.subarray(16))).toEqual([0x21, 0x0f, 0x07]);
    const back = decodeWeightFile(b, "x")[0];
    expect(back.levels).toBe(16);
    expect(Array.from(back.bits)).toEqual([1, 2, 15, 0, 7]);
  });

  it("quantises w to round(15·w): 0.5 → 8, 0.03 → 0, 1 → 15, 0.2 → 3", () => {
    expect(Array.from(quantiseLevels([0.5, 0.03, 1, 0.2], 16))).toEqual([8, 0, 15, 3]);
  });
});

describe("STDP trainer", () => {
  it("reproduces the shipped seed001-dw-784x10 weight file byte for byte from its seed (10 neurons, 300 images, seed 1)", () => {
    const bench = JSON.parse(readFileSync("testbenches/seed001-dw-784x10.json", "utf8")) as { layers: { weights: { sha256: string } }[] };
    const r = trainStdp({ neurons: 10, images: 300, seed: 1 });
    const bytes = encodeWeightFile([{ rows: 784, cols: 10, bits: quantiseLevels(r.weights, 16), levels: 16 }]);
    expect(sha256Hex(bytes)).toBe(bench.layers[0].weights.sha256);
    expect(bytes.length).toBe(8 + 8 + (784 * 10) / 2);
    expect(r.spikes).toBeGreaterThan(0);
  });

  it("reproduces the shipped seed001-dw-784x100 weight file from its seed (100 neurons, 2,000 images, seed 1)", { timeout: 120_000 }, () => {
    const bench = JSON.parse(readFileSync("testbenches/seed001-dw-784x100.json", "utf8")) as { layers: { weights: { sha256: string } }[] };
    const r = trainStdp({ neurons: 100, images: 2000, seed: 1 });
    const bytes = encodeWeightFile([{ rows: 784, cols: 100, bits: quantiseLevels(r.weights, 16), levels: 16 }]);
    expect(sha256Hex(bytes)).toBe(bench.layers[0].weights.sha256);
  });

  it("the bench compiles each cell to its file level / 15", () => {
    const loaded = loadTestbench("testbenches/seed001-dw-784x10.json");
    const net = compileNetwork(loaded.bench);
    const file = decodeWeightFile(readFileSync("testbenches/seed001-dw-784x10.weights.bin"), "w")[0];
    // cell (r = 400, c = 3): row-major k = 400·10 + 3 in the file, column-major 3·784 + 400 in the net
    expect(net.layers[0].weights[3 * 784 + 400]).toBe(file.bits[400 * 10 + 3] / 15);
    expect(net.layers[0].inhibition).toEqual({ kind: "common", tauInhNs: 1.5 });
  });
});
