/**
 * `enumerateFaults(…, { only: { start, end } })`: a pool thread builds the fault objects of
 * its slice only. The walk is the same, so the slice's faults are the whole list's faults
 * [start, end) — ids, class sizes, equivalents — and the counts still cover the universe.
 * mlp-16x8x4 with every shipped model, cut in three.
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
});
