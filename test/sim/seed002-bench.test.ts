/**
 * The shipped seed 002 bench (testbenches/seed002-stochastic-784x9.json) is what its
 * construction says: seed 002's numbers (table II) and the documented weight procedure
 * (src/classifier/digit-prototypes.ts) — the file cannot drift from its source.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { digitPrototypeWeights } from "../../src/classifier/digit-prototypes.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const file = `${repoRoot}/testbenches/seed002-stochastic-784x9.json`;
const { bench } = loadTestbench(file);

describe("seed002-stochastic-784x9", () => {
  it("has seed 002's electrics, timing and inhibition", () => {
    // Table II: maximum synapse resistance 3.7 MΩ, max/min ratio 20 → R_P = 185 kΩ; heavy metal 400 Ω;
    // a time step is a 0.5 ns write plus a 0.5 ns reset; τ_inh = 50 steps × 0.5 ns = 25 ns.
    expect(bench.device.rHighOhms).toBe(3.7e6);
    expect(bench.device.rLowOhms).toBe(3.7e6 / 20);
    expect(bench.device.neuronInputOhms).toBe(400);
    expect([bench.timing.iwPs, bench.timing.lwPs]).toEqual([500, 500]);
    expect(bench.layers[0].inhibition).toEqual({ kind: "common", tauInhNs: 25 });
    expect(bench.neuron.model).toBe("stochastic-lif-she");
    expect([bench.layers[0].rows, bench.layers[0].cols]).toEqual([784, 9]);
  });

  it("its weights are the documented procedure's, on 16 levels", () => {
    const raw = JSON.parse(readFileSync(file, "utf8")) as { layers: { weights: number[][] }[] };
    const w = raw.layers[0].weights;
    expect(w).toEqual(digitPrototypeWeights());
    const levels = new Set(w.flat().map((x) => Math.round(x * 15)));
    expect(levels.size).toBeLessThanOrEqual(16);
    for (const x of w.flat()) expect(Math.abs(x * 15 - Math.round(x * 15))).toBeLessThan(1e-3); // k/15 to 4 decimals
  });
});
