/**
 * A program with functional vectors (count band, class decision) applied to the sim
 * target: a good chip passes, a chip with a dead output neuron fails the vectors on
 * which that output spikes, and the datalog record keeps the criterion, so diagnosis
 * and STDF judge it again the same way (the signature names the output and its count).
 * A first-spike class decision on the same bench fails when the winning output is dead.
 */
import { describe, expect, it } from "vitest";
import { buildFunctionalPhase } from "../../src/atpg/functional-phase.ts";
import { topTwoMargin } from "../../src/atpg/functional-criterion.ts";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { judgeRepetition } from "../../src/bench/response-comparison.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import type { Program, ProgramVector } from "../../src/formats/program-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";

const bench = loadTestbench("testbenches/mlp-16x8x4.json");
const net = compileNetwork(bench.bench);
const phase = buildFunctionalPhase(net, bench.bench, { seed: 1, keep: 2, chips: 8, holdoutChips: 0 });
// A first-spike class decision on the first kept vector: its first output must lead the next by half its nominal lead.
const base = phase.steps[0];
const lead = topTwoMargin("first-spike", base.expected);
const firstSpike: ProgramVector = { ...base, id: "first", criterion: { kind: "class-decision", expectedClass: lead.winner, rule: "first-spike", marginPs: Math.max(1, Math.floor(lead.lead / 2)) } };
const program: Program = { schemaVersion: 1, testbench: { id: bench.bench.id, sha256: bench.sha256 }, timingTolerancePs: 500, decision: { rule: "single" }, metadata: {}, vectors: [...phase.steps, firstSpike] };
const deadNeuron = (n: number) => enumerateFaults(net, bench.bench, loadFaultModels(undefined, ["dead-neuron"]), { collapse: false }).faults.find((f) => f.id === `dead-neuron@l1.n${n}`)!;
const run = (perturbations: Parameters<typeof createSimTarget>[0]["perturbations"]) =>
  executeProgram({ program, programFile: "functional.json", bench, target: createSimTarget({ bench: bench.bench, perturbations }), targetLabel: "sim", dutId: "d" });

describe("functional vectors on the sim target", () => {
  it("a good chip passes every vector", async () => {
    expect(lead.lead).toBeGreaterThan(0);
    const r = await run(undefined);
    expect(r.footer.verdict).toBe("pass");
    expect(r.vectors.map((v) => v.verdict)).toEqual(program.vectors.map(() => "pass"));
  });

  it("a dead output neuron fails the count bands it spikes in (signature c<output>=0) and the class decision it wins", async () => {
    const r = await run(deadNeuron(lead.winner).perturbations);
    expect(r.footer.verdict).toBe("fail");
    for (const v of r.vectors.slice(0, phase.steps.length)) {
      const spikesThere = v.expected.filter((e) => e.output === lead.winner).length;
      expect(v.criterion?.kind).toBe("count-band");
      expect(v.verdict).toBe(spikesThere > 0 ? "fail" : "pass");
      if (spikesThere > 0) expect(judgeRepetition(v, v.repetitions[0]).signature).toEqual([`c${lead.winner}=0`]);
    }
    expect(r.vectors.slice(0, phase.steps.length).some((v) => v.verdict === "fail")).toBe(true);
    const first = r.vectors.at(-1)!;
    expect(first.verdict).toBe("fail");
    expect(judgeRepetition(first, first.repetitions[0]).failingOutputs).toContain(lead.winner);
  });
});
