/**
 * Spike vectors on test weights (after a WRITE): graded on the network as written, with
 * storage faults holding what their cell's state machine says — the fast and reference
 * engines agree on every fault, and a cell whose 1→0 write fails (TF↓), invisible on the
 * mission weights, is caught by the spike vector that depends on the written 0.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goodResponse } from "../../src/faultsim/good-response.ts";
import { writtenNetwork } from "../../src/faultsim/program-campaign.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { patternEvents } from "../../src/sim/stimulus.ts";
import { runMain } from "../helpers/run-main.ts";

const loaded = loadTestbench("testbenches/black-pixel-4x1.json");
const net = compileNetwork(loaded.bench);
const dir = mkdtempSync(join(tmpdir(), "snn-testweights-"));

describe("spike vectors on test weights (black-pixel-4x1)", () => {
  // Neuron phase by hand: rows 0, 1 and 2 written to AP (0) — in this circuit the access
  // transistor dominates, so three AP cells move the first spike from window 2 to 3 and
  // two do not; 1111 for 6 windows; then restore and verify.
  const writes = [0, 1, 2].map((r) => ({ kind: "write", id: `w${r}`, phase: "neuron", layer: 0, row: r, bits: "0" }) as const);
  const netW = writtenNetwork(net, writes as never, 3);
  const stim = { iwPs: 1000, lwPs: 9000, windows: 6, events: patternEvents(["1111"], 6, 1000, 9000) };
  const expected = goodResponse(netW, { stimulus: stim }).observed;
  const mission = goodResponse(net, { stimulus: stim }).observed;
  const program = {
    schemaVersion: 1,
    testbench: { id: loaded.bench.id, sha256: loaded.sha256 },
    vectors: [
      ...writes,
      { id: "edge", phase: "neuron", iwPs: 1000, lwPs: 9000, windows: 6, pattern: ["1111"], expected },
      ...[0, 1, 2].map((r) => ({ kind: "write", id: `restore${r}`, layer: 0, row: r, bits: "1" })),
      ...[0, 1, 2].map((r) => ({ kind: "read", id: `verify${r}`, layer: 0, row: r, expected: "1" })),
    ],
  };
  const file = join(dir, "tw.json");
  writeFileSync(file, JSON.stringify(program));

  it("the written AP cells change the good response (the vector depends on the test weights)", () => {
    expect(JSON.stringify(expected)).not.toBe(JSON.stringify(mission));
  });

  it("fast and reference engines agree on every fault, and TF↓ on a written cell is caught by the spike vector", async () => {
    const fast = await runMain(["coverage", "black-pixel-4x1", file, "--json", "--all"]);
    const ref = await runMain(["coverage", "black-pixel-4x1", file, "--json", "--all", "--engine", "reference"]);
    expect(fast.code, fast.stderr).toBe(0);
    expect(ref.code, ref.stderr).toBe(0);
    const classes = (r: { stdout: string }) => {
      const j = JSON.parse(r.stdout);
      return Object.fromEntries((j.faults as { id?: string; faultId?: string; cls: string; firstVector?: string | null }[]).map((f) => [f.faultId ?? f.id, `${f.cls}@${f.firstVector ?? ""}`]));
    };
    const a = classes(fast);
    expect(a).toEqual(classes(ref));
    // mission weights: TF↓ changes nothing; the written 0 on row 2 fails to switch, the cell stays P,
    // two AP cells instead of three: the first spike comes a window early and the edge vector sees it
    expect(a["transition-down@l0.r2.c0"]).toBe("DT@edge");
    expect(a["transition-down@l0.r3.c0"]).not.toBe("DT@edge"); // row 3 is never written to 0
  }, 120_000);
});
