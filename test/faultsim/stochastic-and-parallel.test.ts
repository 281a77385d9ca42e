/**
 * Stochastic neurons: a fault detected in some repetitions but not all is PD (and in
 * every repetition DT); both engines agree. Parallel campaigns over worker threads give
 * exactly the in-process outcomes.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testbenchSchema } from "../../src/formats/testbench-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, faultSimVectors, runParallelCampaign, vectorVerdict, type FaultSimVector } from "../../src/faultsim/index.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { compileNetwork, patternEvents } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

describe("repetitions of a stochastic chip", () => {
  it("vectorVerdict: hard in all → DT (2); hard in some, or any within-band → PD (1); none → 0", () => {
    const seq = (v: (0 | 1 | 2)[]) => vectorVerdict(v.length, (r) => v[r]);
    expect(seq([2, 2, 2])).toBe(2);
    expect(seq([2, 0, 2])).toBe(1);
    expect(seq([0, 0, 1])).toBe(1);
    expect(seq([0, 0, 0])).toBe(0);
  });

  it("a stochastic black-pixel detector: some faults PD over 16 repetitions, engines agree", () => {
    // The seed 000 circuit with a sigmoid switching probability (width 0.15): (1,1,1,1)
    // sits near the threshold in window 3, so the good chip itself fires there only in
    // some repetitions; a fault that shifts the drive a little changes the outcome in some
    // repetitions only (PD), a dead neuron removes every spike the good chip makes.
    const raw = JSON.parse(JSON.stringify(loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json")).bench));
    raw.neuron = { ...raw.neuron, model: "stochastic-lif-she", sigmoidWidth: 0.15, seed: 7 };
    const bench = testbenchSchema.parse(raw);
    const net = compileNetwork(bench);
    const vectors: FaultSimVector[] = ["1111", "1110", "0111"].map((p) => ({
      id: `p${p}`,
      stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([p], 3, 1000, 9000) },
      toleranceBandPs: 500,
      repetitions: 16,
    }));
    const u = enumerateFaults(net, bench, loadFaultModels(), { params: { "resistive-open": { resistanceOhms: 3000 } } });
    const ref = faultEngines.reference.run(net, u.faults, vectors);
    const fast = faultEngines.fast.run(net, u.faults, vectors);
    expect(fast.outcomes).toEqual(ref.outcomes);
    const cls = Object.fromEntries(ref.outcomes.map((o) => [o.faultId, o.cls]));
    expect(Object.values(cls)).toContain("PD");
    expect(cls["dead-neuron@l0.n0"]).not.toBe("ND");
    expect(cls["resistive-open@l0.r0.c0.read:3000"]).toBe("UD");
  });
});

describe("parallel campaign", () => {
  it("two threads give exactly the in-process outcomes (mlp-16x8x4 fixture program)", async () => {
    const benchFile = join(repoRoot, "testbenches", "mlp-16x8x4.json");
    const loaded = loadTestbench(benchFile);
    const net = compileNetwork(loaded.bench);
    const programFile = join(repoRoot, "fixtures", "coverage", "mlp-16x8x4-random8.json");
    const vectors = faultSimVectors(loadProgram(programFile), programFile, { timingResolutionPs: 10 });
    const u = enumerateFaults(net, loaded.bench, loadFaultModels(), { collapse: true });
    const single = faultEngines.fast.run(net, u.faults, vectors, { analysis: u.analysis });
    const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop: true };
    const par = await runParallelCampaign(spec, net, u.faults, { jobs: 2, minFaultsPerJob: 1, analysis: u.analysis });
    expect(par.threadElapsedMs).toHaveLength(2);
    expect(par.outcomes).toEqual(single.outcomes);
    expect(par.evaluations).toBe(single.evaluations);
  });
});

describe("interrupting a campaign", () => {
  it("faults not finished when the signal fires are AU; proved ones stay UD", () => {
    const loaded = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json"));
    const net = compileNetwork(loaded.bench);
    const u = enumerateFaults(net, loaded.bench, loadFaultModels());
    const vectors = faultSimVectors(loadProgram(join(repoRoot, "fixtures", "coverage", "black-pixel-all16.json")), "all16", {});
    const ac = new AbortController();
    ac.abort();
    for (const engine of [faultEngines.fast, faultEngines.reference]) {
      const r = engine.run(net, u.faults, vectors, { signal: ac.signal });
      expect(r.evaluations).toBe(0);
      expect(new Set(r.outcomes.map((o) => o.cls))).toEqual(new Set(["AU", "UD"]));
      expect(r.outcomes.find((o) => o.cls === "AU")!.reason).toMatch(/interrupted/);
    }
  });
});
