/**
 * Ctrl-C inside `generate --phases` and the coverage report (issue 11 item 3): the
 * stretches that ran as one synchronous pass now have checkpoints —
 * - the array-phase build: a Ctrl-C raised as it starts stops the program there (before,
 *   the build ran to its end and the next phase was started before anything looked);
 * - the spike campaign: run in pieces of faults with a checkpoint between them; the
 *   pieces join into the very outcomes of one run (fault outcomes are independent);
 * - the coverage counts (the report's first pass): yielding every 65,536 faults.
 */
import { describe, expect, it } from "vitest";
import { buildPhasedProgram, spikeCampaignInChunks } from "../../src/atpg/phased-program.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines } from "../../src/faultsim/engine-registry.ts";
import { computeCoverage, COVERAGE_STEP_FAULTS, computeCoverageSteps } from "../../src/faultsim/coverage.ts";
import type { FaultOutcome } from "../../src/faultsim/fault-engine.ts";
import { faultSimVectors } from "../../src/faultsim/program-vectors.ts";
import { InterruptedError } from "../../src/formats/errors.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import type { Fault } from "../../src/faults/fault.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

const loaded = loadTestbench("testbenches/black-pixel-4x1.json");
const net = compileNetwork(loaded.bench);

describe("Ctrl-C in generate --phases", () => {
  it("raised as the array phase starts: InterruptedError, and no later phase is begun", async () => {
    const universe = enumerateFaults(net, loaded.bench, loadFaultModels(undefined, undefined, { arrayTests: true }), { collapse: true });
    const ctl = new AbortController();
    const phases: string[] = [];
    const err = await buildPhasedProgram({
      loaded,
      net,
      faults: universe.faults,
      analysis: universe.analysis,
      spike: null,
      marchIds: ["mats-plus"],
      functional: { seed: 1, keep: 2, chips: 8, holdoutChips: 0 },
      signal: ctl.signal,
      onPhase: (p) => {
        phases.push(p);
        if (p.startsWith("array phase")) ctl.abort();
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InterruptedError);
    expect(phases).toEqual(["array phase: expanding march tests and the mission-weight restore"]);
  });

  it("the spike campaign in pieces of 3 faults gives the outcomes of one run", async () => {
    const universe = enumerateFaults(net, loaded.bench, loadFaultModels(), { collapse: true });
    const file = "fixtures/bench/black-pixel-4x1.program.json";
    const vectors = faultSimVectors(loadProgram(file), file, { timingResolutionPs: loaded.bench.timing.tickPs });
    const one = faultEngines.fast.run(net, universe.faults, vectors, { drop: true, analysis: universe.analysis } as never);
    const pieces = await spikeCampaignInChunks(net, universe.faults, vectors, universe.analysis, undefined, 3);
    expect(universe.faults.length).toBeGreaterThan(6); // at least three pieces
    expect(pieces.outcomes).toEqual(one.outcomes);
    expect(pieces.evaluations).toBe(one.evaluations);
  });

  it("a Ctrl-C already raised stops the spike campaign before its first piece", async () => {
    const universe = enumerateFaults(net, loaded.bench, loadFaultModels(), { collapse: true });
    const ctl = new AbortController();
    ctl.abort();
    await expect(spikeCampaignInChunks(net, universe.faults, [], universe.analysis, ctl.signal, 3)).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe("the coverage counts yield while they count", () => {
  it("every 65,536 faults: 200,000 faults give 3 yields, and the same counts as in one pass", () => {
    const n = 200_000;
    const faults = Array.from({ length: n }, (_, i) => ({ id: `f${i}`, layer: 0, modelId: "m", classSize: 1 }) as unknown as Fault);
    // every 4th fault DT, the rest ND: FC = 1/4 by hand
    const outcomes: FaultOutcome[] = faults.map((f, i) => ({ faultId: f.id, cls: i % 4 === 0 ? "DT" : "ND", firstVector: i % 4 === 0 ? "v" : null }));
    const steps = computeCoverageSteps(outcomes, faults, { pdCredit: 0.5 });
    const yielded: number[] = [];
    let r = steps.next();
    for (; !r.done; r = steps.next()) yielded.push(r.value);
    expect(COVERAGE_STEP_FAULTS).toBe(65_536);
    expect(yielded).toEqual([65_536, 131_072, 196_608]);
    expect(r.value.total.faultCoverage).toBe(0.25);
    expect(r.value).toEqual(computeCoverage(outcomes, faults, { pdCredit: 0.5 }));
  });
});
