/**
 * Critical-fault coverage (issue 14 part 4). By hand:
 *  - the estimator: two strata, one scored whole (exact), one sampled 2 of 4 (each
 *    sampled fault weighs 2); critical shares, CFC and the effective sample size follow
 *    from the definitions in critical-coverage.ts;
 *  - `coverage --criticality` on the MNIST chip with two faults: output neuron k dead
 *    changes exactly the digits of class k (critical) and a program holding a class-k
 *    digit detects it (its first spike is missing); a synapse on row 0 (pixel (0, 0),
 *    never black) is never driven, so it is not critical → CFC = 100 %, exact;
 *  - a bench that does not classify digits is refused, exit 2.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { criticalCoverage, stratifiedSample } from "../../src/characterise/critical-coverage.ts";
import type { FaultEffect } from "../../src/characterise/criticality.ts";
import { createChipEvaluator, imageStimulus } from "../../src/classifier/chip-classifier.ts";
import { image, mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import type { Fault } from "../../src/faults/fault.ts";
import { goodResponse } from "../../src/faultsim/index.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { criticalityHtml, criticalityTableLines } from "../../src/report/criticality-table.ts";
import { runMain } from "../helpers/run-main.ts";
import { listedSampleSize, MIN_POOLED_SCORINGS, pooledScoring } from "../../src/cli/coverage-criticality.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";

const fault = (id: string, modelId: string, layer: number, classSize = 1) => ({ id, modelId, layer, classSize }) as unknown as Fault;
const effect = (f: Fault, changed: number): FaultEffect => ({ id: f.id, modelId: f.modelId, layer: f.layer, classChanged: Array.from({ length: changed }, (_, i) => i), detectedOn: [], accuracyDrop: changed / 10 });

describe("critical-fault coverage estimator", () => {
  it("exact when every fault is scored; weighted by class size and N_s/n_s when sampled", () => {
    // stratum A (dead-neuron / l1): a (3 faults, critical, DT), b (1 fault, not critical)
    const a = fault("a", "dead-neuron", 1, 3);
    const b = fault("b", "dead-neuron", 1);
    const exact = criticalCoverage({ graded: [a, b], sampled: [a, b], effects: [effect(a, 2), effect(b, 0)], credit: (id) => (id === "a" ? 1 : 0), images: 10, goodAccuracy: 0.9, minChangedShare: 0, perStratum: 5, seed: 1 });
    expect(exact.sampled).toBe(false);
    expect(exact.total.faults).toBe(4);
    expect(exact.total.criticalShare).toMatchObject({ share: 3 / 4, low: 3 / 4, high: 3 / 4 });
    expect(exact.total.criticalCoverage.share).toBe(1);
    expect(exact.total.meanAccuracyDrop).toBeCloseTo((3 * 0.2 + 0) / 4, 12);
    // a threshold of 30 % of the 10 digits: a (2 changed) is no longer critical
    expect(criticalCoverage({ graded: [a, b], sampled: [a, b], effects: [effect(a, 2), effect(b, 0)], credit: () => 1, images: 10, goodAccuracy: 0.9, minChangedShare: 0.3, perStratum: 5, seed: 1 }).total.criticalShare.share).toBe(0);

    // stratum B (dead-synapse / l0): c d e f, c and d scored (w = 2 each); c critical PD (credit 0.5), d critical ND
    const [c, d, e, f] = ["c", "d", "e", "f"].map((id) => fault(id, "dead-synapse", 0));
    const credit = (id: string) => ({ a: 1, c: 0.5 })[id] ?? 0;
    const r = criticalCoverage({ graded: [a, b, c, d, e, f], sampled: [a, b, c, d], effects: [effect(a, 2), effect(b, 0), effect(c, 1), effect(d, 5)], credit, images: 10, goodAccuracy: 0.9, minChangedShare: 0, perStratum: 2, seed: 1 });
    expect(r.sampled).toBe(true);
    const sB = r.strata.find((s) => s.modelId === "dead-synapse")!;
    expect(sB.criticalShare.share).toBe(1);
    expect(sB.critical).toBe(4);
    expect(sB.criticalCoverage.share).toBe(0.25); // (0.5 + 0) / 2
    expect(sB.criticalCoverage.nEff).toBe(2); // equal weights: n_eff = n
    expect(sB.criticalCoverage.low).toBeLessThan(0.25);
    expect(sB.criticalCoverage.high).toBeGreaterThan(0.25);
    // total: critical weights a 3, c 2, d 2 → CFC = (3·1 + 2·0.5 + 2·0) / 7; n_eff = 7² / (9 + 4 + 4)
    expect(r.total.criticalCoverage.share).toBeCloseTo(4 / 7, 12);
    expect(r.total.criticalCoverage.nEff).toBeCloseTo(49 / 17, 12);
    expect(r.total.critical).toBeCloseTo(7, 12);
  });

  it("the stratified sample keeps at most perStratum per model and layer, the same for the same seed", () => {
    const fs = Array.from({ length: 30 }, (_, i) => fault(`f${i}`, i % 3 ? "dead-synapse" : "dead-neuron", i % 2));
    const s = stratifiedSample(fs, 2, 9);
    expect(s.map((f) => f.id)).toEqual(stratifiedSample(fs, 2, 9).map((f) => f.id));
    expect(s).toHaveLength(8); // 4 strata × 2
    expect(stratifiedSample(fs, 100, 9)).toEqual(fs);
  });

  it("samples a bnn-sized stratum (813,056 dead synapses of layer 0, as on bnn-mnist) — a quadratic build never returned", () => {
    const fs = Array.from({ length: 813_056 }, (_, i) => fault(`s${i}`, "dead-synapse", 0));
    const s = stratifiedSample(fs, 50, 9);
    expect(s).toHaveLength(50);
    // a uniform draw of 50 of 813,056: by hand, P(all 50 in the first half) = 2⁻⁵⁰ — they spread over the list
    const idx = s.map((f) => Number(f.id.slice(1)));
    expect(idx.some((i) => i < 406_528) && idx.some((i) => i >= 406_528)).toBe(true);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx); // the list's order is kept
  });
});

describe("where a criticality run is scored", () => {
  it("the sample's size read off the listed ids is the stratified sample's (every model of mlp-16x8x4 and bnn-mnist's, 3 and 50 per stratum)", () => {
    for (const id of ["mlp-16x8x4", "bnn-mnist-784x1024x10"]) {
      const lb = loadTestbench(join("testbenches", `${id}.json`));
      const faults = enumerateFaults(compileNetwork(lb.bench), lb.bench, loadFaultModels(), { collapse: true }).faults;
      const some = faults.filter((_, k) => k % 97 === 0);
      for (const per of [3, 50]) expect(listedSampleSize(some.map((f) => f.id), per), `${id} ${per}`).toBe(stratifiedSample(some, per, 14).length);
    }
    expect(listedSampleSize(["dead-neuron@l0.n1", "dead-neuron@l0.n2", "dead-neuron@l1.n2", "odd-id"], 1)).toBe(3);
  }, 60_000);

  it("on the pool from 150,000 fault × digit scorings with two jobs or more; below, or with one job, in the command's thread; the test switch lifts the floor", () => {
    const saved = process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
    delete process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
    try {
      // 500 faults × 200 digits (the default sample of bnn-mnist) measured slower on two threads than on one; 950 faster
      expect(MIN_POOLED_SCORINGS).toBe(150_000);
      expect(pooledScoring(500, 200, 2)).toBe(false);
      expect(pooledScoring(750, 200, 2)).toBe(true);
      expect(pooledScoring(749, 200, 2)).toBe(false);
      expect(pooledScoring(5450, 200, 1)).toBe(false);
      process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = "1";
      expect(pooledScoring(5, 4, 2)).toBe(true);
      expect(pooledScoring(5, 4, 1)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
      else process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = saved;
    }
  });
});

describe("coverage --criticality on bnn-mnist-784x1024x10", () => {
  const lb = loadTestbench("testbenches/bnn-mnist-784x1024x10.json");
  const { heldOut } = mnistSplit();
  const images = 30;

  it("a dead output neuron is critical and caught by a digit of its class; an undriven synapse is not critical: CFC 100 %", async () => {
    const net = compileNetwork(lb.bench);
    const ev = createChipEvaluator(net, heldOut, images);
    const i3 = 0;
    const k = ev.classify(i3);
    expect(k).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < images; i++) expect(image(heldOut, i)[0]).toBe(0);
    const stim = imageStimulus(net, image(heldOut, i3));
    const expected = goodResponse(net, { stimulus: stim }).observed;
    const program = {
      schemaVersion: 1,
      testbench: { id: lb.bench.id, sha256: lb.sha256 },
      timingTolerancePs: 100,
      decision: { rule: "single" },
      vectors: [{ id: `mnist-${i3}`, iwPs: net.iwPs, lwPs: net.lwPs, windows: 2, pattern: [Array.from(image(heldOut, i3), (p) => (p ? "1" : "0")).join("")], repetitions: 1, expected }],
    };
    const file = join(mkdtempSync(join(tmpdir(), "snn-crit-")), "p.json");
    writeFileSync(file, JSON.stringify(program));
    const args = ["coverage", "bnn-mnist-784x1024x10", file, "--models", "dead-neuron,dead-synapse", "--sites", `l1.n${k},l0.r0.c5`, "--criticality", "--critical-images", String(images)];
    const r = await runMain([...args, "--json"]);
    expect(r.stderr).not.toContain("warning");
    expect(r.code).toBe(0);
    const crit = JSON.parse(r.stdout).criticality;
    expect(crit.sampled).toBe(false);
    expect(crit.images).toBe(images);
    const l1 = crit.strata.find((s: { modelId: string; layer: number }) => s.modelId === "dead-neuron" && s.layer === 1);
    expect(l1.criticalShare.share).toBe(1);
    const syn = crit.strata.find((s: { modelId: string }) => s.modelId === "dead-synapse");
    expect(syn.criticalShare.share).toBe(0);
    expect(syn.meanAccuracyDrop).toBe(0);
    expect(crit.total.criticalCoverage.share).toBe(1);
    // the sinks of the same record: terminal table and HTML section
    const lines = criticalityTableLines(crit, JSON.parse(r.stdout).coverage.total).join("\n");
    expect(lines).toContain("critical-fault coverage CFC = 100.00 %");
    expect(lines).toMatch(/dead-neuron \/ l1 +\d+ +1 +100\.00 %/);
    expect(lines).toContain("scored all 2 representatives");
    const html = criticalityHtml(crit);
    expect(html).toContain('<table id="criticality-l1">');
    expect(html).toContain("Critical-fault coverage CFC = 100.00 %");
  }, 60_000);

  it("refuses a bench that does not classify digits, and a share outside [0, 1]", async () => {
    const r = await runMain(["coverage", "black-pixel-4x1", "fixtures/coverage/black-pixel-all16.json", "--criticality"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--criticality scores MNIST digits on a two-layer chip with 784 inputs.*this bench has 1 layer/);
    const s = await runMain(["coverage", "black-pixel-4x1", "fixtures/coverage/black-pixel-all16.json", "--criticality", "--critical-share", "2"]);
    expect(s.code).toBe(2);
    expect(s.stderr).toContain("--critical-share is a share of the digits in [0, 1]");
  });
});
