/**
 * Phased programs end to end: `generate --phases array` on mlp-16x8x4 writes a march +
 * restore program whose size follows from the algorithm, and `coverage` grades it with
 * the memory-test models: every cell, line and storage fault is found by READ, no
 * neuron fault is (the sense amplifier sits before the neuron).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-phased-"));
const net = compileNetwork(loadTestbench("testbenches/mlp-16x8x4.json").bench);
const cells = net.layers.reduce((s, l) => s + l.rows * l.cols, 0); // 16·8 + 8·4 = 160
const neurons = net.layers.reduce((s, l) => s + l.cols, 0); // 12
const zeros = net.layers.reduce((s, l) => s + l.weights.filter((w) => w === 0).length, 0);

describe("generate --phases array, then coverage (mlp-16x8x4)", () => {
  const file = join(dir, "mlp-array.json");

  it("writes March C− with retention for both layers, then the restore", async () => {
    const r = await runMain(["generate", "mlp-16x8x4", "--phases", "array", "-o", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const p = JSON.parse(readFileSync(file, "utf8"));
    // 10 operations per address over 16 + 8 rows, one pause per layer; restore: a write and a read per row
    expect(p.vectors).toHaveLength(10 * 24 + 2 + 2 * 24);
    expect(p.missionWeightsSha256).toMatch(/^[0-9a-f]{64}$/);
    const s = JSON.parse(r.stdout);
    // the restore (a WRITE and a READ-verify per row) belongs to the array phase
    expect(s.stepsByPhase).toEqual({ array: 242 + 48, neuron: 0, functional: 0 });
  });

  it("coverage: all cell, line and storage faults DT, every neuron fault ND", async () => {
    const r = await runMain(["coverage", "mlp-16x8x4", file, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    const by = rep.coverage?.byModel ?? rep.byModel;
    // 5 neuron models × 12 neurons, nothing proved UD once the program can READ
    const neuronFaults = 5 * neurons;
    const total = rep.coverage?.total ?? rep.total;
    expect(total.ND).toBe(neuronFaults);
    expect(total.UD).toBe(0);
    expect(total.DT).toBe(total.all - neuronFaults);
    // counts per model from the bench: one fault per cell, three open sites per cell, one flip per weight-0 cell
    expect(by["stuck-at-p"].DT).toBe(cells);
    expect(by["transition-down"].DT).toBe(cells);
    expect(by["resistive-open"].DT).toBe(3 * cells);
    expect(by["retention-flip"].DT).toBe(zeros);
    // every detection of an array-only program happens in the array phase or the restore's READ-verify
    expect(rep.detectedByPhase.array).toBe(total.DT);
    expect(rep.detectedByPhase.functional).toBe(0);
    expect(rep.detectedByPhase.neuron).toBe(0);
  });

  it("a spike vector after the restore is graded on the written (= mission) weights; a wrong expected response is named", async () => {
    const p = JSON.parse(readFileSync(file, "utf8"));
    // an expected spike 500 ps into the run, before any write pulse has ended: no chip gives that
    p.vectors.push({ id: "late", iwPs: 1000, lwPs: 9000, windows: 1, pattern: ["1".repeat(16)], expected: [{ output: 0, window: 0, timePs: 500 }] });
    const bad = join(dir, "late.json");
    writeFileSync(bad, JSON.stringify(p));
    const r = await runMain(["coverage", "mlp-16x8x4", bad]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/graded 1 spike vector\(s\) on test weights in 1 segment/);
    expect(r.stderr).toMatch(/vectors\[290\] \(late\): expected response differs from the simulated good chip on its test weights/);
  });
});
