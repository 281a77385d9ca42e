/**
 * The fast engine against the reference engine over WHOLE fault universes (every shipped
 * model, opens in the line and in the cells included), outcome array against outcome
 * array: the shipped mlp-16x8x4 bench and a bnn-like 24×12×10 cut of bnn-784x1024x10
 * (differential read, one hidden layer that the column batch settles). Small enough
 * to simulate every fault with the reference engine; the column batch, the O(1) segment
 * update and the pooled sensitivities must all have run (path counts), so a fallback
 * cannot pass for them. The rank selection the column batch uses instead of a sort is
 * checked against a sort.
 */
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines } from "../../src/faultsim/index.ts";
import { select } from "../../src/faultsim/column-batch.ts";
import { createRng } from "../../src/sim/index.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { join } from "node:path";
import { repoRoot } from "../helpers/run-cli.ts";
import { randomBinaryVectors, reducedBnn } from "./reduced-bnn.ts";

const models = loadFaultModels();

function agree(name: string, net: ReturnType<typeof compileNetwork>, bench: Parameters<typeof enumerateFaults>[1], seed: number) {
  const universe = enumerateFaults(net, bench, models, { collapse: true });
  const vectors = randomBinaryVectors(seed, net.layers[0].rows, 4);
  const ref = faultEngines.reference.run(net, universe.faults, vectors, { drop: true, analysis: universe.analysis });
  const fast = faultEngines.fast.run(net, universe.faults, vectors, { drop: true, analysis: universe.analysis });
  expect(fast.outcomes, name).toEqual(ref.outcomes);
  expect(fast.evaluations, name).toBe(ref.evaluations);
  const cls = new Set(ref.outcomes.map((o) => o.cls));
  for (const c of ["DT", "ND", "UD"]) expect(cls.has(c as "DT"), `${name}: some ${c}`).toBe(true);
  return { universe, fast };
}

describe("fast engine = reference engine on whole universes", () => {
  it("mlp-16x8x4 (shipped bench, every shipped model)", () => {
    const { bench } = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
    const { fast } = agree("mlp-16x8x4", compileNetwork(bench), bench, 5);
    const p = fast.pathEvaluations!;
    expect(p.segment, "line opens on the O(1) segment update").toBeGreaterThan(0);
    expect(p.column + p.general).toBe(0);
  });

  it("a 24×12×10 cut of bnn-784x1024x10 (differential read, column batch)", () => {
    const { bench, net } = reducedBnn([
      [24, 12],
      [12, 10],
    ]);
    const { universe, fast } = agree("bnn 24×12×10", net, bench, 21);
    expect(universe.faults.some((f) => f.modelId === "resistive-open" && f.site.kind === "segment")).toBe(true);
    const p = fast.pathEvaluations!;
    expect(p.batched, "the column batch settled some evaluations").toBeGreaterThan(0);
    expect(p.segment + p.cell, "faults the batch let through were evaluated one by one").toBeGreaterThan(0);
    expect(p.column + p.general).toBe(0);
  });

  it("rank selection gives the sorted array's value at every rank (ties and narrowing ranges)", () => {
    const rng = createRng(9);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(rng.next() * 40);
      const a = Float64Array.from({ length: n }, () => Math.floor(rng.next() * 8) / 2); // many ties
      const want = Float64Array.from(a).sort();
      // A binary search's narrowing: each selection within the range the previous one left.
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const k = lo + Math.floor(rng.next() * (hi - lo + 1));
        expect(select(a, lo, hi, k), `trial ${trial}, rank ${k}`).toBe(want[k]);
        if (rng.next() < 0.5) hi = k - 1;
        else lo = k + 1;
      }
      expect(Float64Array.from(a).sort()).toEqual(want); // a permutation of the input
    }
  });
});
