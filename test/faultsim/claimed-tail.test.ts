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
import { ClassCode, outcomeAt, type OutcomeTable } from "../../src/faultsim/outcome-table.ts";
import type { FaultOutcome, FaultSimVector } from "../../src/faultsim/fault-engine.ts";
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
  /**
   * The run's list — the share, then a window as large as the largest chunk — with each share place's index in the
   * universe, and a tail whose claims (in `order`) put the chunk's faults in the window, and which keeps each graded
   * chunk's outcomes by universe index (as a pool thread writes them into the shared table).
   */
  const runWithTail = (faults: readonly Fault[], share: number[], chunks: number[][], order: number[], vectors: readonly FaultSimVector[]) => {
    const at: number[] = [];
    for (let k = 0; k < share.length; k += 2) for (let i = share[k]; i < share[k + 1]; i++) at.push(i);
    const start = at.length;
    const windowSize = Math.max(...chunks.map(([a, b]) => b - a));
    const list: Fault[] = [...at.map((i) => faults[i]), ...Array.from({ length: windowSize }, () => faults[0])];
    const graded = new Map<number, FaultOutcome>();
    const tail = {
      start,
      claim: () => {
        const j = order.shift() ?? -1;
        if (j >= 0) for (let i = chunks[j][0]; i < chunks[j][1]; i++) list[start + i - chunks[j][0]] = faults[i];
        return j;
      },
      size: (j: number) => chunks[j][1] - chunks[j][0],
      graded: (j: number, table: OutcomeTable) => {
        for (let i = chunks[j][0]; i < chunks[j][1]; i++) graded.set(i, outcomeAt(table, start + i - chunks[j][0], faults[i], vectors));
      },
    };
    return { list, at, start, tail, graded };
  };
  for (const [from, referenceWeight] of [[21], [121], [221, 0]] as [number, number?][]) {
    it(`a random bench from seed ${from}${referenceWeight === 0 ? " (differential read)" : ""}: share and claimed chunks as the whole run; one context per vector and repetition; unclaimed chunks not simulated`, () => {
      const { net, vectors, u, share, chunks } = benchWithChunks(from, referenceWeight);
      for (const drop of [true, false]) {
        const whole = fastEngine.run(net, u.faults, vectors, { drop, analysis: u.analysis });
        // every chunk claimed, last first (any order: which thread takes what is not known beforehand)
        const run = runWithTail(u.faults, share, chunks, chunks.map((_, j) => chunks.length - 1 - j), vectors);
        let made = 0;
        const goodRun = (v: number, rep: number) => (made++, goodResponse(net, vectors[v], rep));
        const all = fastEngine.run(net, run.list, vectors, { drop, analysis: u.analysis, goodRun, tail: run.tail });
        expect(all.claimed).toEqual(chunks.map((_, j) => chunks.length - 1 - j));
        expect(all.outcomes.slice(0, run.start), `drop ${drop}: the share`).toEqual(run.at.map((i) => whole.outcomes[i]));
        const inChunks = chunks.flatMap(([a, b]) => Array.from({ length: b - a }, (_, k) => a + k));
        expect(inChunks.map((i) => run.graded.get(i)), `drop ${drop}: every chunk, handed over as graded`).toEqual(inChunks.map((i) => whole.outcomes[i]));
        const units = vectors.reduce((n, v) => n + repetitionsOf(net, v), 0);
        expect(made, "good runs asked for: once per vector and repetition, not per chunk").toBe(units);
        expect(all.givenGoodRuns).toBe(units);
        // only the odd chunks claimed: the share's and theirs are the whole run's, and the evaluations are exactly those of a run of those faults alone
        const odd = chunks.map((_, j) => j).filter((j) => j % 2 === 1);
        const some = runWithTail(u.faults, share, chunks, [...odd], vectors);
        const r = fastEngine.run(net, some.list, vectors, { drop, analysis: u.analysis, tail: some.tail });
        const mine = odd.flatMap((j) => Array.from({ length: chunks[j][1] - chunks[j][0] }, (_, k) => chunks[j][0] + k));
        expect(r.outcomes.slice(0, some.start)).toEqual(some.at.map((i) => whole.outcomes[i]));
        expect(mine.map((i) => some.graded.get(i))).toEqual(mine.map((i) => whole.outcomes[i]));
        expect(some.graded.size, "only the claimed chunks handed over").toBe(mine.length);
        const alone = fastEngine.run(net, [...some.at, ...mine].map((i) => u.faults[i]), vectors, { drop, analysis: u.analysis });
        expect(r.evaluations, "unclaimed chunks are not simulated").toBe(alone.evaluations);
        expect(r.pathEvaluations).toEqual(alone.pathEvaluations);
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
