/**
 * The functional phase on the trained MNIST chip (bnn-mnist-784x1024x10, `readout:
 * first-spike`): its candidates are the held-out digits, its criterion a first-spike
 * class decision. The class it expects is the one the classifier's own path
 * (chip-classifier.ts, binary coding of the image) reads; every Monte-Carlo chip it was
 * fitted to passes; a dead neuron on the winning output fails it.
 */
import { describe, expect, it } from "vitest";
import { buildFunctionalPhase } from "../../src/atpg/functional-phase.ts";
import { monteCarloChip, variabilityOf } from "../../src/atpg/variability-model.ts";
import { classifyOnChip } from "../../src/classifier/chip-classifier.ts";
import { image, mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { goodResponse, judgeResponse } from "../../src/faultsim/index.ts";
import type { ProgramVector } from "../../src/formats/program-format.ts";
import { vectorEvents } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, type CompiledNetwork } from "../../src/sim/compile.ts";
import { applyPerturbations } from "../../src/sim/perturbation.ts";

describe("the functional phase on bnn-mnist-784x1024x10", () => {
  it("held-out digits, a first-spike class decision the classifier agrees with; fitted chips pass, a dead winning output fails", () => {
    const loaded = loadTestbench("testbenches/bnn-mnist-784x1024x10.json");
    expect(loaded.bench.readout).toBe("first-spike");
    const net = compileNetwork(loaded.bench);
    const chips = 6;
    const phase = buildFunctionalPhase(net, loaded.bench, { seed: 1, keep: 1, candidates: 4, chips, holdoutChips: 0 });
    expect(phase).toMatchObject({ kind: "class-decision", rule: "first-spike", candidates: 4 });
    expect(phase.steps).toHaveLength(1);
    const v = phase.steps[0];
    const c = v.criterion!;
    if (c.kind !== "class-decision") throw new Error(`expected a class decision, got ${c.kind}`);
    expect(c.rule).toBe("first-spike");
    expect(c.marginPs).toBeGreaterThan(0);
    // the candidate is held-out image i, and the classifier's own path reads the same class
    const i = Number(/mnist-(\d+)$/.exec(v.id)![1]);
    const { heldOut } = mnistSplit();
    expect(v.pattern![0]).toBe(Array.from(image(heldOut, i), (p) => (p ? "1" : "0")).join(""));
    expect(classifyOnChip(net, image(heldOut, i))).toBe(c.expectedClass);
    const sim = (n: CompiledNetwork, x: ProgramVector) => goodResponse(n, { stimulus: { iwPs: x.iwPs, lwPs: x.lwPs, windows: x.windows, events: vectorEvents(x) } }).observed;
    const judge = (n: CompiledNetwork) => judgeResponse({ spikes: v.expected, toleranceBandPs: 500, timingResolutionPs: 10, criterion: c }, { spikes: sim(n, v) });
    for (let k = 0; k < chips; k++) expect(judge(monteCarloChip(net, variabilityOf(loaded.bench).sigmas, 1, k)).verdict, `chip ${k}`).not.toBe("fail");
    const dead = enumerateFaults(net, loaded.bench, loadFaultModels(undefined, ["dead-neuron"]), { collapse: false, sites: [`l1.n${c.expectedClass}`] }).faults.find((f) => f.id === `dead-neuron@l1.n${c.expectedClass}`)!;
    const j = judge(applyPerturbations(net, dead.perturbations));
    expect(j.verdict).toBe("fail");
    expect(j.signature[0]).not.toBe(`k${c.expectedClass}`);
  }, 300_000);
});
