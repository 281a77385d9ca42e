/**
 * Pool threads of a run from the sources start from the build when asked
 * (SNN_ATPG_TASKS_FROM_BUILD=1, which the benchmarks set when dist/ is current): the task
 * names dist/<bundle>.js, a sliced campaign run on it gives the in-thread results,
 * and without the variable (the tests, a stale build) the thread boots the TypeScript task.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { retentionTrialCounts, retentionTrialSpec, retentionUnits } from "../../src/characterise/retention.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createJobPool, taskModule } from "../../src/parallel/job-pool.ts";
import { shareValue } from "../../src/parallel/shared-value.ts";
import { runSliced, type SliceJob } from "../../src/parallel/sliced-run.ts";
import { compileNetwork } from "../../src/sim/compile.ts";

const saved = process.env.SNN_ATPG_TASKS_FROM_BUILD;
afterEach(() => {
  if (saved === undefined) delete process.env.SNN_ATPG_TASKS_FROM_BUILD;
  else process.env.SNN_ATPG_TASKS_FROM_BUILD = saved;
});

describe("pool tasks from the build", () => {
  it("names the bundle with the variable set, the TypeScript boot without", () => {
    delete process.env.SNN_ATPG_TASKS_FROM_BUILD;
    const fromSources = taskModule(import.meta.url, "../../src/faultsim/fault-sim-task.ts", "fault-sim-task");
    expect(fromSources.url).toMatch(/ts-task-boot\.mjs$/);
    expect(fromSources.module).toMatch(/fault-sim-task\.ts$/);
    process.env.SNN_ATPG_TASKS_FROM_BUILD = "1";
    const fromBuild = taskModule(import.meta.url, "../../src/faultsim/fault-sim-task.ts", "fault-sim-task");
    expect(fromBuild.url).toMatch(/\/dist\/fault-sim-task\.js$/);
    expect(existsSync(fileURLToPath(fromBuild.url))).toBe(true); // the test setup builds dist/
    expect(fromBuild.module).toBeUndefined();
  });

  it("a sliced campaign on build-started threads gives the in-thread results", async () => {
    process.env.SNN_ATPG_TASKS_FROM_BUILD = "1";
    const task = taskModule<SliceJob<"retention">, number[][]>(import.meta.url, "../../src/characterise/campaign-task.ts", "campaign-task");
    expect(task.url).toMatch(/\/dist\/campaign-task\.js$/);
    const { bench } = loadTestbench("testbenches/mlp-16x8x4.json");
    const spec = retentionTrialSpec(compileNetwork(bench), { deltaKt: 40, years: 10, trials: 6, seed: 3 });
    const units = retentionUnits(spec);
    const pool = createJobPool(2);
    try {
      const r = await runSliced(pool, task, "retention", shareValue(spec), units);
      expect(r.results).toEqual(Array.from({ length: units }, (_, u) => retentionTrialCounts(spec, u)));
      expect([...pool.threadIds].every((id) => id > 0)).toBe(true);
    } finally {
      await pool.close();
    }
  }, 120_000);
});
