/**
 * The self-referenced READ (Jeong et al., IEEE JSSC 2003; read-sense.ts): read, write the
 * known state P, read again, compare I₁ with ρ·I₂, write the sensed bit back. Checked by
 * hand-derived decisions and misread probabilities, a Monte-Carlo of the same cells,
 * and the one-rule agreement of the simulated chip with both READ graders — with the
 * detections memory-test reasoning predicts for this scheme (a stuck cell reads the
 * known state; a series open compresses I₁/I₂ so an AP cell reads 1).
 */
import { describe, expect, it } from "vitest";
import { cellLogSigmas, misreadProbability } from "../../src/atpg/array-phase.ts";
import { loadMarchTest } from "../../src/atpg/march/march-grammar.ts";
import { marchSteps, missionRowBits, restoreSteps } from "../../src/atpg/march/march-expansion.ts";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { gradeArraySteps } from "../../src/faultsim/array-grader.ts";
import { arrayEngineDisagreements } from "../helpers/array-engines.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { storageFaultOf } from "../../src/faults/site-fault.ts";
import type { Program } from "../../src/formats/program-format.ts";
import type { Testbench } from "../../src/formats/testbench-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { readRuleOf, senseDecision } from "../../src/sim/read-sense.ts";
import { createRng } from "../../src/sim/rng.ts";
import { upperTailProbability } from "../../src/stats/normal-distribution.ts";
import { createSimulatedChip } from "../../src/targets/simulated-chip.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";

const loaded = loadTestbench("testbenches/mlp-16x8x4.json");
const selfRef = (b: Testbench, device: Partial<Testbench["device"]> = {}): Testbench => ({ ...b, device: { ...b.device, ...device, readScheme: { kind: "self-reference", knownBit: 1 } } });

describe("self-referenced READ: the decision and its misread probability", () => {
  // Hand device: R_P 1 kΩ, R_AP 3 kΩ, access 990 Ω, no segments, sense input 10 Ω → R_other = 1 kΩ.
  // Nominal I_P ∝ 1/2000, I_AP ∝ 1/4000 → ρ = (1 + ½)/2 = 0.75.
  const hand = selfRef(loaded.bench, { rLowOhms: 1000, rHighOhms: 3000, tmrPercent: undefined, accessOhms: 990, segmentOhms: 0, neuronInputOhms: 10 });
  const net = compileNetwork(hand);
  it("ρ is the nominal current midpoint as a ratio; P reads 1 against itself, AP reads 0", () => {
    const rule = readRuleOf(net, 0, 3);
    expect(rule).toEqual({ kind: "self-reference", knownBit: 1, ratio: expect.closeTo(0.75, 12) });
    const iP = 1 / 2000;
    const iAp = 1 / 4000;
    expect(senseDecision(rule, iP, iP)).toBe(1); // a P cell: I₁ = I₂
    expect(senseDecision(rule, iAp, iP)).toBe(0); // an AP cell: I₁/I₂ = ½ < ¾
    expect(senseDecision(rule, 0, 0)).toBe(0); // a dead cell passes no current
  });

  it("TMR variation alone: p(AP misread) = Φ(ln T/σ_T), T = (4/3·2000 − 1000)/3000 = 5/9", () => {
    // σ_T = TMR/(1+TMR)·σ_TMR = (2/3)·0.2; R_P's variation is 0 here (thickness and area σ 0).
    const b = { ...hand, device: { ...hand.device, variability: { thicknessSigma: 0, tmrSigma: 0.2, areaSigma: 0, neuronSigma: 0 } } };
    const sig = cellLogSigmas(net, b);
    expect(misreadProbability(net, sig, 0, 3, 1)).toBe(0);
    expect(misreadProbability(net, sig, 0, 3, 0)).toBeCloseTo(upperTailProbability(Math.log(9 / 5) / (0.4 / 3)), 9); // ≈ 5.2e-6
  });

  it("with R_P varying too, the integral agrees with a Monte-Carlo of the same cells", () => {
    const b = { ...hand, device: { ...hand.device, variability: { thicknessSigma: 0, tmrSigma: 0.5, areaSigma: 0.3, neuronSigma: 0 } } };
    const sig = cellLogSigmas(net, b);
    const sT = Math.sqrt(sig.ap ** 2 - sig.p ** 2);
    const rule = readRuleOf(net, 0, 3);
    const rng = createRng(20261202);
    const n = 200_000;
    let miss = 0;
    for (let i = 0; i < n; i++) {
      const xP = sig.p * rng.normal();
      const rP = 1000 * Math.exp(xP);
      const rAp = 3000 * Math.exp(xP + sT * rng.normal());
      if (senseDecision(rule, 1 / (rAp + 1000), 1 / (rP + 1000)) === 1) miss++; // an AP cell, I₂ after writing P
    }
    const p = misreadProbability(net, sig, 0, 3, 0);
    expect(p).toBeGreaterThan(0.005); // a measurable rate
    expect(Math.abs(miss / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });
});

describe("self-referenced READ on mlp-16x8x4: chip and graders, one rule", () => {
  const bench = selfRef(loaded.bench);
  const net = compileNetwork(bench);
  const lb = { ...loaded, bench };
  const models = loadFaultModels(undefined, undefined, { arrayTests: true });
  const { faults } = enumerateFaults(net, bench, models, { collapse: false });
  const plain = [...marchSteps(loadMarchTest("march-c-minus"), net), ...restoreSteps(net)];
  const withPause = [...marchSteps(loadMarchTest("march-c-minus-retention"), net), ...restoreSteps(net)];

  it("a good chip reads its mission bits and keeps them", () => {
    const chip = createSimulatedChip({ bench });
    for (let r = 0; r < 16; r++) expect(chip.readRow(0, r)).toBe(missionRowBits(net, 0, r));
    for (let r = 0; r < 16; r++) expect(chip.readRow(0, r)).toBe(missionRowBits(net, 0, r));
  });

  it("a stuck-at-AP cell reads the known state 1 (I₁ = I₂), and a 50 kΩ open turns an AP cell into a 1", () => {
    const find = (id: string) => faults.find((f) => f.id === id)!;
    for (const id of ["stuck-at-ap@l0.r2.c3", "resistive-open@l0.r2.c3.series:50000", "resistive-open@l0.r2.c3.read:50000", "stuck-at-p@l0.r2.c3"]) {
      const f = find(id);
      const chip = createSimulatedChip({ bench, perturbations: f.perturbations, storage: storageFaultOf(f) });
      chip.writeRow(0, 2, "00000000");
      expect(chip.readRow(0, 2), id).toBe("00010000");
    }
    // hand (row 2 of 16, 1 Ω segments, 20 Ω input → path 34 Ω; access 2 kΩ): AP + 50 kΩ series,
    // I₁/I₂ = (9500 + 2034 + 50000)/(16400 + 2034 + 50000) = 0.899 > ρ = (1 + 11534/18434)/2 = 0.813
    // an open on a P cell is invisible to this scheme: I₁ = I₂ through the same open
    const open = createSimulatedChip({ bench, perturbations: find("resistive-open@l0.r2.c3.series:50000").perturbations });
    open.writeRow(0, 2, "11111111");
    expect(open.readRow(0, 2)).toBe("11111111");
    // a dead cell passes no current: it reads 0 whatever it holds
    const dead = createSimulatedChip({ bench, perturbations: find("dead-synapse@l0.r2.c3").perturbations });
    dead.writeRow(0, 2, "11111111");
    expect(dead.readRow(0, 2)).toBe("11101111");
  });

  it("fast and reference engines agree on every fault", () => {
    for (const steps of [plain, withPause]) expect(arrayEngineDisagreements(net, faults, steps)).toEqual([]);
  }, 120_000);

  it("March C− still finds every stuck-at, transition, dead cell and open; stuck-at-AP and TF↑ now at the first r0", () => {
    const g = gradeArraySteps(net, faults, withPause, "fast");
    const gPlain = gradeArraySteps(net, faults, plain, "fast");
    const byModel = (m: string, gg = g) => faults.map((f, i) => [f, gg[i]] as const).filter(([f]) => f.modelId === m);
    for (const m of ["stuck-at-p", "stuck-at-ap", "transition-up", "transition-down", "dead-synapse", "resistive-open", "retention-flip"]) {
      expect(byModel(m).filter(([, o]) => !o.detected).map(([f]) => f.id)).toEqual([]);
    }
    for (const m of ["slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"]) expect(byModel(m).every(([, o]) => !o.detected)).toBe(true);
    expect(byModel("retention-flip", gPlain).every(([, o]) => !o.detected)).toBe(true);
    // ⇑(r0,w1) is element 1: a cell that cannot leave AP (SA-AP, TF↑ written 0) reads the known 1 at its first r0
    for (const m of ["stuck-at-ap", "transition-up", "stuck-at-p"]) expect(byModel(m, gPlain).every(([, o]) => /\.e1\.r\d+\.0r0$/.test(o.firstStep!))).toBe(true);
    // a dead cell reads 0 always: caught by the first r1 (element 2)
    expect(byModel("dead-synapse", gPlain).every(([, o]) => /\.e2\.r\d+\.0r1$/.test(o.firstStep!))).toBe(true);
  });

  it("the sim target fails at the READ the grader predicts (every model, every 7th fault)", async () => {
    const program: Program = { schemaVersion: 1, testbench: { id: bench.id, sha256: loaded.sha256 }, timingTolerancePs: 500, decision: { rule: "single" }, metadata: {}, vectors: withPause };
    const sample = faults.filter((f, i) => i % 7 === 0);
    const predicted = gradeArraySteps(net, sample, withPause, "fast");
    const run = async (f?: (typeof faults)[number]) => {
      const target = createSimTarget({ bench, perturbations: f?.perturbations, storage: f ? storageFaultOf(f) : undefined });
      const r = await executeProgram({ program, programFile: "march.json", bench: lb, target, targetLabel: "sim", dutId: "d" });
      return r.footer.failingVectors[0] ?? null;
    };
    expect(await run()).toBe(null);
    for (let i = 0; i < sample.length; i++) expect({ id: sample[i].id, first: await run(sample[i]) }).toEqual({ id: sample[i].id, first: predicted[i].firstStep });
  }, 180_000);
});
