/**
 * Pool threads send fault outcomes back as typed arrays (outcome-encoding.ts), rebuilt on
 * the main thread a chunk at a time with a Ctrl-C checkpoint between chunks (issue 11
 * item 3: receiving a bnn slice's 1.8 M outcome objects was one uninterruptible pass).
 * The rebuilt outcomes are the engine's, key order included (JSON digests depend on it).
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines } from "../../src/faultsim/engine-registry.ts";
import type { FaultOutcome } from "../../src/faultsim/fault-engine.ts";
import { DECODE_CHUNK, decodeOutcomes, encodeOutcomes } from "../../src/faultsim/outcome-encoding.ts";
import { faultSimVectors } from "../../src/faultsim/program-vectors.ts";
import { InterruptedError } from "../../src/formats/errors.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

const none = async () => {};

describe("outcome encoding", () => {
  it("round-trips a real campaign's outcomes (DT, ND, UD with reasons) exactly, key order included", async () => {
    const loaded = loadTestbench("testbenches/black-pixel-4x1.json");
    const net = compileNetwork(loaded.bench);
    const universe = enumerateFaults(net, loaded.bench, loadFaultModels(), { collapse: true });
    const file = "fixtures/bench/black-pixel-4x1.program.json";
    const vectors = faultSimVectors(loadProgram(file), file, { timingResolutionPs: loaded.bench.timing.tickPs });
    const r = faultEngines.fast.run(net, universe.faults, vectors, { drop: true, analysis: universe.analysis } as never);
    expect(new Set(r.outcomes.map((o) => o.cls)).size).toBeGreaterThan(1);
    expect(r.outcomes.some((o) => o.reason !== undefined)).toBe(true);
    const ids = vectors.map((v) => v.id);
    const enc = encodeOutcomes(r.outcomes, ids)!;
    expect(enc).not.toBeNull();
    const back = await decodeOutcomes(enc, (i) => universe.faults[i].id, ids, none);
    expect(back).toStrictEqual(r.outcomes);
    expect(JSON.stringify(back)).toBe(JSON.stringify(r.outcomes));
  });

  it("sends outcomes with per-vector lists (drop = false) as they are", () => {
    const o: FaultOutcome = { faultId: "f", cls: "DT", firstVector: "v", firstPossibleVector: "v", detectingVectors: ["v"], detectedVectors: ["v"] };
    expect(encodeOutcomes([o], ["v"])).toBeNull();
  });

  it("awaits its checkpoint every 65,536 outcomes, and stops when it throws", async () => {
    const n = 150_000;
    const outcomes: FaultOutcome[] = Array.from({ length: n }, (_, i) => ({ faultId: `f${i}`, cls: "ND", firstVector: null, firstPossibleVector: null }));
    const enc = encodeOutcomes(outcomes, [])!;
    let calls = 0;
    const back = await decodeOutcomes(enc, (i) => `f${i}`, [], async () => void calls++);
    expect(DECODE_CHUNK).toBe(65_536);
    expect(calls).toBe(2); // at 65,536 and 131,072
    expect(back).toHaveLength(n);
    await expect(
      decodeOutcomes(enc, (i) => `f${i}`, [], async () => {
        throw new InterruptedError();
      }),
    ).rejects.toBeInstanceOf(InterruptedError);
  });

  it("refuses faults that are not the slice's (a mismatch would mislabel every outcome)", async () => {
    const enc = encodeOutcomes([{ faultId: "a", cls: "ND", firstVector: null }], [])!;
    await expect(decodeOutcomes(enc, () => "b", [], none)).rejects.toThrow(/do not follow the faults/);
  });
});
