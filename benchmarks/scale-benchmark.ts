/**
 * Scale (`npm run bench -- scale`, issue 16): what `--jobs` and shards buy.
 *
 *   bnn        the bnn-784x1024x10 fault campaign with --jobs 1 and 2 (jobs-benchmark.ts):
 *              evaluations per second, parallel efficiency, peak resident memory
 *   shards     3 local `coverage --shard i/3` processes + `merge` against one unsharded
 *              run on seed003-dmtj-mlp-400x100x10 (random program): total time, identical report
 *   commands   --jobs 1 against --jobs 2 for sweep-open, retention, lifetime (the built CLI),
 *              criticality and the dictionary build (library, pool threads from the sources)
 *              on their largest shipped benches
 *
 * Every figure is printed with the 1-minute load average when it started: on a shared
 * machine a speed-up is only as good as the idle cores it had. Run it with `nice`.
 *
 *   nice npm run bench -- scale
 *   SCALE_PARTS=commands nice npm run bench -- scale
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { criticalityOnPool, dictionaryOnPool } from "../src/characterise/campaign-runs.ts";
import { faultCriticality } from "../src/characterise/criticality.ts";
import { sampleFaults } from "../src/characterise/fault-sample.ts";
import { mnistSplit } from "../src/classifier/mnist-dataset.ts";
import { loadFaultModels } from "../src/faults/fault-model-loader.ts";
import { buildDictionary } from "../src/faultsim/fault-dictionary.ts";
import { loadProgram } from "../src/formats/program-loader.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { createJobPool } from "../src/parallel/job-pool.ts";
import { compileNetwork, createRng } from "../src/sim/index.ts";
import { fixtureProgram, goodChipSpikes } from "../scripts/fixture-program.ts";
import { buildDist } from "../scripts/build.mjs";
import { measureBnnJobs } from "./jobs-benchmark.ts";

const root = join(import.meta.dirname, "..");
const run = promisify(execFile);
const load = () => loadavg()[0].toFixed(1);
const cli = (args: string[]) => run(process.execPath, [join(root, "bin", "snn-atpg.js"), ...args], { cwd: root, maxBuffer: 1 << 28 });

async function timed<T>(f: () => Promise<T>): Promise<{ s: number; value: T; load: string }> {
  const l = load();
  const t = performance.now();
  const value = await f();
  return { s: (performance.now() - t) / 1000, value, load: l };
}

/** A random-pattern program for a bench, expected spikes from the simulator. */
function randomProgram(benchFile: string, vectors: number, out: string): string {
  const lb = loadTestbench(benchFile);
  const net = compileNetwork(lb.bench);
  const { iwPs, lwPs } = lb.bench.timing;
  const rng = createRng(16);
  const rows = net.layers[0].rows;
  const vs = Array.from({ length: vectors }, (_, k) => {
    const pattern = [Array.from({ length: rows }, () => (rng.next() < 0.5 ? "1" : "0")).join("")];
    return { id: `r${k}`, iwPs, lwPs, windows: 3, pattern, repetitions: 1, expected: goodChipSpikes(net, pattern, 3, iwPs, lwPs) };
  });
  writeFileSync(out, JSON.stringify(fixtureProgram(lb, vs, { generator: "benchmarks/scale-benchmark.ts", note: `${vectors} random patterns` })));
  return out;
}

const untimed = (json: string) => json.replace(/"elapsedMs":[\d.]+/g, '"elapsedMs":0').replace(/"generatedAt":"[^"]*"/g, "");

async function shards(dir: string): Promise<void> {
  const bench = join(root, "testbenches", "seed003-dmtj-mlp-400x100x10.json");
  const program = randomProgram(bench, 8, join(dir, "seed003-random8.json"));
  console.log(`\nshards: seed003-dmtj-mlp-400x100x10, 8 random vectors, every shipped fault model (built CLI, --jobs 1 per process)`);
  const whole = await timed(() => cli(["coverage", bench, program, "--json", "--jobs", "1"]));
  console.log(`  unsharded: ${whole.s.toFixed(1)} s (load ${whole.load})`);
  const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.jsonl`));
  const sharded = await timed(async () => {
    await Promise.all(parts.map((out, i) => cli(["coverage", bench, program, "--shard", `${i}/3`, "--out", out, "--jobs", "1"])));
    return cli(["merge", ...parts, "--json"]);
  });
  const same = untimed(sharded.value.stdout) === untimed(whole.value.stdout);
  console.log(`  3 shard processes + merge: ${sharded.s.toFixed(1)} s (load ${sharded.load}); report identical to the unsharded one: ${same ? "yes" : "NO"}`);
}

interface CommandCase {
  name: string;
  what: string;
  one: () => Promise<unknown>;
  two: () => Promise<unknown>;
}

async function commands(dir: string): Promise<void> {
  const bnn = join(root, "testbenches", "bnn-784x1024x10.json");
  const mnistFile = join(root, "testbenches", "bnn-mnist-784x1024x10.json");
  const seed003 = join(root, "testbenches", "seed003-dmtj-mlp-400x100x10.json");
  const sites = Array.from({ length: 4 }, (_, k) => `l0.c${k * 250}.seg${k * 150}`).join(",");
  const withPool = async <T>(f: (pool: ReturnType<typeof createJobPool>) => Promise<T>) => {
    const pool = createJobPool(2);
    try {
      return await f(pool);
    } finally {
      await pool.close();
    }
  };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const cases: CommandCase[] = [
    ...(
      [
        ["sweep-open", `bnn-784x1024x10, 4 sites`, ["sweep-open", bnn, "--site", sites, "--json"]],
        ["retention", "bnn-784x1024x10, 40 trials", ["retention", bnn, "--delta", "40", "--trials", "40", "--json"]],
        ["lifetime", "bnn-mnist-784x1024x10, Δ 40,35 × 2 trials, 2 years, 20 digits", ["lifetime", mnistFile, "--delta", "40,35", "--trials", "2", "--years", "2", "--images", "20", "--json"]],
      ] as const
    ).map(([name, what, args]) => ({ name, what, one: async () => (await cli([...args, "--jobs", "1"])).stdout, two: async () => (await cli([...args, "--jobs", "2"])).stdout })),
  ];
  const lb = loadTestbench(mnistFile);
  const net = compileNetwork(lb.bench);
  const { heldOut } = mnistSplit();
  const sample = sampleFaults(net, lb.bench, loadFaultModels(), { perModel: 2, seed: 14 }).faults;
  cases.push({
    name: "criticality",
    what: `bnn-mnist-784x1024x10, ${sample.length} sampled faults × 20 digits (library)`,
    one: async () => (await faultCriticality(compileNetwork(lb.bench), sample, heldOut, { images: 20 })).effects,
    two: () => withPool(async (pool) => (await criticalityOnPool(pool, lb.bench, net, sample, heldOut, { images: 20 })).effects),
  });
  const program = randomProgram(seed003, 4, join(dir, "seed003-random4.json"));
  const d = { program: loadProgram(program), programFile: program, bench: loadTestbench(seed003) };
  const noTime = <T extends { buildMs: number }>(x: T) => ({ ...x, buildMs: 0 });
  cases.push({
    name: "dictionary",
    what: "seed003-dmtj-mlp-400x100x10, 4 random vectors, every shipped model (library)",
    one: async () => noTime(buildDictionary(d)),
    two: () => withPool(async (pool) => noTime(await dictionaryOnPool(pool, d))),
  });
  console.log(`\ncommands: --jobs 1 against --jobs 2 (wall, thread start-up included)`);
  for (const c of cases) {
    const a = await timed(c.one);
    const b = await timed(c.two);
    const speedup = a.s / b.s;
    console.log(`  ${c.name.padEnd(12)} ${c.what}: ${a.s.toFixed(1)} s (load ${a.load}) → ${b.s.toFixed(1)} s (load ${b.load}), ${speedup.toFixed(2)}× ${speedup >= 1.6 ? "≥" : "<"} 1.6×; same result: ${same(a.value, b.value) ? "yes" : "NO"}`);
  }
  console.log(`  generate     not on the pool yet (issue 16): its fault grading and guard-band Monte Carlo run in one thread`);
}

export default async function scaleBenchmark(): Promise<void> {
  const parts = new Set((process.env.SCALE_PARTS ?? "bnn,shards,commands").split(","));
  await buildDist();
  console.log(`${availableParallelism()} cores; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} at start`);
  const dir = mkdtempSync(join(tmpdir(), "snn-scale-"));
  if (parts.has("bnn")) {
    console.log(`\nbnn: the fault campaign, --jobs 1 and 2`);
    await measureBnnJobs();
  }
  if (parts.has("shards")) await shards(dir);
  if (parts.has("commands")) await commands(dir);
}
