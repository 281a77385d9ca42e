/**
 * Bit-packed weight files and the testbench reference to them: the packing layout is
 * checked against a hand-packed byte, the hash check is a located error, and regions
 * give columns their own Δ and resistances in the compiled network.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeWeightFile, encodeWeightFile, sha256Hex } from "../../src/formats/weight-file.ts";
import { parseTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, mtjOhms } from "../../src/sim/compile.ts";

const bits = Uint8Array.of(1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1); // 3 × 4, row-major

function benchWith(weights: object, extra: object = {}) {
  return JSON.stringify({
    schemaVersion: 1,
    id: "wf",
    title: "weight file",
    device: { rLowOhms: 2300, rHighOhms: 5100, accessOhms: 1000, segmentOhms: 0.05, neuronInputOhms: 20, writeVoltageV: 0.05, deltaKt: 40 },
    neuron: { model: "lif-she", criticalCurrentUa: 0, gainPerUaNs: 1, leakTauNs: 30 },
    timing: { iwPs: 1000, lwPs: 9000 },
    layers: [{ rows: 3, cols: 4, weights, ...extra }],
  });
}

describe("weight file", () => {
  it("packs cell k = r·cols + c at bit k & 7 of byte k >> 3, LSB first", () => {
    const b = encodeWeightFile([{ rows: 3, cols: 4, bits }]);
    expect(b.toString("latin1", 0, 4)).toBe("SNNW");
    expect(b.length).toBe(8 + 8 + 2);
    // bits 0..7 = 1,0,0,1,1,1,0,0 → 0b00111001 = 0x39; bits 8..11 = 1,0,1,1 → 0b1101 = 0x0d
    expect([b[16], b[17]]).toEqual([0x39, 0x0d]);
    expect(Array.from(decodeWeightFile(b, "x")[0].bits)).toEqual(Array.from(bits));
  });

  it("a testbench loads the file by path and hash; a wrong hash names the place and the fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "wf-"));
    const b = encodeWeightFile([{ rows: 3, cols: 4, bits }]);
    writeFileSync(join(dir, "w.bin"), b);
    const good = parseTestbench(benchWith({ generator: "file", file: "w.bin", sha256: sha256Hex(b), layer: 0 }), join(dir, "tb.json"));
    const net = compileNetwork(good);
    // column-major in the compiled layer: cell (r=1, c=0) is bit 4 = 1; (r=0, c=1) is bit 1 = 0
    expect(net.layers[0].weights[1]).toBe(1);
    expect(net.layers[0].weights[3]).toBe(0);
    const wrong = benchWith({ generator: "file", file: "w.bin", sha256: "0".repeat(64), layer: 0 });
    expect(() => parseTestbench(wrong, join(dir, "tb.json"))).toThrow(/at layers\[0\]\.weights\.sha256: expected the sha256 of .*w\.bin.*re-run the trainer/);
    const shape = benchWith({ generator: "file", file: "w.bin", sha256: sha256Hex(b), layer: 1 });
    expect(() => parseTestbench(shape, join(dir, "tb.json"))).toThrow(/layers\[0\]\.weights\.layer: expected a layer index below 1/);
  });

  it("regions give their columns their own Δ and R_L/R_H; out-of-range and repeated columns are located errors", () => {
    const regions = [{ columns: [1, 3], deltaKt: 60, rLowOhms: 2600, rHighOhms: 5900 }];
    const net = compileNetwork(parseTestbench(benchWith({ generator: "constant", value: 1 }, { regions }), "tb.json"));
    expect(Array.from(net.layers[0].columnDeltaKt!)).toEqual([40, 60, 40, 60]);
    expect(net.layers[0].cellOhms[0]).toBeCloseTo(2300 + 1000, 9);
    expect(net.layers[0].cellOhms[3]).toBeCloseTo(2600 + 1000, 9); // column 1, row 0
    expect(mtjOhms({ rLowOhms: 2600, rHighOhms: 5900 } as never, 0)).toBeCloseTo(5900, 9);
    const bad = benchWith({ generator: "constant", value: 1 }, { regions: [{ columns: [4] }] });
    expect(() => parseTestbench(bad, "tb.json")).toThrow(/layers\[0\]\.regions\[0\]\.columns\[0\]: expected a column below 4, found 4/);
    const twice = benchWith({ generator: "constant", value: 1 }, { regions: [{ columns: [1] }, { columns: [1] }] });
    expect(() => parseTestbench(twice, "tb.json")).toThrow(/regions\[1\]\.columns\[0\]: expected a column in no other region/);
  });
});
