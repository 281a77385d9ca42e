/**
 * rerunColumns (src/sim/network.ts): after a change confined to some columns of a layer,
 * re-running only those neurons on the layer's good segments gives simulateLayer's spikes
 * exactly — the same objects' contents, in the same order. Every single-site fault of every
 * shipped model on random benches (single-ended and differential reads, stochastic neurons),
 * and pairs of faults in two columns of one layer. The reference: simulateLayer of the
 * perturbed chip on the same input events.
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { createRng } from "../../src/sim/index.ts";
import {
  layerReferenceUa,
  rerunColumns,
  rerunnable,
  simulateLayer,
  simulateNetwork,
  spikesToEvents,
} from "../../src/sim/network.ts";
import { withPerturbations } from "../../src/sim/perturbation.ts";
import { randomBench, randomVectors } from "../faultsim/random-bench.ts";

describe("re-running the changed columns of a layer", () => {
  it("gives simulateLayer's spikes for every fault of 16 random benches × 3 vectors (and pairs of faults in two columns)", () => {
    const models = loadFaultModels();
    let checked = 0;
    let changed = 0;
    for (let seed = 1; seed <= 16; seed++) {
      const rng = createRng(900 + seed);
      const { bench, net } = randomBench(
        rng,
        seed % 2 === 0 ? { referenceWeight: 0.5 } : {},
      );
      const faults = enumerateFaults(net, bench, models, {
        collapse: false,
      }).faults;
      for (const { stimulus: stim } of randomVectors(rng, net, 3)) {
        const good = simulateNetwork(net, stim);
        for (let li = 0; li < net.layers.length; li++) {
          expect(rerunnable(net, li)).toBe(true); // random benches have no lateral inhibition
          const events =
            li === 0
              ? stim.events
              : spikesToEvents(good.layers[li - 1].spikes, stim);
          const run = good.layers[li];
          const ref = layerReferenceUa(
            net.layers[li],
            run.segments,
            net.writeVoltageV,
          );
          const here = faults.filter((f) =>
            f.perturbations.every((p) => p.site.layer === li),
          );
          const cases = [
            ...here.map((f) => [f]),
            ...here
              .slice(1)
              .map((f, k) => [here[k], f])
              .filter(([a, b]) => a.site.col !== b.site.col),
          ];
          for (const fs of cases) {
            const ps = fs.flatMap((f) => f.perturbations);
            const cols = [...new Set(ps.map((p) => p.site.col))];
            const [fast, whole] = withPerturbations(net, ps, (n) => [
              rerunColumns(n, li, run, cols, ref),
              simulateLayer(n, li, stim, events).spikes,
            ]);
            expect(
              fast,
              `${fs.map((f) => f.id).join(" + ")} on random bench ${seed}`,
            ).toEqual(whole);
            if (JSON.stringify(whole) !== JSON.stringify(run.spikes)) changed++;
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(3000);
    expect(changed).toBeGreaterThan(200); // these moved some spike: the comparison has teeth
  });
});
