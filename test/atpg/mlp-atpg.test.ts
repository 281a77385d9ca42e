/**
 * ATPG on the two-layer mlp-16x8x4 bench (only the 4 outputs observable, process
 * variation declared): coverage by model, the random-pattern baseline (same guard band,
 * fixed seed, twice the vectors) and the guard band checked on fresh Monte-Carlo chips.
 */
import { describe, expect, it } from "vitest";
import { candidateStimulus, createGuardBand, evaluateGuardBand, monteCarloChip, randomCandidate, variabilityOf } from "../../src/atpg/index.ts";
import { computeCoverage, faultEngines, faultSimVectors, compareSpikes, goodResponse, type FaultSimVector } from "../../src/faultsim/index.ts";
import { createRng } from "../../src/sim/rng.ts";
import { generate } from "./atpg-harness.ts";

describe("generate on mlp-16x8x4 (outputs only)", () => {
  const g = generate("mlp-16x8x4", { monteCarloChips: 32, settings: { searchLimit: 20, maxWindows: 6 } });
  const n = g.program.vectors.length;
  const vectors = faultSimVectors(g.program, "generated", { timingResolutionPs: g.loaded.bench.timing.tickPs });

  it("reports coverage for every fault model, and the counts add up", () => {
    const byModel = g.summary.coverage.byModel;
    expect(Object.keys(byModel).sort()).toEqual([...g.input.models].sort());
    let all = 0;
    for (const [m, c] of Object.entries(byModel)) {
      expect(c.DT + c.PD + c.ND + c.AU + c.UD, m).toBe(c.all);
      all += c.all;
    }
    expect(all).toBe(g.summary.coverage.total.all);
    // the program's own coverage, recomputed by the fast engine from the written vectors
    const r = faultEngines.fast.run(g.net, g.universe.faults, vectors, { drop: true, analysis: g.universe.analysis } as never);
    const cov = computeCoverage(r.outcomes, g.universe.faults, {});
    expect(cov.total.DT).toBe(g.summary.coverage.total.DT);
    expect(cov.total.testCoverage * 100).toBeGreaterThan(30);
    // every fault left undetected has a class and a reason
    for (const u of g.summary.undetected) expect(u.reason.length).toBeGreaterThan(10);
  });

  it("reaches at least the coverage of twice as many random patterns (same guard band, fixed seed)", () => {
    const gb = createGuardBand(g.net, g.loaded.bench, { seed: 99, chips: 32, tickPs: g.loaded.bench.timing.tickPs });
    const rng = createRng(2024);
    const random: FaultSimVector[] = [];
    while (random.length < 2 * n) {
      const c = randomCandidate(16, 4, { iwPs: g.loaded.bench.timing.iwPs, lwPs: g.loaded.bench.timing.lwPs }, rng);
      const guard = evaluateGuardBand(gb, candidateStimulus(c));
      if (!guard.accepted) continue; // a baseline that fails good chips would not be a test
      random.push({ id: `r${random.length}`, stimulus: candidateStimulus(c), toleranceBandPs: guard.toleranceBandPs, timingResolutionPs: 10 });
    }
    // the streaming band (chips drawn as simulated, as a neuron-phase candidate uses it) gives the held band's verdict
    const streaming = createGuardBand(g.net, g.loaded.bench, { seed: 99, chips: 32, tickPs: g.loaded.bench.timing.tickPs, streaming: true });
    for (const v of random.slice(0, 3)) expect(evaluateGuardBand(streaming, v.stimulus)).toEqual(evaluateGuardBand(gb, v.stimulus));
    const base = computeCoverage(faultEngines.fast.run(g.net, g.universe.faults, random, { drop: true }).outcomes, g.universe.faults, {});
    const atpg = computeCoverage(faultEngines.fast.run(g.net, g.universe.faults, vectors, { drop: true }).outcomes, g.universe.faults, {});
    expect(n).toBeGreaterThan(0);
    expect(atpg.total.testCoverage).toBeGreaterThanOrEqual(base.total.testCoverage);
  });

  it("fails fresh Monte-Carlo good chips no more often than the stated yield loss allows", () => {
    const { sigmas } = variabilityOf(g.loaded.bench);
    expect(sigmas.areaSigma).toBeGreaterThan(0); // the bench declares variation
    const chips = 300;
    let failing = 0;
    for (let i = 0; i < chips; i++) {
      const chip = monteCarloChip(g.net, sigmas, 4242, i);
      const fails = vectors.some((v) => compareSpikes(goodResponse(g.net, v).observed, goodResponse(chip, v).observed, v).differs);
      if (fails) failing++;
    }
    // the stated rate: every vector passed a guard band bounding its good-chip failures by 1e-3
    const stated = g.summary.guardBand.yieldLossBound;
    expect(stated).toBeCloseTo(1 - (1 - 1e-3) ** n, 6);
    // binomial slack: 3 standard deviations at the stated rate, plus one chip
    const allowed = stated * chips + 3 * Math.sqrt(stated * chips) + 1;
    expect(failing).toBeLessThanOrEqual(allowed);
    // the Monte-Carlo point estimate is reported too (docs/atpg.md: optimistic on this bench)
    expect(g.summary.guardBand.estimatedYieldLoss).toBeLessThanOrEqual(stated);
  });
});
