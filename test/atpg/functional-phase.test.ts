/**
 * The functional phase: criteria fitted to Monte-Carlo good chips (the rules of
 * src/atpg/functional-criterion.ts, checked on hand-made responses), the builder on
 * mlp-16x8x4 (every chip it was fitted to passes, a dead output neuron fails) and its
 * place in a phased program (after the array phase's restore + verify, counted in
 * the coverage per phase). `generate --phases` accepts it.
 */
import { describe, expect, it } from "vitest";
import { buildFunctionalPhase } from "../../src/atpg/functional-phase.ts";
import { fitFunctionalCriterion } from "../../src/atpg/functional-criterion.ts";
import { buildPhasedProgram } from "../../src/atpg/phased-program.ts";
import { monteCarloChip, variabilityOf } from "../../src/atpg/variability-model.ts";
import { parsePhases } from "../../src/cli/phased-generate.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { goodResponse, judgeResponse } from "../../src/faultsim/index.ts";
import { isSpikeVector, type ProgramVector } from "../../src/formats/program-format.ts";
import { vectorEvents } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { applyPerturbations } from "../../src/sim/perturbation.ts";

const T = 10_000;
/** A response with `n[o]` spikes on output o (windows 1, 2, …). */
const counts = (...n: number[]) => n.flatMap((k, o) => Array.from({ length: k }, (_, w) => ({ output: o, window: w + 1, timePs: (w + 1) * T + 100 + o })));
const fit = { outputs: 3, horizonPs: 4 * T };

describe("criteria fitted to Monte-Carlo good chips (hand-derived)", () => {
  it("count band = the range of each output's count over the nominal chip and the chips", () => {
    const r = fitFunctionalCriterion("count-band", "most-spikes", fit, counts(3, 1, 0), [counts(2, 1, 0), counts(3, 0, 1), counts(4, 1, 0)]);
    expect(r).toMatchObject({ ok: true, cls: 0, criterion: { kind: "count-band", bands: [{ output: 0, min: 2, max: 4 }, { output: 1, min: 0, max: 1 }, { output: 2, min: 0, max: 1 }] } });
  });

  it("a vector whose chips disagree on the class is not kept; a count band needs no class when the nominal chip decides none", () => {
    expect(fitFunctionalCriterion("count-band", "most-spikes", fit, counts(3, 1, 0), [counts(3, 1, 0), counts(1, 2, 0)])).toMatchObject({ ok: false, reason: "class-disagrees" });
    expect(fitFunctionalCriterion("count-band", "most-spikes", fit, counts(3, 1, 0), [counts(2, 2, 0)])).toMatchObject({ ok: false, reason: "class-disagrees" }); // a tie
    expect(fitFunctionalCriterion("count-band", "most-spikes", fit, counts(2, 2, 2), [counts(2, 2, 1)])).toMatchObject({ ok: true, cls: -1 });
    expect(fitFunctionalCriterion("class-decision", "most-spikes", fit, counts(2, 2, 2), [])).toMatchObject({ ok: false, reason: "no-class" });
  });

  it("class margin = min(smallest lead, μ − z·σ) rounded down, z = Φ⁻¹(1 − 10⁻³) = 3.090", () => {
    // leads 4 (nominal), 3, 5, 4: μ = 4, σ = √(2/3) = 0.8165, μ − 3.090·σ = 1.477 < 3 → margin 1
    const r = fitFunctionalCriterion("class-decision", "most-spikes", fit, counts(5, 1, 0), [counts(4, 1, 0), counts(5, 0, 0), counts(4, 0, 0)]);
    expect(r).toMatchObject({ ok: true, minLead: 3, criterion: { kind: "class-decision", expectedClass: 0, marginSpikes: 1 } });
    // identical leads (σ = 0): the smallest lead itself
    expect(fitFunctionalCriterion("class-decision", "most-spikes", fit, counts(3, 0, 0), [counts(3, 0, 0)])).toMatchObject({ criterion: { marginSpikes: 3 } });
    // leads 2, 1, 3: μ = 2, σ = 1, μ − 3.090 < 0 → the class flips too often
    expect(fitFunctionalCriterion("class-decision", "most-spikes", fit, counts(2, 0, 0), [counts(2, 1, 0), counts(3, 0, 0)])).toMatchObject({ ok: false, reason: "thin-margin" });
  });

  it("first spike: the margin in ps; no other output ever spiking → the vector's duration", () => {
    const at = (o: number, t: number) => ({ output: o, window: 1, timePs: t });
    // leads 400, 380, 420: μ = 400, σ = 20, 400 − 61.8 = 338.2 → 338 ps
    const r = fitFunctionalCriterion("class-decision", "first-spike", fit, [at(1, 10_100), at(0, 10_500)], [[at(1, 10_120), at(0, 10_500)], [at(1, 10_080), at(0, 10_500)]]);
    expect(r).toMatchObject({ ok: true, criterion: { kind: "class-decision", expectedClass: 1, rule: "first-spike", marginPs: 338 } });
    expect(fitFunctionalCriterion("class-decision", "first-spike", fit, [at(2, 10_100)], [[at(2, 10_150)]])).toMatchObject({ criterion: { marginPs: 4 * T } });
  });
});

const loaded = loadTestbench("testbenches/mlp-16x8x4.json");
const net = compileNetwork(loaded.bench);
const sim = (n: typeof net, v: ProgramVector) => goodResponse(n, { stimulus: { iwPs: v.iwPs, lwPs: v.lwPs, windows: v.windows, events: vectorEvents(v) } }).observed;

describe("the functional phase on mlp-16x8x4", () => {
  const chips = 16;
  const phase = buildFunctionalPhase(net, loaded.bench, { seed: 5, keep: 3, chips, holdoutChips: 8 });

  it("keeps vectors with phase functional and a count band (the bench declares no readout), and every chip it was fitted to passes them", () => {
    expect(phase.kind).toBe("count-band");
    expect(phase.steps.length).toBeGreaterThan(0);
    expect(phase.steps.length).toBeLessThanOrEqual(3);
    for (const v of phase.steps) {
      expect(v.phase).toBe("functional");
      expect(v.criterion?.kind).toBe("count-band");
      expect(v.expected).toEqual(sim(net, v));
      for (let k = 0; k < chips; k++) {
        const j = judgeResponse({ spikes: v.expected, toleranceBandPs: 500, criterion: v.criterion }, { spikes: sim(monteCarloChip(net, variabilityOf(loaded.bench).sigmas, 5, k), v) });
        expect(j.verdict, `${v.id}, chip ${k}`).not.toBe("fail");
      }
    }
  });

  it("a dead output neuron that spikes in a kept vector fails its count band, naming that output", () => {
    const v = phase.steps.find((s) => s.expected.some((e) => e.output === 2))!;
    expect(v).toBeDefined();
    const dead = enumerateFaults(net, loaded.bench, loadFaultModels(undefined, ["dead-neuron"]), { collapse: false }).faults.find((f) => f.id === "dead-neuron@l1.n2")!;
    const j = judgeResponse({ spikes: v.expected, toleranceBandPs: 500, criterion: v.criterion }, { spikes: sim(applyPerturbations(net, dead.perturbations), v) });
    expect(j.verdict).toBe("fail");
    expect(j.failingOutputs).toEqual([2]);
    expect(j.signature).toEqual(["c2=0"]);
  });
});

describe("the functional phase in a phased program", () => {
  it("goes after the array phase's restore + verify, and the coverage per phase counts it", async () => {
    const universe = enumerateFaults(net, loaded.bench, loadFaultModels(undefined, undefined, { arrayTests: true }), { collapse: true });
    const p = await buildPhasedProgram({ loaded, net, faults: universe.faults, analysis: universe.analysis, spike: null, marchIds: ["mats-plus"], functional: { seed: 1, keep: 2, chips: 8, holdoutChips: 0 } });
    const steps = p.program.vectors;
    const firstFunctionalVector = steps.findIndex((s) => isSpikeVector(s) && s.phase === "functional");
    const lastRead = steps.map((s) => s.kind).lastIndexOf("read");
    expect(firstFunctionalVector).toBeGreaterThan(lastRead);
    expect(steps[lastRead].id).toMatch(/^restore\./);
    expect(p.functional!.steps.length).toBe(2);
    // the dead output neurons only a spike vector can see: found by the functional phase
    expect(p.byPhase.functional).toBeGreaterThan(0);
    const deadNeurons = universe.faults.map((f, i) => ({ f, o: p.result.outcomes[i] })).filter(({ f }) => f.id.startsWith("dead-neuron@l1."));
    expect(deadNeurons.some(({ o }) => o.cls === "DT" && o.firstVector?.startsWith("f"))).toBe(true);
  }, 120_000);

  it("generate --phases accepts functional", () => {
    expect(parsePhases("array,functional")).toEqual(["array", "functional"]);
    expect(parsePhases("spike,array,functional")).toEqual(["spike", "array", "functional"]);
  });
});
