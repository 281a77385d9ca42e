/**
 * A pooled campaign's threads claim chunks of the fault list one at a time
 * (parallel-campaign.ts, campaignChunks) and grade each in an engine run of its own, on
 * good vector contexts kept across the runs (vector-context-cache.ts). Checked here in
 * this thread, against the one whole engine run: the chunks' outcomes are the whole run's
 * fault for fault, each vector's context is made once (not once per chunk), a cache
 * refuses another chip, and a thread that comes to the counter after others took some
 * chunks grades exactly the chunks left and writes them into the shared table.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { fastEngine } from "../../src/faultsim/fast-engine.ts";
import { goodResponse, repetitionsOf } from "../../src/faultsim/good-response.ts";
import { runFaultSimSlice } from "../../src/faultsim/fault-sim-task.ts";
import { createSharedOutcomes } from "../../src/faultsim/shared-outcomes.ts";
import { campaignChunks, shareFaults } from "../../src/faultsim/shared-universe.ts";
import { createVectorContextCache } from "../../src/faultsim/vector-context-cache.ts";
import { ClassCode } from "../../src/faultsim/outcome-table.ts";
import { shareValue } from "../../src/parallel/shared-value.ts";
import { compileNetwork, createRng } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { randomBench, randomVectors } from "./random-bench.ts";

const models = loadFaultModels();
const classCode = { DT: ClassCode.DT, PD: ClassCode.PD, ND: ClassCode.ND, UD: ClassCode.UD, AU: ClassCode.AU } as Record<string, number>;

describe("chunks graded on kept vector contexts", () => {
  // random benches of 1–2 layers of 1–4 columns: the first from `from` on whose faults make at least 3 chunks
  const benchWithChunks = (from: number, referenceWeight?: number) => {
    for (let seed = from; seed < from + 50; seed++) {
      const rng = createRng(seed);
      const { net, bench } = randomBench(rng, referenceWeight === undefined ? {} : { referenceWeight });
      const vectors = randomVectors(rng, net, 5);
      const u = enumerateFaults(net, bench, models, { collapse: true });
      const chunks = campaignChunks(u.faults, 4, 8); // as many as the columns allow
      if (chunks.length >= 3) return { seed, net, vectors, u, chunks };
    }
    throw new Error(`no random bench from seed ${from} makes 3 chunks`);
  };
  for (const [from, referenceWeight] of [[21], [121], [221, 0]] as [number, number?][]) {
    it(`a random bench from seed ${from}${referenceWeight === 0 ? " (differential read)" : ""}: the chunks' outcomes are the whole run's; one context per vector and repetition`, () => {
      const { net, vectors, u, chunks } = benchWithChunks(from, referenceWeight);
      for (const drop of [true, false]) {
        const whole = fastEngine.run(net, u.faults, vectors, { drop, analysis: u.analysis });
        const cache = createVectorContextCache();
        let made = 0;
        const goodRun = (v: number, rep: number) => (made++, goodResponse(net, vectors[v], rep));
        let given = 0;
        for (const [a, b] of chunks) {
          const r = fastEngine.run(net, u.faults.slice(a, b), vectors, { drop, analysis: u.analysis, contexts: cache, goodRun });
          expect(r.outcomes, `faults ${a}..${b}, drop ${drop}`).toEqual(whole.outcomes.slice(a, b));
          given += r.givenGoodRuns ?? 0;
        }
        const units = vectors.reduce((n, v) => n + repetitionsOf(net, v), 0);
        expect(made, "good runs asked for: once per vector and repetition, not per chunk").toBe(units);
        expect(given).toBe(units);
        expect(cache.given).toBe(units);
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
  it("after others took 3 chunks, grades the rest, each once, into the shared table", () => {
    const benchFile = join(repoRoot, "testbenches", "mlp-16x8x4.json");
    const { bench } = loadTestbench(benchFile);
    const net = compileNetwork(bench);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const vectors = randomVectors(createRng(9), net, 3);
    const whole = fastEngine.run(net, u.faults, vectors, { drop: true, analysis: u.analysis });
    const chunks = campaignChunks(u.faults, 2, 4); // 8 chunks (shared-slices.test.ts cuts them by hand)
    const next = new SharedArrayBuffer(4);
    new Int32Array(next)[0] = 3; // chunks 0–2 claimed by other threads
    const outcomes = createSharedOutcomes(u.faults.length);
    const progress = new SharedArrayBuffer(8);
    const spec = shareValue({ benchFile, collapse: true, vectors, engine: "fast" as const, drop: true });
    const r = runFaultSimSlice({ spec, faults: shareFaults(u.faults)!, net: shareValue(net), slice: 0, ranges: [], claim: { chunks, next }, progress, outcomes });
    expect(r.chunks).toBe(chunks.length - 3);
    expect(r.parts.map((p) => p.ranges)).toEqual(chunks.slice(3));
    expect(new Int32Array(next)[0], "one claim past the last chunk ends the loop").toBe(chunks.length + 1);
    const cls = new Uint8Array(outcomes.cls);
    let graded = 0;
    for (const [a, b] of chunks.slice(3)) {
      graded += b - a;
      for (let i = a; i < b; i++) expect(cls[i], `fault ${i}`).toBe(classCode[whole.outcomes[i].cls]);
    }
    expect(new Float64Array(progress)[0], "progress: the chunks' faults × vectors").toBe(graded * vectors.length);
    expect(r.evaluations).toBeGreaterThan(0);
  });
});
