/**
 * Faults that change nothing (a stuck-at-P cell already at R_L, a read-path open under a
 * spike test) graded without the static proof (`proveUndetectable: false`, what the ATPG's
 * inner campaigns ask for): the fast engine leaves them unsimulated and ND, as the
 * reference engine finds them by simulation — it used to throw a TypeError on them. The
 * reference: the reference engine's classes, fault for fault.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { defaultFaultModelDir, enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, type FaultSimVector } from "../../src/faultsim/index.ts";
import { createFaultAnalysis } from "../../src/faults/fault-analysis.ts";
import { compileNetwork, patternEvents } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

describe("faults with no effect, graded without the static proof", () => {
  it("the fast engine grades them ND, as the reference engine does, and agrees on every other fault", () => {
    const { bench } = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
    const net = compileNetwork(bench);
    const faults = enumerateFaults(net, bench, loadFaultModels([defaultFaultModelDir, join(repoRoot, "fixtures", "fault-models")]), { collapse: false }).faults;
    const analysis = createFaultAnalysis(net);
    const inert = faults.filter((f) => analysis.effects.effectOf(f.perturbations).length === 0);
    expect(inert.length).toBeGreaterThan(10); // stuck-at-P on weight-1 cells (the fixture model)
    const vectors: FaultSimVector[] = ["1".repeat(16), "1010110011110000"].map((bits, k) => ({
      id: `v${k}`,
      stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) },
      toleranceBandPs: 500,
      timingResolutionPs: 10,
    }));
    const fast = faultEngines.fast.run(net, faults, vectors, { drop: true, proveUndetectable: false }).outcomes;
    const reference = faultEngines.reference.run(net, faults, vectors, { drop: true, proveUndetectable: false }).outcomes;
    expect(fast.map((o) => [o.faultId, o.cls])).toEqual(reference.map((o) => [o.faultId, o.cls]));
    const byId = new Map(fast.map((o) => [o.faultId, o.cls]));
    for (const f of inert) expect(byId.get(f.id), f.id).toBe("ND");
  });
});
