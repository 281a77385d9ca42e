/**
 * The fast engine on a reduced bnn (the shipped bnn-784x1024x10 bench cut to 64×32×10,
 * same device, differential read and neuron, gains scaled so the smaller columns still
 * cross the threshold): on a 2,000-fault sample of its whole universe (every shipped
 * model, resistive opens in the line and inside the cells included) it must give
 * exactly the reference engine's outcomes, and each fault class must be answered by the
 * path the plan promises — line opens by the O(1) segment update, synapse faults and
 * in-cell series opens by the O(1) cell update, neuron faults by the neuron path,
 * nothing re-solved or re-simulated — so a fallback cannot pass for the fast path.
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines } from "../../src/faultsim/index.ts";
import { createRng } from "../../src/sim/index.ts";
import { randomBinaryVectors, reducedBnn } from "./reduced-bnn.ts";

const { bench, net } = reducedBnn([
  [64, 32],
  [32, 10],
]);
const universe = enumerateFaults(net, bench, loadFaultModels(), { collapse: true });
const vectors = randomBinaryVectors(17, 64, 8);
const rng = createRng(18);
// A seeded 2,000-fault sample (without replacement) of the whole universe.
const index = Array.from(universe.faults, (_, i) => i);
for (let i = index.length - 1; i > 0; i--) {
  const j = Math.floor(rng.next() * (i + 1));
  [index[i], index[j]] = [index[j], index[i]];
}
const sample = index.slice(0, 2000).sort((a, b) => a - b).map((i) => universe.faults[i]);
const classOf = (f: (typeof sample)[number]) => `${f.modelId}/${f.site.kind}`;

describe("fast engine on a reduced bnn (2,000 sampled faults of every shipped model)", () => {
  it("gives exactly the reference engine's outcomes", () => {
    expect(universe.faults.length).toBeGreaterThan(10_000);
    const ref = faultEngines.reference.run(net, sample, vectors, { drop: true, analysis: universe.analysis });
    const fast = faultEngines.fast.run(net, sample, vectors, { drop: true, analysis: universe.analysis });
    const cls: Record<string, number> = {};
    for (let i = 0; i < sample.length; i++) {
      const a = ref.outcomes[i];
      const b = fast.outcomes[i];
      expect(b, a.faultId).toEqual(a);
      cls[a.cls] = (cls[a.cls] ?? 0) + 1;
    }
    expect(fast.evaluations).toBe(ref.evaluations);
    // The sample is not trivial: detections, misses and proved-undetectable faults, opens among them.
    for (const c of ["DT", "ND", "UD"]) expect(cls[c] ?? 0, c).toBeGreaterThan(20);
    const openDt = sample.filter((f, i) => f.modelId === "resistive-open" && f.site.kind === "segment" && ref.outcomes[i].cls === "DT");
    expect(openDt.length).toBeGreaterThan(0);
  });

  it("answers each fault class by its O(1) path (counts per path in the campaign record)", () => {
    const expected: Record<string, string> = { cell: "cell", "cell-series": "cell", segment: "segment", neuron: "neuron" };
    const classes = new Map<string, typeof sample>();
    for (const f of sample) classes.set(classOf(f), [...(classes.get(classOf(f)) ?? []), f]);
    expect([...classes.keys()].sort()).toEqual(
      expect.arrayContaining(["dead-synapse/cell", "retention-flip/cell", "resistive-open/segment", "resistive-open/cell-series", "dead-neuron/neuron"]),
    );
    for (const [name, faults] of classes) {
      const r = faultEngines.fast.run(net, faults, vectors, { drop: false, analysis: universe.analysis });
      const p = r.pathEvaluations!;
      const total = Object.values(p).reduce((a, b) => a + b, 0);
      expect(total, name).toBe(r.evaluations);
      expect(p.column + p.general, `${name}: nothing re-solved or re-simulated`).toBe(0);
      if (r.evaluations === 0) continue; // every fault of the class proved UD (in-cell read opens)
      const path = expected[faults[0].site.kind];
      const own = p[path] + (path === "cell" || path === "segment" ? p.batched : 0);
      expect(own, `${name} on the ${path} path`).toBe(r.evaluations);
      expect(p[path], `${name}: some evaluations ran the ${path} update itself`).toBeGreaterThan(0);
    }
  });
});
