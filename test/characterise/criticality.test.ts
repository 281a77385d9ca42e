/**
 * Criticality of faults on the MNIST chip, by hand derivation:
 *  - output neuron c dead: it can never spike first, and the other outputs do not see it,
 *    so exactly the digits the good chip put in class c change class;
 *  - a synapse on row 0 (pixel (0, 0), never black in these digits) is never driven, so
 *    breaking it changes nothing and no output spike moves.
 * And the functional test set's greedy walk on a small hand-made detection table.
 */
import { describe, expect, it } from "vitest";
import { createChipEvaluator, firstSpikeClass, imageStimulus } from "../../src/classifier/chip-classifier.ts";
import { image, mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { criticalityBench, criticalityFault, faultCriticality, faultEffect, isCritical } from "../../src/characterise/criticality.ts";
import { compareSpikes } from "../../src/faultsim/response-rule.ts";
import { observableSpikes, simulateNetwork } from "../../src/sim/network.ts";
import { withPerturbations } from "../../src/sim/perturbation.ts";
import { sampleFaults } from "../../src/characterise/fault-sample.ts";
import { marginTestSet, outputMarginPs, prefixCoverage, randomImageCoverage } from "../../src/characterise/functional-test-set.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

const lb = loadTestbench("testbenches/bnn-mnist-784x1024x10.json");
const { heldOut } = mnistSplit();
const N = 60;

describe("fault criticality on bnn-mnist-784x1024x10", () => {
  it("a dead output neuron changes exactly the digits of its class; an undriven synapse changes nothing", async () => {
    const net = compileNetwork(lb.bench);
    for (let i = 0; i < N; i++) expect(image(heldOut, i)[0]).toBe(0); // row 0 is never driven
    const faults = enumerateFaults(net, lb.bench, loadFaultModels(undefined, ["dead-neuron", "dead-synapse", "retention-flip"]), {
      collapse: false,
      sites: ["l1.n3", "l0.r0.c5", "l0.r0.c6"],
    }).faults;
    const ids = faults.map((f) => f.id).sort();
    expect(ids).toContain("dead-neuron@l1.n3");
    const ev = createChipEvaluator(compileNetwork(lb.bench), heldOut, N);
    const goodClass = Array.from({ length: N }, (_, i) => ev.classify(i));
    const { good, effects } = await faultCriticality(net, faults, heldOut, { images: N });
    expect(Array.from(good.classes)).toEqual(goodClass);
    const dead = effects.find((e) => e.id === "dead-neuron@l1.n3")!;
    const class3 = goodClass.flatMap((c, i) => (c === 3 ? [i] : []));
    expect(class3.length).toBeGreaterThan(0);
    expect(dead.classChanged).toEqual(class3);
    expect(dead.accuracyDrop).toBeCloseTo(class3.filter((i) => heldOut.labels[i] === 3).length / N, 12);
    expect(isCritical(dead, N)).toBe(true);
    expect(isCritical(dead, N, 0.5)).toBe(class3.length >= N / 2);
    const undriven = effects.filter((x) => x.id.includes("l0.r0."));
    expect(undriven.length).toBeGreaterThanOrEqual(2); // dead synapses at least (retention flips only where R_H)
    for (const e of undriven) {
      expect(e.classChanged).toEqual([]);
      expect(e.detectedOn).toEqual([]);
      expect(isCritical(e, N)).toBe(false);
    }
    // the network is left as it was: a second pass gives the good chip again
    const again = createChipEvaluator(net, heldOut, N);
    for (let i = 0; i < N; i++) expect(again.classify(i)).toBe(goodClass[i]);
  }, 120_000);
});

describe("criticality's shortcuts against the whole faulty chip simulated", () => {
  it("an output-column fault re-run alone and a hidden fault's kept currents and patched output layer give what simulateNetwork of the faulty chip gives, digit by digit", () => {
    const net = compileNetwork(lb.bench);
    const n = 24;
    // faults of every model in both layers (a seeded stratified sample)
    const faults = sampleFaults(net, lb.bench, loadFaultModels(), { perModel: 3, seed: 3 }).faults;
    expect(new Set(faults.map((f) => f.layer))).toEqual(new Set([0, 1]));
    const b = criticalityBench(net, heldOut, { images: n });
    expect(b.outputRuns).not.toBeNull(); // the output layer has no lateral inhibition: its columns are re-run alone
    const goodObs = Array.from({ length: n }, (_, i) => observableSpikes(net, simulateNetwork(net, imageStimulus(net, image(heldOut, i))).spikes));
    let changedSome = 0;
    for (const f of faults) {
      const e = faultEffect(b, criticalityFault(f));
      const classChanged: number[] = [];
      const detectedOn: number[] = [];
      withPerturbations(net, f.perturbations, (faulty) => {
        for (let i = 0; i < n; i++) {
          const out = simulateNetwork(faulty, imageStimulus(faulty, image(heldOut, i))).spikes;
          if (firstSpikeClass(faulty, out) !== b.good.classes[i]) classChanged.push(i);
          if (compareSpikes(goodObs[i], observableSpikes(faulty, out), b.band).differs) detectedOn.push(i);
        }
      });
      expect({ id: f.id, classChanged: e.classChanged, detectedOn: e.detectedOn }).toEqual({ id: f.id, classChanged, detectedOn });
      if (detectedOn.length > 0) changedSome++;
    }
    expect(faults.length).toBeGreaterThan(40);
    expect(changedSome).toBeGreaterThan(8);
    // hidden faults' output layers were patched (rowChangedRun), not run again on the whole hidden layer
    expect(b.outputUpdates.patched).toBeGreaterThan(20);
    expect(b.outputUpdates.whole).toBe(0);
    // the evaluator's cached currents were put back: the hidden neurons fire as a fresh evaluator's
    const fresh = createChipEvaluator(net, heldOut, n);
    const touched = new Set(faults.filter((f) => f.layer === 0).map((f) => f.site.col));
    expect(touched.size).toBeGreaterThan(10);
    for (const c of touched) for (let i = 0; i < n; i++) expect(b.ev.neuronSpikes(i, c)).toEqual(fresh.neuronSpikes(i, c));
  }, 300_000);
});

describe("margin-ranked functional test set (El-Sayed et al.)", () => {
  it("walks the digits by margin and keeps one only when it catches a new critical fault", () => {
    const critical = [[0], [1, 2], [2]]; // fault f is caught on these digits
    const margins = [5, 1, 2]; // digit 1 closest to a wrong decision, then 2, then 0
    expect(marginTestSet(margins, critical, { maxImages: 20 }).images).toEqual([1, 2, 0]);
    const two = marginTestSet(margins, critical, { maxImages: 2 });
    expect(two.images).toEqual([1, 2]);
    expect(two.coverage.k).toBe(2);
    expect(two.coverage.n).toBe(3);
    // every digit → every critical fault caught
    expect(randomImageCoverage(critical, 3, 3)).toBe(1);
    // the walk's prefixes: digit 1 catches faults 1; with 2 also fault 2; with 0 all three
    expect(prefixCoverage(critical, [1, 2, 0])).toEqual([1 / 3, 2 / 3, 1]);
    // the margin is the gap between the first two output spikes
    expect(outputMarginPs([{ timePs: 900 }, { timePs: 300 }, { timePs: 500 }])).toBe(200);
    expect(outputMarginPs([{ timePs: 300 }])).toBe(Infinity);
  });
});

describe("stratified fault sample", () => {
  it("draws at most perModel faults per model and layer, all from the universe, the same for the same seed", () => {
    const mlp = loadTestbench("testbenches/mlp-16x8x4.json");
    const net = compileNetwork(mlp.bench);
    const models = loadFaultModels();
    const a = sampleFaults(net, mlp.bench, models, { perModel: 3, seed: 7 });
    const b = sampleFaults(net, mlp.bench, models, { perModel: 3, seed: 7 });
    expect(a.faults.map((f) => f.id)).toEqual(b.faults.map((f) => f.id));
    const all = new Set(enumerateFaults(net, mlp.bench, models, { collapse: false }).faults.map((f) => f.id));
    const strata = new Map<string, number>();
    for (const f of a.faults) {
      expect(all.has(f.id)).toBe(true);
      strata.set(`${f.modelId}/${f.layer}`, (strata.get(`${f.modelId}/${f.layer}`) ?? 0) + 1);
    }
    for (const n of strata.values()) expect(n).toBeLessThanOrEqual(3);
    expect(new Set(a.faults.map((f) => f.id)).size).toBe(a.faults.length);
    expect(strata.size).toBeGreaterThan(models.length); // both layers of most models are represented
  });
});
