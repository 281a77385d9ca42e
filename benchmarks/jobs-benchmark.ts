/**
 * `--jobs` scaling (`npm run bench -- jobs`): the fault campaign of bnn-784x1024x10
 * (dead-synapse, retention-flip and the neuron models, 1.22 M faults) against 16 random
 * vectors, on the job pool with 1 and with 2 threads: wall time, fault-vector evaluations
 * per wall-second, parallel efficiency (speedup / threads), and that both runs give the
 * same outcomes. Wall figures are only meaningful on an idle machine; the load average
 * is printed beside them.
 *
 *   npm run bench -- jobs
 *   JOBS_VECTORS=64 npm run bench -- jobs
 */
import { createHash } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../src/faults/index.ts";
import { runParallelCampaign, type CampaignSpec, type FaultSimVector } from "../src/faultsim/index.ts";
import { compileNetwork, createRng, patternEvents } from "../src/sim/index.ts";

const root = join(import.meta.dirname, "..");
const models = ["dead-synapse", "retention-flip", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"];
const fmt = (n: number) => Math.round(n).toLocaleString("en");

/** The bnn campaign with --jobs 1 and 2: wall seconds, evaluations, outcome digest and the load average at the start of each. */
export interface JobsRun {
  jobs: number;
  wallS: number;
  evaluations: number;
  digest: string;
  load: number;
  /** CPU-s of each thread's slice. */
  threadCpuS: number[];
  /** CPU-s of the process outside the slices (thread start-up, sharing, joining). */
  otherCpuS: number;
}

export default async function jobsBenchmark(): Promise<void> {
  await measureBnnJobs();
}

export async function measureBnnJobs(): Promise<JobsRun[]> {
  const benchFile = join(root, "testbenches", "bnn-784x1024x10.json");
  const { bench } = loadTestbench(benchFile);
  const net = compileNetwork(bench);
  const universe = enumerateFaults(net, bench, loadFaultModels(undefined, models), { collapse: true });
  const rng = createRng(16);
  const rows = net.layers[0].rows;
  const n = Number(process.env.JOBS_VECTORS ?? 16);
  const vectors: FaultSimVector[] = Array.from({ length: n }, (_, k) => {
    let bits = "";
    for (let r = 0; r < rows; r++) bits += rng.next() < 0.5 ? "1" : "0";
    return { id: `r${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 };
  });
  const spec: CampaignSpec = { benchFile, modelIds: models, collapse: true, vectors, engine: "fast", drop: true };
  console.log(`bnn-784x1024x10: ${fmt(universe.faults.length)} collapsed faults × ${n} random vectors; ${availableParallelism()} cores`);
  const runs: JobsRun[] = [];
  for (const jobs of [1, 2]) {
    const load = loadavg()[0];
    const cpu0 = process.cpuUsage();
    const t = performance.now();
    const r = await runParallelCampaign(spec, net, universe.faults, { jobs, analysis: universe.analysis });
    const wallS = (performance.now() - t) / 1000;
    const mainCpuS = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1e6;
    const digest = createHash("sha256").update(JSON.stringify(r.outcomes)).digest("hex").slice(0, 16);
    const threadCpuS = (r.threadCpuMs ?? []).map((x) => x / 1000);
    // Process CPU minus the threads' slices = this thread's share (sharing the faults, joining the tables) plus thread start-up.
    const otherCpuS = mainCpuS - threadCpuS.reduce((s, x) => s + x, 0);
    runs.push({ jobs, wallS, evaluations: r.evaluations, digest, load, threadCpuS, otherCpuS });
    console.log(
      `  --jobs ${jobs}: ${wallS.toFixed(1)} s wall (thread start-up included), ${fmt(r.evaluations / wallS)} evaluations per wall-second; ` +
        `CPU per slice ${threadCpuS.map((x) => x.toFixed(1)).join(" + ")} s, other ${otherCpuS.toFixed(1)} CPU-s; outcomes ${digest}; load average ${load.toFixed(1)} at start`,
    );
  }
  const speedup = runs[0].wallS / runs[1].wallS;
  // On a busy machine wall time measures the neighbours: the CPU critical path (the slowest slice plus everything else, which is serial) is what 2 idle cores would give.
  const critical = (r: JobsRun) => Math.max(...r.threadCpuS) + r.otherCpuS;
  console.log(`  speedup ${speedup.toFixed(2)}× wall, parallel efficiency ${((100 * speedup) / 2).toFixed(0)} %; CPU critical path ${critical(runs[0]).toFixed(1)} → ${critical(runs[1]).toFixed(1)} s = ${(critical(runs[0]) / critical(runs[1])).toFixed(2)}× on idle cores; same outcomes: ${runs[0].digest === runs[1].digest ? "yes" : "NO"}; peak RSS ${fmt(process.resourceUsage().maxRSS / 1024)} MB (this process; threads share it)`);
  return runs;
}
