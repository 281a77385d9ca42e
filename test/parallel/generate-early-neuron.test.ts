/**
 * `generate --phases neuron,… --jobs ≥ 2` starts the neuron phase (its own job thread and
 * pool) beside the fault-universe walk of the main thread (7.5 s of serial work on bnn):
 * its progress lines wait for the walk, and the program is the one `--jobs 1` writes
 * (there the phase starts after the walk, one thing at a time).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runNeuronPhaseJob } from "../../src/atpg/neuron-phase-job.ts";
import { startNeuronPhase } from "../../src/cli/phased-generate.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-early-neuron-"));
const untimed = (file: string) => readFileSync(file, "utf8").replace(/"generatedAt":"[^"]*"/g, "");

describe("the neuron phase started beside the universe walk", () => {
  it("holds its progress lines until the walk is done, and finds what the in-thread job finds", async () => {
    const job = { benchFile: "testbenches/mlp-16x8x4.json", params: {}, jobs: 2, settings: { maxCandidates: 40, chips: 8 } };
    const said: string[] = [];
    const early = startNeuronPhase(job, new AbortController().signal, (l) => said.push(l));
    const phase = await early.phase;
    expect(said).toEqual([]); // the walk owns the progress line until walkDone
    early.walkDone();
    expect(said[0]).toMatch(/started beside the fault universe walk/);
    expect(said.length).toBeGreaterThan(1);
    const inThread = await runNeuronPhaseJob({ ...job, jobs: 1 });
    expect(phase.steps).toEqual(inThread.steps);
    expect(phase.kept).toEqual(inThread.kept);
  }, 120_000);

  it("generate mlp-16x8x4 --phases neuron,array: the same program for --jobs 1 and 2, the early start seen with 2", async () => {
    const files = ["1", "2"].map((j) => join(dir, `p${j}.json`));
    const runs = [];
    for (const [k, jobs] of ["1", "2"].entries()) runs.push(await runMain(["generate", "mlp-16x8x4", "--phases", "neuron,array", "--jobs", jobs, "-o", files[k]]));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs[0].stderr).not.toMatch(/started beside the fault universe walk/);
    expect(runs[1].stderr).toMatch(/started beside the fault universe walk/);
    expect(untimed(files[1])).toBe(untimed(files[0]));
  }, 180_000);
});
