/** computeCoverage: class counts expanded over collapsed classes (by the equivalents' own models), formulas, frozen record. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { computeCoverage, type FaultOutcome } from "../../src/faultsim/index.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const loaded = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json"));
const net = compileNetwork(loaded.bench);
const models = loadFaultModels();
// With R = ∞: dead-synapse@r0 stands for itself + seg0 + r0.series (3 faults), r1..r3 for 2 each.
const u = enumerateFaults(net, loaded.bench, models, { params: { "resistive-open": { resistanceOhms: Infinity } } });
const outcome = (id: string, cls: FaultOutcome["cls"]): FaultOutcome => ({ faultId: id, cls, firstVector: cls === "DT" || cls === "PD" ? "v" : null });

describe("computeCoverage", () => {
  it("expands classes over equivalents, by their own models; FC and TC with the PD credit", () => {
    const outcomes = u.faults.map((f) =>
      outcome(f.id, f.siteId.endsWith(".read") ? "UD" : f.id === "dead-synapse@l0.r0.c0" ? "PD" : f.modelId === "slow-to-leak" ? "ND" : "DT"),
    );
    const c = computeCoverage(outcomes, u.faults, { pdCredit: 0.5, models: models.map((m) => m.id) });
    // Uncollapsed 21: PD = 3 (the r0 class), UD = 4, ND = 1 (slow-to-leak), DT = 13.
    expect(c.total).toMatchObject({ all: 21, DT: 13, PD: 3, ND: 1, UD: 4, AU: 0 });
    expect(c.total.faultCoverage).toBeCloseTo((13 + 1.5) / 21, 12);
    expect(c.total.testCoverage).toBeCloseTo((13 + 1.5) / 17, 12);
    expect(c.collapsed).toMatchObject({ all: 16, DT: 10, PD: 1, ND: 1, UD: 4 });
    expect(c.byModel["dead-synapse"]).toMatchObject({ all: 4, DT: 3, PD: 1 });
    expect(c.byModel["resistive-open"]).toMatchObject({ all: 12, DT: 6, PD: 2, UD: 4 });
    expect(c.byModel["retention-flip"]).toMatchObject({ all: 0, faultCoverage: 0, testCoverage: 0 });
    expect(c.byLayer).toHaveLength(1);
    expect(c.formulas).toMatchObject({ faultCoverage: "FC = (DT + 0.5·PD) / all", testCoverage: "TC = (DT + 0.5·PD) / (all − UD)" });
    expect(Object.isFrozen(c) && Object.isFrozen(c.total) && Object.isFrozen(c.byModel["dead-synapse"])).toBe(true);
    expect(JSON.parse(JSON.stringify(c))).toEqual(c);
  });

  it("rejects a PD credit outside 0..1 and a fault without an outcome", () => {
    expect(() => computeCoverage([], [], { pdCredit: 1.5 })).toThrow(/pdCredit/);
    expect(() => computeCoverage([], u.faults)).toThrow(/no outcome for fault/);
  });
});
