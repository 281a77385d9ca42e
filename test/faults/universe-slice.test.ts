/**
 * `enumerateFaults(…, { only: { start, end } })`: a pool thread builds the fault objects of
 * its slice only. The walk is the same, so the slice's faults are the whole list's faults
 * [start, end) — ids, class sizes, equivalents — and the counts still cover the universe.
 * mlp-16x8x4 with every shipped model, cut in three. A universe of more than 65,536 faults
 * is built in pieces joined at the end (fault-universe.ts): on seed003's 185,383 faults
 * the joined list is as long as the counts say, and slices across the piece boundaries
 * (each built as one piece) hold its faults; the faults at a location share its site object
 * (one per kind: a site each was a third of the heap on bnn).
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

describe("a slice of the fault universe", () => {
  it("holds the whole list's faults [start, end), with the whole universe's counts", () => {
    const { bench } = loadTestbench("testbenches/mlp-16x8x4.json");
    const net = compileNetwork(bench);
    const models = loadFaultModels(undefined, undefined, { arrayTests: true });
    const whole = enumerateFaults(net, bench, models, { collapse: true });
    const n = whole.faults.length;
    const cuts = [0, Math.floor(n / 3), Math.floor((2 * n) / 3), n];
    const view = (f: (typeof whole.faults)[number]) => ({ id: f.id, classSize: f.classSize, equivalents: f.equivalents, perturbations: f.perturbations });
    for (let k = 0; k < 3; k++) {
      const part = enumerateFaults(net, bench, models, { collapse: true, only: { start: cuts[k], end: cuts[k + 1] } });
      expect(part.faults).toHaveLength(cuts[k + 1] - cuts[k]);
      expect(part.faults.map(view)).toEqual(whole.faults.slice(cuts[k], cuts[k + 1]).map(view));
      expect(part.counts).toEqual(whole.counts);
    }
  });

  it("a universe built in pieces (seed003-dmtj, 185,383 faults): whole as counted, slices across the joins agree", () => {
    const { bench } = loadTestbench("testbenches/seed003-dmtj-mlp-400x100x10.json");
    const net = compileNetwork(bench);
    const models = loadFaultModels();
    const whole = enumerateFaults(net, bench, models, { collapse: true });
    expect(whole.faults).toHaveLength(whole.counts.total.collapsed);
    expect(whole.faults.length).toBeGreaterThan(2 * 65_536); // three pieces, two joins
    expect(new Set(whole.faults.map((f) => f.id)).size).toBe(whole.faults.length);
    // the models' faults at a location share its site object (one per kind): as many objects as distinct sites
    const sites = new Set(whole.faults.map((f) => `${f.site.kind}@${f.siteId}`));
    expect(new Set(whole.faults.map((f) => f.site)).size).toBe(sites.size);
    expect(sites.size).toBeLessThan(whole.faults.length); // some sites carry several models' faults: fewer objects than faults
    for (const start of [65_536 - 100, 2 * 65_536 - 100]) {
      const part = enumerateFaults(net, bench, models, { collapse: true, only: { start, end: start + 200 } });
      expect(part.faults.map((f) => [f.id, f.classSize])).toEqual(whole.faults.slice(start, start + 200).map((f) => [f.id, f.classSize]));
    }
  }, 60_000);
});
