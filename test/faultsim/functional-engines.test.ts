/**
 * Both fault engines judge count-band and class-decision vectors through the pass
 * criterion: on mlp-16x8x4, for a program of such vectors (the functional phase's own
 * count bands, a most-spikes and a first-spike class decision), the fast and the
 * reference engine give every fault of the uncollapsed universe (every shipped model,
 * the memory-test ones included) the same class, first vector and detecting vectors
 * (no dropping). The fast path must really have run, and
 * the criterion must matter: the same stimuli judged as exact trains classify some
 * faults differently.
 */
import { describe, expect, it } from "vitest";
import { buildFunctionalPhase, functionalCandidates } from "../../src/atpg/functional-phase.ts";
import { topTwoMargin } from "../../src/atpg/functional-criterion.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, faultSimVectors, goodResponse } from "../../src/faultsim/index.ts";
import type { Program, ProgramVector } from "../../src/formats/program-format.ts";
import { vectorEvents } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

const loaded = loadTestbench("testbenches/mlp-16x8x4.json");
const net = compileNetwork(loaded.bench);

function vectorOf(id: string, pattern: string[], windows: number): ProgramVector {
  const v: ProgramVector = { id, iwPs: net.iwPs, lwPs: net.lwPs, windows, pattern, repetitions: 1, expected: [] };
  return { ...v, expected: goodResponse(net, { stimulus: { iwPs: v.iwPs, lwPs: v.lwPs, windows, events: vectorEvents(v) } }).observed };
}

function functionalProgram(): Program {
  const phase = buildFunctionalPhase(net, loaded.bench, { seed: 1, keep: 3, chips: 8, holdoutChips: 0 });
  expect(phase.steps.length).toBeGreaterThan(0);
  const cands = functionalCandidates(net, loaded.bench, { seed: 1, candidates: 128 }).map((c) => vectorOf(c.id, c.pattern, c.windows));
  // A most-spikes decision needs a strict winner; a first-spike one, outputs at distinct times.
  const most = cands.find((v) => topTwoMargin("most-spikes", v.expected).lead > 0)!;
  const first = cands.find((v) => topTwoMargin("first-spike", v.expected).lead > 0 && v.expected.length > 1)!;
  expect(most).toBeDefined();
  expect(first).toBeDefined();
  const firstLead = topTwoMargin("first-spike", first.expected);
  const vectors: ProgramVector[] = [
    ...phase.steps,
    { ...most, id: "most", criterion: { kind: "class-decision", expectedClass: topTwoMargin("most-spikes", most.expected).winner, marginSpikes: 1 } },
    { ...first, id: "first", criterion: { kind: "class-decision", expectedClass: firstLead.winner, rule: "first-spike", marginPs: Math.max(1, Math.floor(firstLead.lead / 2)) } },
  ];
  return { schemaVersion: 1, testbench: { id: loaded.bench.id, sha256: loaded.sha256 }, timingTolerancePs: 500, decision: { rule: "single" }, metadata: {}, vectors };
}

describe("fast and reference engines on count-band and class-decision vectors", () => {
  it("agree on every fault of mlp-16x8x4, the fast path ran, and the criterion changes the verdicts", () => {
    const program = functionalProgram();
    const vectors = faultSimVectors(program, "functional.json", { timingResolutionPs: loaded.bench.timing.tickPs });
    expect(vectors.map((v) => v.criterion?.kind)).toContain("count-band");
    expect(vectors.map((v) => v.criterion && "rule" in v.criterion && v.criterion.rule)).toContain("first-spike");
    const universe = enumerateFaults(net, loaded.bench, loadFaultModels(undefined, undefined, { arrayTests: true }), { collapse: false });
    const ref = faultEngines.reference.run(net, universe.faults, vectors, { drop: false });
    const fast = faultEngines.fast.run(net, universe.faults, vectors, { drop: false });
    const classes: Record<string, number> = {};
    for (let i = 0; i < universe.faults.length; i++) {
      const a = ref.outcomes[i];
      const b = fast.outcomes[i];
      expect(b.faultId).toBe(a.faultId);
      expect(b.cls, a.faultId).toBe(a.cls);
      expect(b.firstVector, a.faultId).toBe(a.firstVector);
      expect(b.detectingVectors, a.faultId).toEqual(a.detectingVectors);
      expect(b.detectedVectors, a.faultId).toEqual(a.detectedVectors);
      classes[a.cls] = (classes[a.cls] ?? 0) + 1;
    }
    expect(universe.faults.length).toBeGreaterThan(1400);
    expect(classes.DT).toBeGreaterThan(0);
    expect(fast.fastPathEvaluations).toBeGreaterThan(0);
    expect((fast.pathEvaluations!.cell ?? 0) + (fast.pathEvaluations!.neuron ?? 0)).toBeGreaterThan(0);
    // The same stimuli as exact trains: the verdicts differ for some fault.
    const exact = faultEngines.fast.run(net, universe.faults, vectors.map(({ criterion: _c, ...v }) => v), { drop: false });
    const differs = exact.outcomes.filter((o, i) => o.cls !== fast.outcomes[i].cls || String(o.detectedVectors) !== String(fast.outcomes[i].detectedVectors));
    expect(differs.length).toBeGreaterThan(0);
  }, 600_000);
});
