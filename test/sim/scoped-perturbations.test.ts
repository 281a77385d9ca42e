/**
 * withPerturbations (src/sim/perturbation.ts): a network perturbed in place simulates as
 * applyPerturbations' copy does, and afterwards holds exactly what it held before — every
 * array bit for bit, the neuron objects themselves — also when the simulation throws.
 * Faults of every shipped model on random benches (the perturbations the tool applies).
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import type { CompiledNetwork } from "../../src/sim/compile.ts";
import { createRng } from "../../src/sim/index.ts";
import { simulateNetwork } from "../../src/sim/network.ts";
import { applyPerturbations, withPerturbations } from "../../src/sim/perturbation.ts";
import { randomBench, randomVectors } from "../faultsim/random-bench.ts";

const snapshot = (net: CompiledNetwork) =>
  net.layers.map((l) => ({
    weights: Array.from(l.weights),
    cellOhms: Array.from(l.cellOhms),
    segmentOhms: Array.from(l.segmentOhms),
    neuronInputOhms: Array.from(l.neuronInputOhms),
    neurons: l.neurons.map((n) => ({ ...n })),
    neuronObjects: [...l.neurons],
    reads: l.readExtraOhms,
  }));

describe("perturbations applied in place and put back", () => {
  it("simulate like the copy, and leave the network as it was (every fault of 12 random benches)", () => {
    const models = loadFaultModels(undefined, undefined, { arrayTests: true });
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rng = createRng(500 + seed);
      const { bench, net } = randomBench(rng);
      const stim = randomVectors(rng, net, 1)[0].stimulus;
      const before = snapshot(net);
      for (const f of enumerateFaults(net, bench, models, { collapse: false }).faults) {
        const copy = simulateNetwork(applyPerturbations(net, f.perturbations), stim).spikes;
        const inPlace = withPerturbations(net, f.perturbations, (n) => {
          expect(n).toBe(net); // no copy was made
          return simulateNetwork(n, stim).spikes;
        });
        expect(inPlace, `${f.id} on random bench ${seed}`).toEqual(copy);
        checked++;
      }
      const after = snapshot(net);
      after.forEach((l, i) => {
        expect(l.neuronObjects.every((n, k) => n === before[i].neuronObjects[k])).toBe(true);
        expect(l.reads).toBe(before[i].reads);
      });
      expect(after).toEqual(before);
    }
    expect(checked).toBeGreaterThan(300);
  });

  it("puts the network back when the work throws", () => {
    const { bench, net } = randomBench(createRng(77));
    const f = enumerateFaults(net, bench, loadFaultModels(), { collapse: false }).faults.find((x) => x.modelId === "resistive-open")!;
    const before = snapshot(net);
    expect(() =>
      withPerturbations(net, f.perturbations, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(snapshot(net)).toEqual(before);
  });
});
