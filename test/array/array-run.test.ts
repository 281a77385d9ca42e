/**
 * A march program on the simulated chip agrees with the READ fault grader: the good chip
 * passes, and for faults of every array-visible model the first failing READ of the run
 * is the step the grader names (one rule for what a cell stores and what READ senses).
 */
import { describe, expect, it } from "vitest";
import { loadMarchTest } from "../../src/atpg/march/march-grammar.ts";
import { marchSteps, restoreSteps } from "../../src/atpg/march/march-expansion.ts";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { gradeArraySteps } from "../../src/faultsim/array-grader.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { storageFaultOf } from "../../src/faults/site-fault.ts";
import type { Program } from "../../src/formats/program-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";

const loaded = loadTestbench("testbenches/mlp-16x8x4.json");
const net = compileNetwork(loaded.bench);
const steps = [...marchSteps(loadMarchTest("march-c-minus-retention"), net), ...restoreSteps(net)];
const program: Program = { schemaVersion: 1, testbench: { id: loaded.bench.id, sha256: loaded.sha256 }, timingTolerancePs: 500, decision: { rule: "single" }, metadata: {}, vectors: steps };

async function firstFailure(fault?: ReturnType<typeof enumerateFaults>["faults"][number]): Promise<{ verdict: string; first: string | null }> {
  const target = createSimTarget({ bench: loaded.bench, perturbations: fault?.perturbations, storage: fault ? storageFaultOf(fault) : undefined });
  const r = await executeProgram({ program, programFile: "march.json", bench: loaded, target, targetLabel: "sim", dutId: "d" });
  return { verdict: r.footer.verdict, first: r.footer.failingVectors[0] ?? null };
}

describe("march program on the sim target (mlp-16x8x4)", () => {
  it("a good chip passes every write, read and pause", async () => {
    const r = await firstFailure();
    expect(r).toEqual({ verdict: "pass", first: null });
  });

  it("injected faults fail at the READ the grader predicts", async () => {
    const models = loadFaultModels(undefined, undefined, { arrayTests: true });
    const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: false });
    // every array-visible model, on sites spread over both layers (every 7th fault), plus the neuron faults READ cannot see
    const sample = faults.filter((f, i) => i % 7 === 0 || f.site.kind === "neuron");
    const predicted = gradeArraySteps(net, sample, steps, "fast");
    // every model that applies to binary cells (the domain-wall models enumerate on multi-level benches only)
    expect(new Set(sample.map((f) => f.modelId)).size).toBe(models.filter((m) => m.model.appliesTo.cells !== "multi-level").length);
    for (let i = 0; i < sample.length; i++) {
      const r = await firstFailure(sample[i]);
      expect({ id: sample[i].id, first: r.first }).toEqual({ id: sample[i].id, first: predicted[i].firstStep });
    }
  }, 180_000);
});

describe("diagnosis from the READ fail bitmap", () => {
  it("names the failing cells' shape and ranks the injected fault with the top score", async () => {
    const { diagnoseArray } = await import("../../src/bench/array-diagnosis.ts");
    const cases: [string, RegExp][] = [
      ["stuck-at-p@l0.r2.c3", /single cell l0\.r2\.c3/],
      ["resistive-open@l0.c5.seg9:50000", /column 5 of layer 0, rows 0\.\.9 .*segment 9/],
      ["retention-flip@l0.r3.c1", /single cell l0\.r3\.c1/],
      ["transition-down@l1.r4.c2", /single cell l1\.r4\.c2/],
    ];
    const models = loadFaultModels(undefined, undefined, { arrayTests: true });
    const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: false });
    for (const [id, shape] of cases) {
      const f = faults.find((x) => x.id === id)!;
      const target = createSimTarget({ bench: loaded.bench, perturbations: f.perturbations, storage: storageFaultOf(f) });
      const r = await executeProgram({ program, programFile: "march.json", bench: loaded, target, targetLabel: "sim", dutId: "d" });
      const d = diagnoseArray(program, "march.json", loaded, r.steps, 10);
      expect(d.bitmap.map((b) => b.shape).join(" | ")).toMatch(shape);
      const top = d.candidates.filter((c) => c.score === d.candidates[0].score).map((c) => c.faultId);
      expect(d.candidates[0].score).toBe(1);
      expect(top).toContain(id);
    }
  }, 120_000);
});
