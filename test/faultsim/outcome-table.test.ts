/**
 * The typed outcome table (outcome-table.ts), the memoised element effects
 * (site-effects.ts) and the shared fault list of pool threads (shared-universe.ts),
 * each against the plain path it replaces on the shipped mlp-16x8x4 bench with every
 * shipped model: outcome objects built from the table equal ones built field by field
 * from the table's own definition, coverage tallied from the table equals coverage
 * from the outcome objects, memoised effects equal the effect calculator's, and a
 * shared slice rebuilds the very faults (ids, perturbations) of the caller's list.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { classOfCode, computeCoverage, coverageOfResult, faultEngines, outcomeTableOf } from "../../src/faultsim/index.ts";
import { ClassCode, createOutcomeTable, joinOutcomeTables, reasonAt, reasonSetter } from "../../src/faultsim/outcome-table.ts";
import { createSiteEffects } from "../../src/faultsim/site-effects.ts";
import { columnBlockBounds, shareFaults, sharedFaultAt, sharedFaultSlice, sharedSiteColumns } from "../../src/faultsim/shared-universe.ts";
import type { Fault } from "../../src/faults/fault.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { randomBinaryVectors } from "./reduced-bnn.ts";

const { bench } = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
const net = compileNetwork(bench);
const universe = enumerateFaults(net, bench, loadFaultModels(), { collapse: true });
const vectors = randomBinaryVectors(3, net.layers[0].rows, 4);

describe("outcome table", () => {
  const r = faultEngines.fast.run(net, universe.faults, vectors, { drop: true, analysis: universe.analysis });
  const t = outcomeTableOf(r)!;

  it("holds one slot per fault, and the outcome objects say what the slots say", () => {
    expect(t.cls.length).toBe(universe.faults.length);
    for (let i = 0; i < universe.faults.length; i++) {
      const o = r.outcomes[i];
      expect(o.faultId).toBe(universe.faults[i].id);
      expect(o.cls).toBe(classOfCode[t.cls[i]]);
      // DT: first vector = first detecting; PD: first possibly detecting; UD / ND: none.
      expect(o.firstVector).toBe(t.firstVector[i] >= 0 ? vectors[t.firstVector[i]].id : null);
      if (o.cls === "ND" || o.cls === "UD") expect(o.firstVector).toBeNull();
      else expect(o.firstVector).not.toBeNull();
      if (o.cls === "UD") expect(o.reason).toMatch(/./);
    }
    const seen = new Set(r.outcomes.map((o) => o.cls));
    for (const c of ["DT", "ND", "UD"]) expect(seen.has(c as "DT")).toBe(true);
  });

  it("tallies the same coverage as the outcome objects", () => {
    expect(coverageOfResult(r, universe.faults, { pdCredit: 0.5 })).toEqual(computeCoverage(r.outcomes, universe.faults, { pdCredit: 0.5 }));
  });

  it("serialises as an ordinary result (outcomes in JSON, in their place among the keys)", () => {
    const json = JSON.parse(JSON.stringify(r));
    expect(Object.keys(json).slice(0, 2)).toEqual(["engine", "outcomes"]);
    expect(json.outcomes).toEqual(JSON.parse(JSON.stringify(r.outcomes)));
  });
});

describe("joining slice tables", () => {
  // Hand-built slices: part A = faults 0..3, part B = faults 4..7 of the joined table.
  const a = createOutcomeTable(4);
  const b = createOutcomeTable(4);
  const setA = reasonSetter(a);
  const setB = reasonSetter(b);
  a.cls.set([ClassCode.UD, ClassCode.DT, ClassCode.UD, ClassCode.UD]);
  a.firstVector[1] = 2;
  setA(0, "no path");
  setA(2, "masked");
  setA(3, "no path");
  b.cls.set([ClassCode.UD, ClassCode.PD, ClassCode.UD, ClassCode.UD]);
  b.firstPossibleVector[1] = 0;
  setB(0, "masked"); // B's code 1 is A's code 2
  setB(2, "stuck"); // a text A never used
  setB(3, "masked"); // B's code 1 again

  it("shifts every slot of the later part and keeps each fault's reason text, each text stored once", () => {
    const t = joinOutcomeTables([a, b]);
    expect([...t.cls]).toEqual([ClassCode.UD, ClassCode.DT, ClassCode.UD, ClassCode.UD, ClassCode.UD, ClassCode.PD, ClassCode.UD, ClassCode.UD]);
    expect([...t.firstVector]).toEqual([-1, 2, -1, -1, -1, -1, -1, -1]);
    expect([...t.firstPossibleVector]).toEqual([-1, -1, -1, -1, -1, 0, -1, -1]);
    expect(Array.from({ length: 8 }, (_, i) => reasonAt(t, i))).toEqual(["no path", undefined, "masked", "no path", "masked", undefined, "stuck", "masked"]);
    // first use in fault order: "no path", "masked", "stuck"
    expect(t.reasonTexts).toEqual(["", "no path", "masked", "stuck"]);
  });

  it("returns a single part as it is", () => {
    expect(joinOutcomeTables([a])).toBe(a);
  });
});

describe("memoised element effects", () => {
  it("equal the effect calculator's for every fault", () => {
    const effectsOf = createSiteEffects(universe.analysis);
    for (const f of universe.faults) {
      const got = effectsOf(f).map((e) => ({ ...e }));
      expect(got, f.id).toEqual(universe.analysis.effects.effectOf(f.perturbations));
    }
  });
});

describe("shared fault list", () => {
  it("rebuilds the caller's faults slice by slice, cut at column boundaries", () => {
    const faults = universe.faults;
    const u = shareFaults(faults)!;
    const bounds = columnBlockBounds(faults, 3);
    expect(bounds[0]).toBe(0);
    expect(bounds[3]).toBe(faults.length);
    for (let k = 1; k < 3; k++) {
      const [a, b] = [faults[bounds[k] - 1].site, faults[bounds[k]].site];
      expect(a.layer !== b.layer || a.col !== b.col, `bound ${k} inside a column`).toBe(true);
    }
    for (let k = 0; k < 3; k++) {
      const mine = sharedFaultSlice(u, bounds[k], bounds[k + 1]);
      const want = faults.slice(bounds[k], bounds[k + 1]);
      expect(mine.map((f) => f.id)).toEqual(want.map((f) => f.id));
      expect(mine.map((f) => f.perturbations)).toEqual(want.map((f) => f.perturbations));
    }
  });

  it("builds a slice's faults when read and keeps none: an array to every reader (length, indices, iteration, in, methods), read-only", () => {
    const faults = universe.faults;
    const u = shareFaults(faults)!;
    const [a, b] = [5, faults.length - 3];
    const mine = sharedFaultSlice(u, a, b);
    expect(mine.length).toBe(b - a);
    expect(Array.isArray(mine)).toBe(true);
    expect(mine[0].id).toBe(faults[a].id);
    expect(mine[b - a - 1].id).toBe(faults[b - 1].id);
    expect(mine[b - a]).toBeUndefined();
    expect(mine[-1 as number]).toBeUndefined();
    expect(0 in mine && !(b - a in mine)).toBe(true);
    expect([...mine].map((f) => f.id)).toEqual(faults.slice(a, b).map((f) => f.id));
    expect(mine.slice(2, 4).map((f) => f.siteId)).toEqual(faults.slice(a + 2, a + 4).map((f) => f.siteId));
    expect(mine.filter((f) => f.modelId === "dead-neuron").length).toBe(faults.slice(a, b).filter((f) => f.modelId === "dead-neuron").length);
    expect(mine[1]).not.toBe(mine[1]); // built afresh: nothing is kept
    expect(() => {
      (mine as Fault[])[0] = faults[0];
    }).toThrow(TypeError);
    // the engine's key reader: each fault's layer and column from the table, as its site says
    const cols = sharedSiteColumns(mine)!;
    for (let i = 0; i < mine.length; i++) expect([cols.layer(i), cols.col(i)]).toEqual([faults[a + i].site.layer, faults[a + i].site.col]);
    expect(sharedSiteColumns(faults)).toBeNull();
    // the campaign's direct builder: what list[i] gives
    const at = sharedFaultAt(mine)!;
    for (let i = 0; i < mine.length; i++) expect(at(i).id).toBe(faults[a + i].id);
    expect(sharedFaultAt(faults)).toBeNull();
  });
});
