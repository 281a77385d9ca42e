/**
 * `calibrate-layers` (issue 15 §2: neuron calibration of a new bench is a command that
 * never writes an invalid parameter).
 *
 * What it must give, checked without its own formula: driving the bench's neuron model
 * (lif-she, stepped by the simulator's own code) at the reported firing current for one
 * integrate window brings it to θ — a hair above it fires, a hair below does not — and
 * the critical current is where the model stops moving. A bench whose neuron currents
 * cannot exceed the critical current (a differential read against an all-P reference
 * column: every column current ≤ the reference's, so every neuron current ≤ 0) is exit 2
 * with the numbers, and the output file is not written.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lifSheModel } from "../../src/sim/neuron/lif-she-neuron.ts";
import { createRng } from "../../src/sim/rng.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-calibrate-layers-"));

interface Cal {
  layers: { layer: number; neuron: { criticalCurrentUa: number; gainPerUaNs: number }; fireCurrentUa: number }[];
}

describe("calibrate-layers", () => {
  it("seed 003 DMTJ bench: positive gains, and the firing current brings the neuron model to θ in one window", async () => {
    const out = join(dir, "dmtj.json");
    const r = await runMain(["calibrate-layers", "seed003-dmtj-mlp-400x100x10", "--json", "-o", out]);
    expect(r.code, r.stderr).toBe(0);
    const cal = JSON.parse(r.stdout) as Cal;
    const tb = JSON.parse(readFileSync("testbenches/seed003-dmtj-mlp-400x100x10.json", "utf8"));
    const iwNs = tb.timing.iwPs / 1000;
    for (const l of cal.layers) {
      expect(l.neuron.gainPerUaNs).toBeGreaterThan(0);
      expect(l.neuron.criticalCurrentUa).toBeGreaterThanOrEqual(0);
      const p = { ...l.neuron, leakTauNs: tb.neuron.leakTauNs, threshold: tb.neuron.threshold };
      const oneWindow = (ua: number) => lifSheModel.step({ x: 0 }, ua, p, iwNs, createRng(1));
      expect(oneWindow(l.fireCurrentUa * 1.001).firedAtNs).not.toBeNull();
      expect(oneWindow(l.fireCurrentUa * 0.999).firedAtNs).toBeNull();
      expect(oneWindow(l.neuron.criticalCurrentUa).state.x).toBe(0);
    }
    // the file is the bench with the layer overrides replaced, its sources kept
    const written = JSON.parse(readFileSync(out, "utf8"));
    expect(written.source).toBe(tb.source);
    expect(written.layers.map((l: { neuron: unknown }) => l.neuron)).toEqual(cal.layers.map((l) => l.neuron));
  });

  it("a layer whose currents never exceed the critical current is exit 2 with the numbers, nothing written", async () => {
    const tb = JSON.parse(readFileSync("testbenches/mlp-16x8x4.json", "utf8"));
    delete tb.$schema;
    tb.device.referenceColumn = { weight: 1 };
    const file = join(dir, "all-p-reference.json");
    writeFileSync(file, JSON.stringify(tb));
    const out = join(dir, "never.json");
    const r = await runMain(["calibrate-layers", file, "-o", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/layer 0: the neuron current that should fire in one window \(the 65th percentile, -?\d+\.\d+ µA\) is not above the critical current \(0\.00 µA/);
    expect(existsSync(out)).toBe(false);
  });
});
