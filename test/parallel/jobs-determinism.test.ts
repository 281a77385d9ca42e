/**
 * `--jobs` never changes a result: a campaign cut into 1, 2 or 3 pool threads gives the
 * outcomes of the single in-process engine run, fault for fault (random benches, drop on
 * and off), and the coverage command gives the same JSON report for --jobs 1, 2 and 3 on
 * a program with every step kind (spike vectors, writes, reads, pauses). Thread use is
 * asserted (threadIds, the campaign's per-thread times), so a silent in-process fallback
 * cannot pass; so is the good machine's sharing (each thread's one engine run built every
 * vector's context once, for its own share and the tail chunks it claimed, on the runs
 * simulated once for the pool: givenGoodRuns).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, runParallelCampaign } from "../../src/faultsim/index.ts";
import { repetitionsOf } from "../../src/faultsim/good-response.ts";
import { campaignSplit } from "../../src/faultsim/shared-universe.ts";
import { createJobPool } from "../../src/parallel/job-pool.ts";
import { applyPerturbations, compileNetwork, createRng } from "../../src/sim/index.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { randomBench, randomVectors } from "../faultsim/random-bench.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-jobs-"));
const models = loadFaultModels();

describe("a campaign on 1, 2 or 3 threads", () => {
  const pools = new Map([1, 2, 3].map((n) => [n, createJobPool(n)]));
  let tailChunks = 0; // claimed chunks over the campaigns below (the random benches are small: not every one has a tail)
  afterAll(async () => {
    for (const p of pools.values()) await p.close();
  });
  for (const seed of [11, 12, 13]) {
    it(`random bench ${seed}: the in-process outcomes, fault for fault`, async () => {
      const rng = createRng(seed);
      const { bench, net } = randomBench(rng);
      const benchFile = join(dir, `random-${seed}.json`);
      writeFileSync(benchFile, JSON.stringify(bench));
      const vectors = randomVectors(rng, net, 4);
      const u = enumerateFaults(net, bench, models, { collapse: true });
      expect(u.faults.length).toBeGreaterThanOrEqual(6);
      for (const drop of [true, false]) {
        const single = faultEngines.fast.run(net, u.faults, vectors, { drop, analysis: u.analysis });
        const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop };
        for (const [jobs, pool] of pools) {
          const r = await runParallelCampaign(spec, net, u.faults, { pool, minFaultsPerJob: 1, analysis: u.analysis });
          expect(r.threadElapsedMs, `jobs ${jobs}`).toHaveLength(jobs); // one slice per thread: the pool ran it
          // each thread's engine CPU is within its slice's (the benchmark's per-CPU-s figure reads it; NaN off Linux)
          r.threadEngineCpuMs!.forEach((e, k) => Number.isNaN(e) || expect(e).toBeLessThanOrEqual(r.threadCpuMs![k]));
          expect(r.outcomes, `seed ${seed}, drop ${drop}, jobs ${jobs}`).toEqual(single.outcomes);
          expect(r.evaluations).toBe(single.evaluations);
          // each thread's own share, then every tail chunk once by whichever thread claimed it, in the thread's one run: it
          // builds every vector's context once (kept for its chunks), on the shared good runs
          const { chunks } = campaignSplit(u.faults, jobs);
          const claimed = r.threadChunks!.map((c) => c - 1);
          expect(claimed.reduce((a, b) => a + b, 0)).toBe(chunks.length);
          tailChunks += chunks.length;
          expect(r.givenGoodRuns, "each thread's contexts on the shared good runs, once").toBe(jobs * vectors.reduce((n, v) => n + repetitionsOf(net, v), 0));
        }
      }
      for (const pool of pools.values()) expect(pool.threadIds.has(0)).toBe(false);
    }, 120_000);
  }
  it("mlp-16x8x4 (8 hidden columns): the in-process outcomes with its hidden layer's tail claimed on 2 and 3 threads", async () => {
    const benchFile = join(repoRoot, "testbenches", "mlp-16x8x4.json");
    const { bench } = loadTestbench(benchFile);
    const net = compileNetwork(bench);
    const vectors = randomVectors(createRng(31), net, 4);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const single = faultEngines.fast.run(net, u.faults, vectors, { drop: true, analysis: u.analysis });
    for (const jobs of [2, 3]) {
      const r = await runParallelCampaign({ benchFile, collapse: true, vectors, engine: "fast", drop: true }, net, u.faults, { pool: pools.get(jobs)!, minFaultsPerJob: 1, analysis: u.analysis });
      const { chunks } = campaignSplit(u.faults, jobs);
      expect(chunks.length, "the last hidden columns (≥ 40 % of the layer's faults) are the tail").toBeGreaterThan(0);
      expect(r.threadChunks!.reduce((a, b) => a + b, 0) - jobs, "every chunk claimed once").toBe(chunks.length);
      tailChunks += chunks.length;
      expect(r.outcomes, `jobs ${jobs}`).toEqual(single.outcomes);
    }
  }, 120_000);

  it("some of those campaigns had a tail the threads claimed", () => {
    expect(tailChunks).toBeGreaterThan(0);
  });

  it("faults the shared table cannot take (not SiteFault objects): each thread walks the spec's universe for one contiguous range; the in-process outcomes", async () => {
    const benchFile = join(repoRoot, "testbenches", "mlp-16x8x4.json");
    const { bench } = loadTestbench(benchFile);
    const net = compileNetwork(bench);
    const vectors = randomVectors(createRng(41), net, 3);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    // the same faults as plain objects (a list from elsewhere): shareFaults is never tried, the threads rebuild theirs from the spec
    const plain = u.faults.map((f) => ({ id: f.id, modelId: f.modelId, siteId: f.siteId, site: f.site, layer: f.layer, params: f.params, perturbations: f.perturbations, storage: f.storage, classSize: f.classSize, equivalents: f.equivalents }));
    const single = faultEngines.fast.run(net, u.faults, vectors, { drop: true, analysis: u.analysis });
    for (const jobs of [2, 3]) {
      const r = await runParallelCampaign({ benchFile, collapse: true, vectors, engine: "fast", drop: true }, net, plain, { pool: pools.get(jobs)!, minFaultsPerJob: 1, analysis: u.analysis });
      expect(r.threadElapsedMs, `jobs ${jobs}`).toHaveLength(jobs); // one contiguous range per thread, on the pool
      expect(r.givenGoodRuns, "no shared chip, so no shared good runs: each thread simulated its own").toBeUndefined();
      expect(r.outcomes, `jobs ${jobs}`).toEqual(single.outcomes);
    }
  }, 120_000);

  it("the threads grade the caller's compiled chip, not a new compile of the bench file (a chip altered after compiling)", async () => {
    const rng = createRng(31);
    const { bench, net: fromFile } = randomBench(rng);
    const benchFile = join(dir, "random-31.json");
    writeFileSync(benchFile, JSON.stringify(bench));
    // the caller's chip: neuron 0 of every layer dead (a stand-in for a chip the caller changed)
    const net = applyPerturbations(fromFile, fromFile.layers.map((_, layer) => ({ site: { kind: "neuron" as const, layer, col: 0 }, quantity: "dead", op: "set" as const, value: 1 })));
    const vectors = randomVectors(rng, net, 4);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop: false };
    const mine = faultEngines.fast.run(net, u.faults, vectors, { drop: false, analysis: u.analysis });
    const theFile = faultEngines.fast.run(fromFile, u.faults, vectors, { drop: false });
    expect(theFile.outcomes).not.toEqual(mine.outcomes); // the two chips grade differently: the comparison can tell them apart
    const r = await runParallelCampaign(spec, net, u.faults, { pool: pools.get(2)!, minFaultsPerJob: 1, analysis: u.analysis });
    expect(r.threadElapsedMs).toHaveLength(2);
    expect(r.outcomes).toEqual(mine.outcomes);
  }, 120_000);
});

describe("coverage --jobs on a program with every step kind", () => {
  const saved = process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
  beforeAll(() => {
    process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = "1"; // the shipped small bench on real threads
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
    else process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = saved;
  });

  it("mlp-16x8x4, spike + array phases: the same JSON report for --jobs 1, 2, 3", async () => {
    // spike vectors (the random8 fixture) followed by the array phase (march C−: writes, reads, pauses)
    const arrayFile = join(dir, "mlp-array.json");
    const g = await runMain(["generate", "mlp-16x8x4", "--phases", "array", "-o", arrayFile]);
    expect(g.code, g.stderr).toBe(0);
    const array = JSON.parse(readFileSync(arrayFile, "utf8"));
    const spikes = JSON.parse(readFileSync(join(repoRoot, "fixtures", "coverage", "mlp-16x8x4-random8.json"), "utf8"));
    const program = join(dir, "mlp-all-steps.json");
    writeFileSync(program, JSON.stringify({ ...array, vectors: [...spikes.vectors, ...array.vectors] }));
    const kinds = new Set((JSON.parse(readFileSync(program, "utf8")).vectors as { kind?: string }[]).map((v) => v.kind ?? "spike"));
    expect([...kinds].sort()).toEqual(["pause", "read", "spike", "write"]);
    const reports: string[] = [];
    for (const jobs of ["1", "2", "3"]) {
      const r = await runMain(["coverage", "mlp-16x8x4", program, "--jobs", jobs, "--json"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`on ${jobs} worker thread(s)`);
      reports.push(r.stdout.replace(/"elapsedMs":[\d.]+/, '"elapsedMs":0')); // the one timing field
    }
    expect(reports[1]).toBe(reports[0]);
    expect(reports[2]).toBe(reports[0]);
  }, 120_000);
});
