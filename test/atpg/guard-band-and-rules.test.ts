/**
 * The pieces under the guard band and the stochastic decision rules: the variability
 * model's spread of R_P, the normal / binomial helpers, and decision rules that meet
 * their α and β.
 */
import { describe, expect, it } from "vitest";
import { chooseDecisionRule } from "../../src/atpg/decision-rule.ts";
import { ruleFailProbability } from "../../src/stats/decision-rules.ts";
import { binomialCdf, normalCdf, normalQuantile } from "../../src/stats/normal-distribution.ts";
import { createMonteCarloPopulations, monteCarloChip, resistanceThicknessGain, seed003Variability } from "../../src/atpg/variability-model.ts";
import { createRng, mixSeed } from "../../src/sim/rng.ts";
import { compileNetwork, highOhms } from "../../src/sim/compile.ts";
import { benchSetup } from "./atpg-harness.ts";

describe("variability model", () => {
  const { net, loaded } = benchSetup("mlp-16x8x4");
  it("spreads ln R_P by √((6.5·σ_t)² + σ_A²) and scales with λ", () => {
    const d = loaded.bench.device;
    const sd = (scale: number) => {
      const xs: number[] = [];
      for (let chip = 0; chip < 20; chip++) {
        const l = monteCarloChip(net, seed003Variability, 11, chip, scale).layers[0];
        for (let i = 0; i < l.weights.length; i++) if (l.weights[i] === 1) xs.push(Math.log(l.cellOhms[i] - d.accessOhms));
      }
      const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1));
    };
    const expected = Math.hypot(resistanceThicknessGain() * 0.01, 0.05);
    // By hand (Simmons): R_P ∝ t·e^(1.025·t[Å]·√φ), so d ln R_P / d ln t = 1 + 1.025·8.5 Å·√0.4 eV = 6.510
    // (seed 003's 0.85 nm SMTJ oxide, the 0.4 eV effective barrier of MTJ compact models).
    expect(resistanceThicknessGain()).toBeCloseTo(1 + 1.025 * 8.5 * Math.sqrt(0.4), 10);
    expect(sd(1)).toBeGreaterThan(expected * 0.9);
    expect(sd(1)).toBeLessThan(expected * 1.15); // area enters as 1/(1 + σz): slightly skewed
    expect(sd(2) / sd(1)).toBeGreaterThan(1.8);
  });
  it("leaves the nominal chip alone and keeps R_AP above R_P", () => {
    const nominal = compileNetwork(loaded.bench);
    const chip = monteCarloChip(nominal, seed003Variability, 1, 0);
    expect(nominal.layers[0].cellOhms).toEqual(compileNetwork(loaded.bench).layers[0].cellOhms);
    expect(highOhms(nominal.device)).toBeGreaterThan(nominal.device.rLowOhms);
    expect(chip.layers[0].cellOhms).not.toEqual(nominal.layers[0].cellOhms);
  });
  it("draws the λ = 1 and λ-scaled populations from one set of draws, each cell as the header's equations give it", () => {
    // the fast path (createMonteCarloPopulations: both scales in one pass) against the cell
    // rebuilt by hand from the chip's own normal stream: z_t, z_A, z_TMR for cell 0 of layer 0
    const d = loaded.bench.device;
    const [ones, twos] = createMonteCarloPopulations(net, seed003Variability, { count: 3, seed: 5 }, [1, 2]);
    for (let chip = 0; chip < 3; chip++) {
      const rng = createRng(mixSeed(mixSeed(5, chip, 0x9e37), 0, 1));
      const [zt, za, zm] = [rng.normal(), rng.normal(), rng.normal()];
      const tmr0 = highOhms(d) / d.rLowOhms - 1;
      const byHand = (lambda: number) => {
        const rL = (d.rLowOhms * Math.exp(resistanceThicknessGain() * lambda * 0.01 * zt)) / (1 + lambda * 0.05 * za);
        const rH = rL * (1 + tmr0 * (1 + lambda * 0.03 * zm));
        const w = net.layers[0].weights[0];
        return 1 / (w / rL + (1 - w) / rH) + d.accessOhms;
      };
      expect(ones[chip].layers[0].cellOhms[0]).toBeCloseTo(byHand(1), 6);
      expect(twos[chip].layers[0].cellOhms[0]).toBeCloseTo(byHand(2), 6);
      // and every cell and neuron as one chip drawn at one scale
      expect(twos[chip].layers[1].cellOhms).toEqual(monteCarloChip(net, seed003Variability, 5, chip, 2).layers[1].cellOhms);
      expect(ones[chip].layers[0].neurons).toEqual(monteCarloChip(net, seed003Variability, 5, chip, 1).layers[0].neurons);
    }
  });
});

describe("normal and binomial helpers", () => {
  it("inverts Φ and matches known tails", () => {
    expect(normalCdf(-3.0902)).toBeCloseTo(0.001, 5);
    for (const p of [1e-6, 1e-3, 0.2, 0.5, 0.9]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    // P[Bin(10, ½) ≤ 2] = (1 + 10 + 45) / 1024
    expect(binomialCdf(2, 10, 0.5)).toBeCloseTo(56 / 1024, 10);
  });
});

describe("decision rules for stochastic neurons", () => {
  it("choose the fewest repetitions whose wrong-call probabilities meet α and β", () => {
    for (const [pGood, pBad] of [
      [0.98, 0.3],
      [0.9, 0.5],
      [0.999, 0.05],
    ]) {
      const rule = chooseDecisionRule(pGood, pBad, { alpha: 1e-3, beta: 1e-3 })!;
      expect(rule.rule).toBe("fixed");
      if (rule.rule !== "fixed") continue;
      expect(ruleFailProbability(rule, pGood)).toBeLessThanOrEqual(1e-3); // good chip failed
      expect(1 - ruleFailProbability(rule, pBad)).toBeLessThanOrEqual(1e-3); // bad chip passed
      if (rule.repetitions > 1) {
        // one repetition fewer cannot do it with any threshold
        const n = rule.repetitions - 1;
        const ok = Array.from({ length: n + 1 }, (_, k) => k).some((k) => binomialCdf(k - 1, n, pGood) <= 1e-3 && 1 - binomialCdf(k - 1, n, pBad) <= 1e-3);
        expect(ok).toBe(false);
      }
    }
  });
  it("uses a single application for deterministic responses and refuses indistinguishable ones", () => {
    expect(chooseDecisionRule(1, 0)).toEqual({ rule: "single" });
    expect(chooseDecisionRule(0.6, 0.6)).toBeNull();
    const sprt = chooseDecisionRule(0.95, 0.2, { kind: "sprt" });
    expect(sprt?.rule).toBe("sprt");
  });
});

describe("generate on a stochastic bench (fixtures/atpg/stochastic-4x1.json)", () => {
  it("records repetitions and a decision rule a good chip passes", async () => {
    const { join } = await import("node:path");
    const { repoRoot } = await import("../helpers/run-cli.ts");
    const { generate } = await import("./atpg-harness.ts");
    const { compareSpikes, faultSimVectors, goodResponse } = await import("../../src/faultsim/index.ts");
    const g = generate("stochastic-4x1", {}, join(repoRoot, "fixtures", "atpg", "stochastic-4x1.json"));
    expect(g.summary.stochastic).toBe(true);
    expect(g.program.vectors.length).toBeGreaterThan(0);
    const sims = faultSimVectors(g.program, "p");
    g.program.vectors.forEach((v, i) => {
      expect(v.decision?.rule).toBe("fixed");
      if (v.decision?.rule !== "fixed") return;
      expect(v.repetitions).toBe(v.decision.repetitions);
      // fresh repetitions (salts the generator did not sample) of the good chip
      let match = 0;
      const n = 400;
      for (let rep = 1000; rep < 1000 + n; rep++) {
        const r = goodResponse(g.net, sims[i], rep).observed;
        if (!compareSpikes(v.expected, r, { toleranceBandPs: v.toleranceBandPs ?? 500 }).differs) match++;
      }
      expect(ruleFailProbability(v.decision, match / n)).toBeLessThan(0.01);
    });
  });
});
