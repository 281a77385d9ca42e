/**
 * The coverage report built from an engine's outcome table (no outcome object per fault,
 * entries built when read: FaultEntries) is the report built from outcome objects, byte
 * for byte as JSON — coverage, cumulative curve, heat maps and every entry — on random
 * benches with and without fault dropping. The table path is shown to run: the result's
 * `outcomes` throw when read, and the report is built all the same.
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { buildCoverageReport, entryArraySteps, FaultEntries, REPORT_STEP_FAULTS, type BuildReportInput, type CoverageReport, type FaultReportEntry } from "../../src/faultsim/coverage-report.ts";
import { faultEngines } from "../../src/faultsim/engine-registry.ts";
import { outcomeTableOf, withoutOutcomes } from "../../src/faultsim/outcome-table.ts";
import { coverageTableLines, undetectedSummarySteps } from "../../src/report/coverage-table.ts";
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

describe("passes over a lazily built entry list", () => {
  const n = 20_000;
  const classes = ["DT", "ND", "PD", "UD", "AU"] as const;
  const entry = (i: number): FaultReportEntry => ({ id: `f${i}`, model: "m", site: `l0.n${i}`, layer: 0, classSize: 1, cls: classes[i % 5], firstVector: null, ...(i % 5 === 3 ? { reason: `proved at l0.n${i}` } : {}) });
  const list = new FaultEntries(n, entry);
  const report = { faults: list } as unknown as CoverageReport;

  it("step a few thousand entries at a time (the CLI looks at Ctrl-C between steps) and give what a pass over the array gives", () => {
    const all = Array.from({ length: n }, (_, i) => entry(i));
    let yields = 0;
    const steps = entryArraySteps(list);
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    expect(yields).toBeGreaterThanOrEqual(Math.floor(n / REPORT_STEP_FAULTS));
    expect(r.value).toEqual(all);
    const und = all.filter((e) => e.cls === "ND" || e.cls === "AU" || e.cls === "PD");
    for (const limit of [0, 5, Infinity, -3]) {
      const s = undetectedSummarySteps(report, limit);
      let k = 0;
      let t = s.next();
      for (; !t.done; t = s.next()) k++;
      expect(k).toBeGreaterThanOrEqual(2);
      expect(t.value.undetected).toBe(und.length);
      expect(t.value.shown).toEqual(und.slice(0, limit)); // a negative limit as slice(0, limit): all but the last 3
      expect(t.value.ud).toBe(n / 5);
      expect([...t.value.reasons]).toEqual([["proved at <site>", n / 5]]);
    }
  });
});
