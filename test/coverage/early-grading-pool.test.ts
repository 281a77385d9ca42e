/**
 * When coverage starts its grading threads before it enumerates the universe
 * (coverage-run.ts gradesOnPoolEarly): only when the campaign will surely be pooled — a
 * universe of at least one fault per cell on a chip of ≥ EARLY_POOL_CELLS cells (per
 * shard). Counts by hand: bnn-784x1024x10 has 784·1024 + 1024·10 = 813,056 cells and
 * 1,034 neurons; mlp-16x8x4 has 16·8 + 8·4 = 160 cells. With the threads started early, the
 * graded faults are shared with them once enumerated (on bnn 0.3 s that the campaign no longer
 * spends before its threads start), and the campaign grades from that table.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/cli-context.ts";
import { EARLY_POOL_CELLS, gradeFaults, gradesOnPoolEarly, prepareCoverage } from "../../src/cli/coverage-run.ts";
import { faultEngines } from "../../src/faultsim/index.ts";
import { isSharingOf } from "../../src/faultsim/shared-universe.ts";
import { createJobPool } from "../../src/parallel/job-pool.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const bnn = loadTestbench(join(repoRoot, "testbenches", "bnn-784x1024x10.json")).bench;
const mlp = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json")).bench;
const every = { modelsDir: [], param: [] };

describe("coverage's early grading pool", () => {
  it("starts for bnn's whole universe, not for a 160-cell chip", () => {
    expect(EARLY_POOL_CELLS).toBeLessThan(813_056);
    expect(gradesOnPoolEarly(bnn, every)).toBe(true);
    expect(gradesOnPoolEarly(mlp, every)).toBe(false);
  });

  it("not for a list of unknown length: --faults, --sites", () => {
    expect(gradesOnPoolEarly(bnn, { ...every, faults: "list.faults" })).toBe(false);
    expect(gradesOnPoolEarly(bnn, { ...every, sites: "l0.n3" })).toBe(false);
  });

  it("by the models: a synapse or in-cell model is one fault per cell; neuron models alone are 1,034 faults", () => {
    expect(gradesOnPoolEarly(bnn, { ...every, models: "dead-neuron,slow-to-leak" })).toBe(false);
    expect(gradesOnPoolEarly(bnn, { ...every, models: "dead-neuron,dead-synapse" })).toBe(true);
    expect(gradesOnPoolEarly(bnn, { ...every, models: "resistive-open" })).toBe(true); // in-cell and segment sites
    expect(gradesOnPoolEarly(bnn, { ...every, models: "no-such-model" })).toBe(false); // the universe's loading reports it
  });

  it("by the models of --models-dir: a directory of neuron models alone is 1,034 faults", () => {
    const dir = mkdtempSync(join(tmpdir(), "early-pool-"));
    try {
      copyFileSync(join(repoRoot, "fault-models", "dead-neuron.json"), join(dir, "dead-neuron.json"));
      expect(gradesOnPoolEarly(bnn, { ...every, modelsDir: [dir] })).toBe(false);
      copyFileSync(join(repoRoot, "fault-models", "dead-synapse.json"), join(dir, "dead-synapse.json"));
      expect(gradesOnPoolEarly(bnn, { ...every, modelsDir: [dir] })).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("per shard: 813,056 cells in 8 shards is 101,632 each (pooled), in 9 is 90,340 (not)", () => {
    expect(gradesOnPoolEarly(bnn, every, 8)).toBe(true);
    expect(gradesOnPoolEarly(bnn, every, 9)).toBe(false);
  });
});

describe("coverage with its grading threads started early", () => {
  it("shares the graded faults once enumerated, and the campaign on those threads grades from that table: the in-process outcomes", async () => {
    const pool = createJobPool(2);
    const env = process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
    process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = "1"; // mlp-16x8x4's campaign on the threads, not in this thread
    try {
      const ctx: CliContext = { out: () => {}, err: () => {}, errRaw: () => {}, stderrIsTty: false, setExit: () => {}, signal: new AbortController().signal, runCli: async () => 0 };
      const o = { engine: "fast", drop: true, pdCredit: 0.5, modelsDir: [], param: [] };
      const prep = await prepareCoverage("mlp-16x8x4", "fixtures/coverage/mlp-16x8x4-random8.json", o, ctx, true, null, pool);
      expect(prep.warming).toBeDefined();
      expect(prep.sharedFaults).toBeTruthy();
      expect(isSharingOf(prep.sharedFaults!, prep.graded)).toBe(true);
      const r = await gradeFaults(prep, prep.graded, { jobs: 2, pool }, ctx);
      expect(r.threadElapsedMs).toHaveLength(2);
      const inProcess = faultEngines.fast.run(prep.net, prep.graded, prep.vectors, { drop: true, analysis: prep.universe.analysis });
      expect(r.outcomes).toEqual(inProcess.outcomes);
    } finally {
      if (env === undefined) delete process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
      else process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = env;
      await pool.close();
    }
  }, 120_000);
});
