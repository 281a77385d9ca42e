/**
 * The good machine packed once for every pool thread (shared-good-runs.ts): unpacking a
 * packed run gives goodResponse's run exactly — segments (bounds, window, key, driven
 * rows), every column current, every spike, the observed response — on 40 random benches
 * (single-ended and differential, deterministic and stochastic repetitions, one and two
 * layers); and the fast engine reads the runs it is given: the right ones give the
 * outcomes of its own simulation and are counted, another vector's give other outcomes;
 * runParallelCampaign takes a caller's runs (coverage keeps those of its expected-response
 * check) in this thread and on the pool, and ignores an incomplete list.
 */
import { describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, runParallelCampaign } from "../../src/faultsim/index.ts";
import { createJobPool } from "../../src/parallel/job-pool.ts";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { goodResponse, repetitionsOf } from "../../src/faultsim/good-response.ts";
import { packGoodRun, unpackGoodRun } from "../../src/faultsim/shared-good-runs.ts";
import { createRng } from "../../src/sim/index.ts";
import { randomBench, randomVectors } from "./random-bench.ts";

const plain = (g: ReturnType<typeof goodResponse>) => ({
  observed: g.observed,
  spikes: g.run.spikes,
  layers: g.run.layers.map((l) => ({
    segments: l.segments.map((s) => ({ startPs: s.startPs, endPs: s.endPs, window: s.window, key: s.key, rows: [...s.activeRows] })),
    currents: l.currentsUa.map((c) => [...c]),
    spikes: l.spikes,
  })),
});

describe("shared good runs", () => {
  it("unpack(pack(run)) is the good run, on 40 random benches and their repetitions", () => {
    let runs = 0;
    let spikes = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rng = createRng(500 + seed);
      const { net } = randomBench(rng, seed % 3 === 0 ? { referenceWeight: 0 } : {});
      for (const v of randomVectors(rng, net, 3)) {
        for (let rep = 0; rep < repetitionsOf(net, v); rep++) {
          const g = goodResponse(net, v, rep);
          const back = unpackGoodRun(net, packGoodRun(g.run));
          expect(plain(back), `seed ${seed}`).toEqual(plain(g));
          for (const l of back.run.layers) for (const s of l.segments) expect(s.activeRows).toBeInstanceOf(Int32Array);
          runs++;
          spikes += g.run.spikes.length;
        }
      }
    }
    expect(runs).toBeGreaterThan(120);
    expect(spikes).toBeGreaterThan(40); // the spike part of the format is exercised (73 spikes)
  });

  it("the fast engine builds its contexts on the runs it is given (and only those)", () => {
    const models = loadFaultModels();
    let told = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rng = createRng(900 + seed);
      const { bench, net } = randomBench(rng);
      const vectors = randomVectors(rng, net, 3);
      const u = enumerateFaults(net, bench, models, { collapse: true });
      const own = faultEngines.fast.run(net, u.faults, vectors, { drop: false, analysis: u.analysis });
      const packed = vectors.map((v) => Array.from({ length: repetitionsOf(net, v) }, (_, rep) => packGoodRun(goodResponse(net, v, rep).run)));
      const given = faultEngines.fast.run(net, u.faults, vectors, { drop: false, analysis: u.analysis, goodRun: (v, rep) => unpackGoodRun(net, packed[v][rep]) });
      expect(given.outcomes).toEqual(own.outcomes);
      expect(given.givenGoodRuns).toBe(packed.reduce((n, r) => n + r.length, 0));
      expect(own.givenGoodRuns).toBeUndefined();
      // the runs of the next vector in place of each vector's: the engine compares against them
      const shifted = faultEngines.fast.run(net, u.faults, vectors, { drop: false, analysis: u.analysis, goodRun: (v, rep) => unpackGoodRun(net, packed[(v + 1) % vectors.length][rep] ?? packed[v][rep]) });
      if (JSON.stringify(shifted.outcomes) !== JSON.stringify(own.outcomes)) told++;
    }
    expect(told).toBeGreaterThan(3);
  });

  it("runParallelCampaign grades on the caller's runs, in this thread and on two threads; an incomplete list is simulated", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-good-runs-"));
    const pool = createJobPool(2);
    try {
      for (const seed of [41, 42, 43]) {
        const rng = createRng(seed);
        const { bench, net } = randomBench(rng);
        const benchFile = join(dir, `b${seed}.json`);
        writeFileSync(benchFile, JSON.stringify(bench));
        const vectors = randomVectors(rng, net, 4);
        const u = enumerateFaults(net, bench, loadFaultModels(), { collapse: true });
        const own = faultEngines.fast.run(net, u.faults, vectors, { drop: false, analysis: u.analysis });
        const packed = vectors.map((v) => Array.from({ length: repetitionsOf(net, v) }, (_, rep) => packGoodRun(goodResponse(net, v, rep).run)));
        const units = packed.reduce((n, r) => n + r.length, 0);
        const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop: false };
        const here = await runParallelCampaign(spec, net, u.faults, { jobs: 1, analysis: u.analysis, goodRuns: packed });
        expect(here.threadElapsedMs).toBeUndefined(); // this thread
        expect(here.outcomes).toEqual(own.outcomes);
        expect(here.givenGoodRuns).toBe(units);
        const pooled = await runParallelCampaign(spec, net, u.faults, { pool, minFaultsPerJob: 1, analysis: u.analysis, goodRuns: packed });
        expect(pooled.threadElapsedMs).toHaveLength(2);
        expect(pooled.outcomes).toEqual(own.outcomes);
        expect(pooled.givenGoodRuns).toBe(2 * units);
        const incomplete = await runParallelCampaign(spec, net, u.faults, { jobs: 1, analysis: u.analysis, goodRuns: packed.slice(1) });
        expect(incomplete.givenGoodRuns).toBeUndefined();
        expect(incomplete.outcomes).toEqual(own.outcomes);
      }
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("six threads and a Ctrl-C signal: the start-up and good-run tasks pending at once raise no listener warning", async () => {
    const rng = createRng(77);
    const { bench, net } = randomBench(rng);
    const dir = mkdtempSync(join(tmpdir(), "snn-good-runs-"));
    const benchFile = join(dir, "b.json");
    writeFileSync(benchFile, JSON.stringify(bench));
    const vectors = randomVectors(rng, net, 3);
    const u = enumerateFaults(net, bench, loadFaultModels(), { collapse: true });
    expect(u.faults.length).toBeGreaterThanOrEqual(6);
    const warnings: string[] = [];
    const onWarning = (w: Error) => void warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop: true };
      const r = await runParallelCampaign(spec, net, u.faults, { jobs: 6, minFaultsPerJob: 1, analysis: u.analysis, signal: new AbortController().signal });
      expect(r.threadElapsedMs).toHaveLength(6);
      await new Promise((res) => setTimeout(res, 50)); // warnings are emitted on a later tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  }, 120_000);
});
