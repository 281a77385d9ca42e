/** `snn-atpg simulate`: JSON output fields, opens, and the bnn bench shape. */
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { repoRoot, runCli } from "../helpers/run-cli.ts";

describe("simulate command", () => {
  it("--json prints spikes and column currents for 1111", () => {
    const r = runCli(["simulate", "testbenches/black-pixel-4x1.json", "--pattern", "1111", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.spikes).toHaveLength(1);
    expect(out.spikes[0]).toMatchObject({ layer: 0, neuron: 0, window: 2 });
    expect(out.columnCurrentsUa[0]).toBeGreaterThan(107);
  });

  it("an open above the minimum detectable resistance removes the spike", () => {
    const r = runCli(["simulate", "black-pixel-4x1", "--open", "rop1=20k", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.spikes).toEqual([]);
    expect(out.columnCurrentsUa[0]).toBeLessThan(102);
  });

  it("human output names the window and time of each spike", () => {
    const r = runCli(["simulate", "black-pixel-4x1", "--pattern", "1111", "--windows", "6"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/spike\s+layer 0 neuron 0\s+window 3 \(index 2\)\s+t = 20\d{3} ps/);
  });

  it("bnn-784x1024x10 has the seed 004 shape (802,816 + 10,240 cells) with about half R_H", () => {
    const net = compileNetwork(loadTestbench(`${repoRoot}/testbenches/bnn-784x1024x10.json`).bench);
    expect(net.layers.map((l) => l.rows * l.cols)).toEqual([802816, 10240]);
    const w = net.layers[0].weights;
    const ones = w.reduce((a, b) => a + b, 0);
    expect(ones / w.length).toBeGreaterThan(0.49);
    expect(ones / w.length).toBeLessThan(0.51);
  });
});
