/**
 * `--jobs` scaling (`npm run bench -- jobs`): the fault campaign of bnn-784x1024x10 against
 * 64 random vectors on 1 and on 2 threads, JOBS_RUNS (3) runs of each, interleaved: min /
 * median wall time, each thread's CPU, the speedup of the medians, of the minima and the
 * median of each run's pair (its --jobs 1 over the --jobs 2 right after it), and
 * that every run gives the same outcomes. Two universes: every shipped model (3.66 M faults,
 * the workload of issue 17's acceptance) and the 7 models without resistive opens (1.22 M).
 * Two cases each: the campaign alone (a fresh pool, thread start-up timed; it simulates the
 * good machine itself, its vectors dealt over the threads) and the campaign as `coverage`
 * runs it on a chip of bnn's size (its threads started and warmed up — a few columns of every
 * layer on the first 1, then 12 vectors, campaign-warm-up.ts — while the universe was enumerated,
 * the chip shared by the warm-up, the fault table encoded once the universe was, and the good
 * runs of its expected-response check handed over: coverage-run.ts; the warm-up's and the
 * encoding's times are printed, outside the campaign's). Runs with
 * the CLI's V8 flags (run-benchmarks.ts). Wall figures are only meaningful on an idle
 * machine; the load average is printed beside them.
 *
 *   npm run bench -- jobs
 *   JOBS_MODELS=all JOBS_VECTORS=16 JOBS_RUNS=5 npm run bench -- jobs     (all | seven | both)
 *   JOBS_MODELS=all JOBS_CASES=coverage npm run bench -- jobs             (alone | coverage | both)
 */
import { createHash } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../src/faults/index.ts";
import { goodResponse, runParallelCampaign, type CampaignSpec, type FaultSimVector } from "../src/faultsim/index.ts";
import { startCampaignThreads } from "../src/faultsim/parallel-campaign.ts";
import { warmCampaignThreads } from "../src/faultsim/campaign-warm-up.ts";
import { shareFaultsAsync } from "../src/faultsim/shared-universe.ts";
import { createJobPool } from "../src/parallel/job-pool.ts";
import { packGoodRun } from "../src/faultsim/shared-good-runs.ts";
import { compileNetwork, createRng, patternEvents } from "../src/sim/index.ts";

const root = join(import.meta.dirname, "..");
const sevenModels = ["dead-synapse", "retention-flip", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"];
const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** One timed campaign: wall seconds, evaluations, outcome digest and the load average at its start. */
export interface JobsRun {
  jobs: number;
  wallS: number;
  evaluations: number;
  digest: string;
  load: number;
  /** CPU-s of each thread's slice. */
  threadCpuS: number[];
  /** CPU-s of the process outside the slices (thread start-up, the good machine, sharing, joining). */
  otherCpuS: number;
}

export default async function jobsBenchmark(): Promise<void> {
  const which = process.env.JOBS_MODELS ?? "both";
  if (which === "all" || which === "both") await measureBnnJobs(undefined);
  if (which === "seven" || which === "both") await measureBnnJobs(sevenModels);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `models`: model ids, or undefined for every shipped model. */
export async function measureBnnJobs(models: string[] | undefined): Promise<JobsRun[]> {
  const benchFile = join(root, "testbenches", "bnn-784x1024x10.json");
  const { bench } = loadTestbench(benchFile);
  const net = compileNetwork(bench);
  const loaded = loadFaultModels(undefined, models);
  const universe = enumerateFaults(net, bench, loaded, { collapse: true });
  const rng = createRng(16);
  const rows = net.layers[0].rows;
  const n = Number(process.env.JOBS_VECTORS ?? 64);
  const nRuns = Math.max(1, Number(process.env.JOBS_RUNS ?? 3));
  const vectors: FaultSimVector[] = Array.from({ length: n }, (_, k) => {
    let bits = "";
    for (let r = 0; r < rows; r++) bits += rng.next() < 0.5 ? "1" : "0";
    return { id: `r${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 };
  });
  const spec: CampaignSpec = { benchFile, ...(models ? { modelIds: models } : {}), collapse: true, vectors, engine: "fast", drop: true };
  // what coverage's expected-response check leaves (untimed, as the check is the command's own serial work for every --jobs)
  const goodRuns = vectors.map((v) => [packGoodRun(goodResponse(net, v).run)]);
  console.log(`bnn-784x1024x10, ${models ? `${models.length} models (no resistive opens)` : "every shipped model"}: ${fmt(universe.faults.length)} collapsed faults × ${n} random vectors; ${availableParallelism()} cores; ${nRuns} runs of each, interleaved`);
  const all: JobsRun[] = [];
  const only = process.env.JOBS_CASES ?? "both"; // alone | coverage | both
  const cases = (
    [
      ["the campaign alone (a fresh pool; the good machine simulated on it)", false],
      ["as coverage runs it (threads started and warmed up beforehand, while coverage enumerates; the faults shared and the check's good runs handed over)", true],
    ] as const
  ).filter(([, asCoverage]) => only === "both" || (only === "coverage") === asCoverage);
  for (const [label, asCoverage] of cases) {
    console.log(` ${label}:`);
    const runs: JobsRun[] = [];
    for (let k = 0; k < nRuns; k++) {
      for (const jobs of [1, 2]) {
        const pool = asCoverage ? createJobPool(jobs) : undefined;
        if (pool) await startCampaignThreads(pool);
        // coverage's warm-up (beside its enumeration there; here before the timed campaign, its own time printed)
        const w0 = performance.now();
        const wCpu0 = process.cpuUsage();
        const warm = pool ? await warmCampaignThreads(pool, spec, net, bench, loaded) : undefined;
        const wCpu = process.cpuUsage(wCpu0);
        // coverage encodes the shared fault table once the universe is enumerated (its own serial work for every --jobs)
        const s0 = performance.now();
        const sharedFaults = pool ? await shareFaultsAsync(universe.faults) : undefined;
        const warmNote = warm ? `; before it: warm-up ${((performance.now() - w0) / 1000).toFixed(2)} s, ${((wCpu.user + wCpu.system) / 1e6).toFixed(2)} CPU-s; faults shared in ${((performance.now() - s0) / 1000).toFixed(2)} s` : "";
        const load = loadavg()[0];
        const cpu0 = process.cpuUsage();
        const t = performance.now();
        const r = await runParallelCampaign(spec, net, universe.faults, { jobs, analysis: universe.analysis, ...(pool ? { pool, goodRuns, sharedNet: warm!.sharedNet, sharedFaults } : {}) });
        const wallS = (performance.now() - t) / 1000;
        const cpu = process.cpuUsage(cpu0);
        await pool?.close();
        const digest = createHash("sha256").update(JSON.stringify(r.outcomes)).digest("hex").slice(0, 16);
        const threadCpuS = (r.threadCpuMs ?? []).map((x) => x / 1000);
        // process CPU minus the threads' slices: thread start-up, the good machine, sharing the faults, joining the tables
        const otherCpuS = (cpu.user + cpu.system) / 1e6 - threadCpuS.reduce((s, x) => s + x, 0);
        runs.push({ jobs, wallS, evaluations: r.evaluations, digest, load, threadCpuS, otherCpuS });
        const spans = (r.threadEngineSpanMs ?? []).map(([a, b]) => `${(a / 1000).toFixed(2)}–${(b / 1000).toFixed(2)}`).join(", ");
        const ends = (r.threadEngineSpanMs ?? []).map(([, b]) => b);
        const apart = ends.length > 1 ? ` (ended ${Math.round(Math.max(...ends) - Math.min(...ends))} ms apart)` : "";
        const setups = (r.threadPhaseMs ?? []).map((p) => (p.setup / 1000).toFixed(2)).join(" / ");
        console.log(`  run ${k + 1} --jobs ${jobs}: ${wallS.toFixed(2)} s wall; CPU per slice ${threadCpuS.map((x) => x.toFixed(2)).join(" + ")} s, other ${otherCpuS.toFixed(2)} CPU-s; engine runs at ${spans} s${apart}, set-up ${setups} s; outcomes ${digest}; load ${load.toFixed(1)}${warmNote}`);
      }
    }
    const of = (jobs: number) => runs.filter((r) => r.jobs === jobs).map((r) => r.wallS);
    const [w1, w2] = [of(1), of(2)];
    const same = runs.every((r) => r.digest === runs[0].digest);
    // each run's --jobs 1 over the --jobs 2 right after it: this VM's speed drifts by ±30 % over minutes, a pair seconds apart shares it
    const pairs = w1.map((a, k) => a / w2[k]);
    console.log(
      `  --jobs 1: min ${Math.min(...w1).toFixed(2)} / median ${median(w1).toFixed(2)} s; --jobs 2: min ${Math.min(...w2).toFixed(2)} / median ${median(w2).toFixed(2)} s; ` +
        `speedup ${(median(w1) / median(w2)).toFixed(2)}× (medians), ${(Math.min(...w1) / Math.min(...w2)).toFixed(2)}× (minima), ${median(pairs).toFixed(2)}× (median of the runs' pairs: ${pairs.map((x) => x.toFixed(2)).join(", ")}); ` +
        `${fmt(runs[0].evaluations / median(w1))} → ${fmt(runs[0].evaluations / median(w2))} evaluations per wall-second; same outcomes every run: ${same ? "yes" : "NO"}`,
    );
    // the split alone, free of what else shares the two cores: --jobs 1's slice CPU over the busier --jobs 2 thread's (2.00× = a perfect split);
    // the wall speedup also pays for the CPU outside the slices (V8 compiling each thread's engine, GC, the main thread), which --jobs 1 gets on the idle core
    const cpu1 = median(runs.filter((r) => r.jobs === 1).map((r) => r.threadCpuS[0]));
    const cpu2 = median(runs.filter((r) => r.jobs === 2).map((r) => Math.max(...r.threadCpuS)));
    const other = (jobs: number) => median(runs.filter((r) => r.jobs === jobs).map((r) => r.otherCpuS)).toFixed(2);
    console.log(`  split of the engine's CPU: ${(cpu1 / cpu2).toFixed(2)}× (median slice CPU ${cpu1.toFixed(2)} s → busier thread ${cpu2.toFixed(2)} s); CPU outside the slices, median: ${other(1)} → ${other(2)} s`);
    all.push(...runs);
  }
  console.log(`  peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB (this process; threads share it)`);
  return all;
}
