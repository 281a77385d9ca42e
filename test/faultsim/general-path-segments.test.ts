/**
 * The fast engine's general path (every fault of a laterally inhibited bench is re-simulated)
 * re-uses the good run's first-layer segments (SimulateOptions.inputSegments: they depend on
 * the stimulus only) and perturbs the chip in place (withPerturbations). Both must be exact:
 * a faulty chip simulated on the given segments gives what it gives when it cuts them itself,
 * and on random inhibited benches the fast engine's outcomes — every detecting vector, no
 * dropping — are the reference engine's, with the general path seen to run.
 */
import { describe, expect, it } from "vitest";
import { faultEngines } from "../../src/faultsim/engine-registry.ts";
import { goodResponse } from "../../src/faultsim/good-response.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { compileNetwork, createRng, simulateNetwork } from "../../src/sim/index.ts";
import { applyPerturbations } from "../../src/sim/perturbation.ts";
import { randomBench, randomVectors } from "./random-bench.ts";

describe("general path: first-layer segments of the good run, the chip perturbed in place", () => {
  for (const seed of [31, 32, 33, 34, 35, 36]) {
    it(`inhibited random bench ${seed}: the given segments are exact, and the engines agree vector by vector`, () => {
      const rng = createRng(seed);
      const { bench } = randomBench(rng);
      bench.layers = bench.layers.map((l) => ({ ...l, inhibition: { kind: "common" as const, tauInhNs: 2 + 8 * rng.next() } }));
      const net = compileNetwork(bench);
      const vectors = randomVectors(rng, net, 4).filter((v) => v.stimulus.events.length > 0);
      const faults = enumerateFaults(net, bench, loadFaultModels(), { collapse: false }).faults;
      for (const v of vectors) {
        const segments = simulateNetwork(net, v.stimulus).layers[0].segments;
        for (const f of faults) {
          const faulty = applyPerturbations(net, f.perturbations);
          expect(goodResponse(faulty, v, 0, segments), `${f.id}, ${v.id}`).toEqual(goodResponse(faulty, v, 0));
        }
      }
      const fast = faultEngines.fast.run(net, faults, vectors, { drop: false });
      const ref = faultEngines.reference.run(net, faults, vectors, { drop: false });
      expect(fast.pathEvaluations?.general).toBeGreaterThan(0);
      expect(fast.outcomes).toEqual(ref.outcomes);
    });
  }
});
