/**
 * Seed 002's stochastic 784×9 chip (testbenches/seed002-stochastic-784x9.json): the SPRT
 * decisions `generate --decision sprt` writes hold their stated α and β on the sim
 * target. One vector (a "1" — the strokes of the "1" prototype — for one time step) is given its expectation, criterion
 * and rule by the generator's own code (stochasticExpectation), then the bench executor
 * runs it 1,000 times on a good chip and 1,000 times on a chip with the vector's target
 * fault, each run another chip seed (independent thermal noise), and the wrong calls are
 * counted.
 */
import { describe, expect, it } from "vitest";
import { stochasticExpectation } from "../../src/atpg/stochastic-expectation.ts";
import type { GenerateInput, KeptVector } from "../../src/atpg/program-generator.ts";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { faultEngines } from "../../src/faultsim/engine-registry.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import type { Program, ProgramVector } from "../../src/formats/program-format.ts";
import { inMemoryProgram } from "../../src/formats/streamed-program.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const loaded = loadTestbench(`${repoRoot}/testbenches/seed002-stochastic-784x9.json`);
const net = compileNetwork(loaded.bench);
const models = loadFaultModels(undefined, ["slow-to-integrate", "dead-neuron"]);
const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: false });
const input: GenerateInput = { loaded, net, faults, models: models.map((m) => m.id), engine: faultEngines.fast };

const RUNS = 1000;
const ALPHA = 0.05;
const BETA = 0.05;

/** A "1" for one time step: the pixels where neuron 1 (a "1" prototype) has weight ≥ 0.5. */
function oneDigit(): number[] {
  const w = net.layers[0].weights; // column-major: neuron 1's column starts at 784
  return Array.from({ length: 784 }, (_, r) => (w[784 + r] >= 0.5 ? 1 : 0));
}

/** The "1" vector, decided by the generator's code against `target`. */
function sprtVector(target: string): ProgramVector {
  const image = oneDigit();
  const events = [...image].flatMap((b, i) => (b ? [{ input: i, timePs: 0 }] : []));
  const stimulus = { iwPs: 500, lwPs: 500, windows: 1, events };
  const kept = { guard: { toleranceBandPs: 250 }, simVector: { id: "one", stimulus, toleranceBandPs: 250 } } as unknown as KeptVector;
  const s = stochasticExpectation(input, kept, [target], { decision: "sprt", alpha: ALPHA, beta: BETA });
  return {
    id: "one",
    iwPs: 500,
    lwPs: 500,
    windows: 1,
    pattern: [[...image].join("")],
    repetitions: 1,
    expected: s.expected,
    toleranceBandPs: 250,
    decision: s.rule,
    ...(s.criterion ? { criterion: s.criterion } : {}),
  } as ProgramVector;
}

async function failures(v: ProgramVector, perturbations: Parameters<typeof createSimTarget>[0]["perturbations"]): Promise<number> {
  const raw: Program = { schemaVersion: 1, testbench: { id: loaded.bench.id, sha256: loaded.sha256 }, timingTolerancePs: 500, decision: { rule: "single" }, metadata: {}, vectors: [v] };
  const program = inMemoryProgram(raw, "sprt.json");
  let failed = 0;
  // One chip, run RUNS times: each run (each open) draws fresh thermal noise.
  const target = createSimTarget({ bench: loaded.bench, perturbations, chipSeed: 2016 });
  for (let run = 1; run <= RUNS; run++) {
    const r = await executeProgram({ program, programFile: "sprt.json", bench: loaded, target, targetLabel: "sim", dutId: "chip", keepRecords: false });
    if (r.footer.verdict === "fail") failed++;
  }
  return failed;
}

describe("seed 002 784×9: SPRT decisions hold their stated α and β on the sim target", () => {
  it("1,000 good and 1,000 faulty chips (slow-to-integrate at a \"1\" neuron): wrong calls within α = β = 0.05", async () => {
    const target = "slow-to-integrate@l0.n1";
    const v = sprtVector(target);
    const rule = v.decision!;
    expect(rule.rule).toBe("sprt");
    if (rule.rule !== "sprt") return;
    expect(rule.alpha).toBe(ALPHA);
    expect(rule.beta).toBe(BETA);
    const fault = faults.find((f) => f.id === target)!;
    const goodFailed = await failures(v, undefined);
    const badPassed = RUNS - (await failures(v, fault.perturbations));
    // Wrong calls K over R = 1,000 independent runs are Bin(R, e) with e ≤ 0.05 if the stated bound
    // holds; Bin(R, e) grows with e, so the worst case is e = 0.05. Summing the binomial terms,
    // P[Bin(1000, 0.05) ≥ 74] = 6.5·10⁻⁴ (and ≥ 73: 1.006·10⁻³): a decision within its stated α (β)
    // gives K ≤ 73 with probability ≥ 0.999, so K > 73 rejects the claim at the 0.1 % level
    // (equivalently: the one-sided 99.9 % Clopper–Pearson lower bound of 74/1000 is above 0.05).
    expect(goodFailed).toBeLessThanOrEqual(73);
    expect(badPassed).toBeLessThanOrEqual(73);
    // The faulty chip really is inside H1 here (the β claim is about chips matching with p ≤ pBad),
    // and the test is not vacuous: the good chip matches with p ≥ pGood well short of 1.
    expect(rule.pBad).toBeGreaterThan(0.2);
    expect(rule.pGood).toBeLessThan(0.99);
  }, 120_000);
});
