/**
 * The coverage report built from an engine's outcome table (no outcome object per fault,
 * entries built when read: FaultEntries) is the report built from outcome objects, byte
 * for byte as JSON — coverage, cumulative curve, heat maps and every entry — on random
 * benches with and without fault dropping. The table path is shown to run: the result's
 * `outcomes` throw when read, and the report is built all the same.
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { buildCoverageReport, FaultEntries, type BuildReportInput } from "../../src/faultsim/coverage-report.ts";
import { faultEngines } from "../../src/faultsim/engine-registry.ts";
import { outcomeTableOf, withoutOutcomes } from "../../src/faultsim/outcome-table.ts";
import { coverageTableLines } from "../../src/report/coverage-table.ts";
import { createRng } from "../../src/sim/index.ts";
import { randomBench, randomVectors } from "./random-bench.ts";

describe("the coverage report from the outcome table", () => {
  it("equals the report from outcome objects (12 random benches, with and without dropping), without reading the outcomes", () => {
    const models = loadFaultModels();
    let entries = 0;
    const classes = new Set<string>();
    for (let seed = 1; seed <= 12; seed++) {
      const rng = createRng(4400 + seed);
      const { bench, net } = randomBench(rng, seed % 3 === 0 ? { referenceWeight: 0.5 } : {});
      const vectors = randomVectors(rng, net, 4);
      const u = enumerateFaults(net, bench, models, { collapse: true });
      for (const drop of [true, false]) {
        const r = faultEngines.fast.run(net, u.faults, vectors, { drop, analysis: u.analysis });
        expect(outcomeTableOf(r)).toBeDefined();
        // the reference: the same outcomes as plain objects (a result the report cannot find a table for)
        const plain = { ...withoutOutcomes(r), outcomes: r.outcomes.map((o) => ({ ...o })) };
        // the table path must not read `outcomes`
        Object.defineProperty(r, "outcomes", {
          enumerable: true,
          configurable: true,
          get() {
            throw new Error("the report read the outcome objects");
          },
        });
        const inp = (result: BuildReportInput["result"]): BuildReportInput => ({
          testbench: { id: bench.id, sha256: "0", file: "random.json" },
          programFile: "p.json",
          net,
          vectors,
          faults: u.faults,
          universe: u.counts,
          models: u.models.map((m) => ({ id: m.id, title: m.model.title, params: { ...m.params } })),
          result,
          drop,
          pdCredit: 0.5,
          generatorReasons: { [u.faults[0].id]: "a reason of the generator" },
        });
        const fromTable = buildCoverageReport(inp(r));
        const fromObjects = buildCoverageReport(inp(plain));
        expect(fromTable.faults).toBeInstanceOf(FaultEntries);
        // after the last vector the curve is the campaign's coverage (DT and PD weighted by class size)
        const last = fromTable.cumulative.at(-1)!;
        expect(last.faultCoverage).toBeCloseTo(fromTable.coverage.total.faultCoverage, 12);
        expect(last.detected).toBe(fromTable.coverage.total.DT);
        expect(JSON.stringify(fromTable), `seed ${seed}, drop ${drop}`).toBe(JSON.stringify(fromObjects));
        expect(coverageTableLines(fromTable, { limit: 5 })).toEqual(coverageTableLines(fromObjects, { limit: 5 }));
        // the terminal table counts every undetected and UD representative and lists the first 5 undetected, in order
        const all = fromTable.faults.slice();
        const und = all.filter((e) => e.cls === "ND" || e.cls === "AU" || e.cls === "PD");
        const lines = coverageTableLines(fromTable, { limit: 5 });
        if (und.length > 0) {
          expect(lines).toContain(`not detected (ND/AU) and possibly detected (PD): ${und.length} representative(s)${und.length > 5 ? ", first 5 (--all lists every one)" : ""}`);
          expect(lines.filter((l) => /^ {2}(ND|AU|PD) {2}/.test(l)).map((l) => l.split(/\s+/)[2])).toEqual(und.slice(0, 5).map((e) => e.id));
        }
        const ud = all.filter((e) => e.cls === "UD").length;
        if (ud > 0) expect(lines).toContain(`undetectable (UD): ${ud} representative(s), proved by:`);
        entries += fromTable.faults.length;
        for (const e of fromTable.faults) classes.add(e.cls);
      }
    }
    expect(entries).toBeGreaterThan(500);
    expect(classes).toEqual(new Set(["DT", "PD", "ND", "UD"]));
  });
});
