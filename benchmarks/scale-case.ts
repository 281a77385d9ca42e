/**
 * One measured case of the scale benchmark (scale-benchmark.ts), run in a process of its
 * own so that `/usr/bin/time` gives its wall time, CPU-seconds (every thread) and peak
 * resident memory: `node --import tsx benchmarks/scale-case.ts <case> <jobs>`. Prints one
 * JSON line: what the case computed (a digest, to check every --jobs gives the same) and
 * its own figures (evaluations, per-thread set-up CPU-s).
 *
 *   bnn          the bnn-784x1024x10 fault campaign (7 models, 1.22 M faults × SCALE_VECTORS random vectors)
 *   bnn-setup    what one of <jobs> pool threads builds before its slice (bench, chip, the universe walked, its slice's faults built), CPU-s
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { runParallelCampaign, type CampaignSpec, type FaultSimVector } from "../src/faultsim/index.ts";
import { sliceUniverse } from "../src/faultsim/fault-sim-task.ts";
import { createRng, patternEvents } from "../src/sim/index.ts";

const root = join(import.meta.dirname, "..");
const digest = (x: unknown) => createHash("sha256").update(JSON.stringify(x)).digest("hex").slice(0, 16);
const cpuS = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** The bnn campaign's spec: 7 models (opens excluded), random vectors (seeded). */
export function bnnSpec(vectors = Number(process.env.SCALE_VECTORS ?? 16)): CampaignSpec {
  const benchFile = join(root, "testbenches", "bnn-784x1024x10.json");
  const rows = 784;
  const rng = createRng(16);
  const vs: FaultSimVector[] = Array.from({ length: vectors }, (_, k) => {
    let bits = "";
    for (let r = 0; r < rows; r++) bits += rng.next() < 0.5 ? "1" : "0";
    return { id: `r${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 };
  });
  const modelIds = ["dead-synapse", "retention-flip", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"];
  return { benchFile, modelIds, collapse: true, vectors: vs, engine: "fast", drop: true };
}

const cases: Record<string, (jobs: number) => Promise<Record<string, unknown>>> = {
  async bnn(jobs) {
    const spec = bnnSpec();
    const c0 = process.cpuUsage();
    const { net, universe, faults } = sliceUniverse(spec);
    const setupCpuS = cpuS(process.cpuUsage(c0));
    const r = await runParallelCampaign(spec, net, faults, { jobs, analysis: universe.analysis });
    return { faults: faults.length, evaluations: r.evaluations, mainSetupCpuS: setupCpuS, threadElapsedMs: r.threadElapsedMs, digest: digest(r.outcomes) };
  },
  async "bnn-setup"(jobs) {
    // what one of `jobs` pool threads builds for its slice (jobs 1: the whole universe, as the main thread does)
    const all = sliceUniverse(bnnSpec()).faults.length;
    const c0 = process.cpuUsage();
    const { faults } = sliceUniverse(bnnSpec(), { start: 0, end: Math.round(all / jobs) });
    return { faults: all, slice: faults.length, setupCpuS: cpuS(process.cpuUsage(c0)) };
  },
};

const [name, jobsText] = process.argv.slice(2);
if (!cases[name]) {
  console.error(`scale-case: unknown case "${name}" (${Object.keys(cases).join(", ")})`);
  process.exit(2);
}
console.log(JSON.stringify(await cases[name](Number(jobsText ?? 1))));
