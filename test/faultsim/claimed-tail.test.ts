/**
 * A pooled campaign's threads grade their own share of the fault list, then claim the
 * tail's chunks one at a time (parallel-campaign.ts, campaignSplit) and grade each in the
 * same engine run, on the good vector contexts the run keeps (CampaignOptions.tail,
 * vector-context-cache.ts). Checked here in this thread, against the one whole engine run:
 * the outcomes of the share and of every claimed chunk are the whole run's fault for fault,
 * each vector's context is made once (not once per chunk), a chunk not claimed is not
 * simulated, a cache refuses another chip, and a thread that comes to the counter after
 * another took a chunk grades its share and exactly the chunks left and writes them into
 * the shared table.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { fastEngine } from "../../src/faultsim/fast-engine.ts";
import { goodResponse, repetitionsOf } from "../../src/faultsim/good-response.ts";
import { runFaultSimSlice } from "../../src/faultsim/fault-sim-task.ts";
import { createSharedOutcomes } from "../../src/faultsim/shared-outcomes.ts";
import { campaignSplit, shareFaults } from "../../src/faultsim/shared-universe.ts";
import { createVectorContextCache } from "../../src/faultsim/vector-context-cache.ts";
import type { Fault } from "../../src/faults/index.ts";
import { ClassCode } from "../../src/faultsim/outcome-table.ts";
import { shareValue } from "../../src/parallel/shared-value.ts";
import { compileNetwork, createRng } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { randomBench, randomVectors } from "./random-bench.ts";

const models = loadFaultModels();
const classCode = { DT: ClassCode.DT, PD: ClassCode.PD, ND: ClassCode.ND, UD: ClassCode.UD, AU: ClassCode.AU } as Record<string, number>;

describe("a claimed tail graded in the engine run, on kept vector contexts", () => {
  // random benches of 1–2 layers of 1–4 columns: the first from `from` on whose faults make a share and at least 3 tail chunks
  const benchWithChunks = (from: number, referenceWeight?: number) => {
    for (let seed = from; seed < from + 80; seed++) {
      const rng = createRng(seed);
      const { net, bench } = randomBench(rng, referenceWeight === undefined ? {} : { referenceWeight });
      const vectors = randomVectors(rng, net, 5);
      const u = enumerateFaults(net, bench, models, { collapse: true });
      const { slices, chunks } = campaignSplit(u.faults, 2, { tail: 0.7, tailChunksPerThread: 4 }); // thread 0's share (the other's is not in this run)
      if (chunks.length >= 3 && slices[0].length > 0) return { seed, net, vectors, u, share: slices[0], chunks };
    }
    throw new Error(`no random bench from seed ${from} makes 3 chunks`);
  };
  /** The run's list — the share, then every chunk — with each list place's index in the universe, and where each chunk starts. */
  const runList = (faults: readonly Fault[], share: number[], chunks: number[][]) => {
    const at: number[] = [];
    for (let k = 0; k < share.length; k += 2) for (let i = share[k]; i < share[k + 1]; i++) at.push(i);
    const bounds: number[] = [];
    for (const [a, b] of chunks) {
      bounds.push(at.length);
      for (let i = a; i < b; i++) at.push(i);
    }
    return { list: at.map((i) => faults[i]), at, bounds };
  };
  for (const [from, referenceWeight] of [[21], [121], [221, 0]] as [number, number?][]) {
    it(`a random bench from seed ${from}${referenceWeight === 0 ? " (differential read)" : ""}: share and claimed chunks as the whole run; one context per vector and repetition; unclaimed chunks not simulated`, () => {
      const { net, vectors, u, share, chunks } = benchWithChunks(from, referenceWeight);
      const { list, at, bounds } = runList(u.faults, share, chunks);
      for (const drop of [true, false]) {
        const whole = fastEngine.run(net, u.faults, vectors, { drop, analysis: u.analysis });
        // every chunk claimed, last first (any order: which thread takes what is not known beforehand)
        const order = chunks.map((_, j) => chunks.length - 1 - j);
        let made = 0;
        const goodRun = (v: number, rep: number) => (made++, goodResponse(net, vectors[v], rep));
        const all = fastEngine.run(net, list, vectors, { drop, analysis: u.analysis, goodRun, tail: { bounds, claim: () => order.shift() ?? -1 } });
        expect(all.claimed).toEqual(chunks.map((_, j) => chunks.length - 1 - j));
        expect(all.outcomes, `drop ${drop}`).toEqual(at.map((i) => whole.outcomes[i]));
        const units = vectors.reduce((n, v) => n + repetitionsOf(net, v), 0);
        expect(made, "good runs asked for: once per vector and repetition, not per chunk").toBe(units);
        expect(all.givenGoodRuns).toBe(units);
        // only the odd chunks claimed: the share's and theirs are the whole run's, and the evaluations are exactly those of a run of those faults alone
        const odd = chunks.map((_, j) => j).filter((j) => j % 2 === 1);
        const some = fastEngine.run(net, list, vectors, { drop, analysis: u.analysis, tail: { bounds, claim: () => odd.shift() ?? -1 } });
        const mine = [...Array(bounds[0]).keys(), ...chunks.flatMap((c, j) => (j % 2 === 1 ? Array.from({ length: c[1] - c[0] }, (_, k) => bounds[j] + k) : []))];
        expect(mine.map((p) => some.outcomes[p])).toEqual(mine.map((p) => whole.outcomes[at[p]]));
        const alone = fastEngine.run(net, mine.map((p) => list[p]), vectors, { drop, analysis: u.analysis });
        expect(some.evaluations, "unclaimed chunks are not simulated").toBe(alone.evaluations);
        expect(some.pathEvaluations).toEqual(alone.pathEvaluations);
      }
    });
  }

  it("a cache serves one chip and one vector list", () => {
    const rng = createRng(5);
    const { net } = randomBench(rng);
    const vectors = randomVectors(rng, net, 2);
    const cache = createVectorContextCache();
    const ctx = cache.get(net, vectors, 1, 0);
    expect(cache.get(net, vectors, 1, 0)).toBe(ctx);
    expect(() => cache.get(randomBench(createRng(6)).net, vectors, 1, 0)).toThrow(/one chip and vector list/);
    expect(() => cache.get(net, [...vectors], 1, 0)).toThrow(/one chip and vector list/);
  });
});

describe("a thread claiming chunks", () => {
  it("grades its own share, then — after others took the first tail chunk — the rest, each once, into the shared table", () => {
    const benchFile = join(repoRoot, "testbenches", "mlp-16x8x4.json");
    const { bench } = loadTestbench(benchFile);
    const net = compileNetwork(bench);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const vectors = randomVectors(createRng(9), net, 3);
    const whole = fastEngine.run(net, u.faults, vectors, { drop: true, analysis: u.analysis });
    const { slices, chunks } = campaignSplit(u.faults, 2, { blocksPerThread: 2, tail: 0.5, tailChunksPerThread: 2 });
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    const next = new SharedArrayBuffer(4);
    new Int32Array(next)[0] = 1; // chunk 0 claimed by the other thread
    const outcomes = createSharedOutcomes(u.faults.length);
    const progress = new SharedArrayBuffer(8);
    const spec = shareValue({ benchFile, collapse: true, vectors, engine: "fast" as const, drop: true });
    const r = runFaultSimSlice({ spec, faults: shareFaults(u.faults)!, net: shareValue(net), slice: 0, ranges: slices[0], claim: { chunks, next }, progress, outcomes });
    const mine = [slices[0], ...chunks.slice(1)];
    expect(r.chunks).toBe(mine.length);
    expect(r.parts.map((p) => p.ranges)).toEqual(mine);
    expect(new Int32Array(next)[0], "one claim past the last chunk ends the loop").toBe(chunks.length + 1);
    const cls = new Uint8Array(outcomes.cls);
    let graded = 0;
    for (const ranges of mine) {
      for (let k = 0; k < ranges.length; k += 2) {
        graded += ranges[k + 1] - ranges[k];
        for (let i = ranges[k]; i < ranges[k + 1]; i++) expect(cls[i], `fault ${i}`).toBe(classCode[whole.outcomes[i].cls]);
      }
    }
    expect(new Float64Array(progress)[0], "progress: the graded faults × vectors").toBe(graded * vectors.length);
    expect(r.evaluations).toBeGreaterThan(0);
  });
});
