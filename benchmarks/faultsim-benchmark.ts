/**
 * Fault-simulation benchmark on bnn-784x1024x10 (`npm run bench -- faultsim`): the fast
 * engine's whole campaign over 64 random binary vectors (3 windows, density 0.5, fixed
 * seed), fault dropping on, repeated FAULTSIM_RUNS times (default 3) — every figure is
 * the min / median over the runs, CPU-seconds beside wall-seconds, with the load average
 * at the start and end of each run (2 cores shared with other jobs: CPU-s is the guide).
 * Then the cost of one evaluation per path (cell faults vs resistive opens in the line,
 * same vectors, no dropping) and the reference engine's rate for the speedup.
 *
 *   FAULTSIM_MODELS=all      every shipped model, resistive opens included (3.66 M faults; default: the 7 non-open models, 1.22 M)
 *   FAULTSIM_RUNS=3          campaign repetitions (the full bnn universe is minutes of CPU: 1 on a busy machine)
 *   FAULTSIM_THREADS=1       N pool threads (default 1: as `coverage --jobs 1` runs a big campaign, on one pool thread
 *                            started from the build when dist/ is current); 0 = the engine in this thread, from the
 *                            TypeScript sources through tsx (whose kept function names cost the engine's closures ~30 %)
 *
 * CPU figures: on the pool, the engine's own thread CPU (its set-up, vector loop and outcomes; not the
 * thread's start, the chip compiled or its faults built: those are shown apart) and the whole process's
 * CPU (V8's collector threads included); in this thread, the process's CPU.
 *   FAULTSIM_REFERENCE_SECONDS=10   reference-engine budget (0 = one fault)
 *
 *   npm run bench -- faultsim
 *   FAULTSIM_MODELS=all FAULTSIM_RUNS=1 FAULTSIM_REFERENCE_SECONDS=0 nice npm run bench -- faultsim
 */
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../src/faults/index.ts";
import type { Fault } from "../src/faults/fault.ts";
import { classOfCode, coverageOfResult, faultEngines, outcomeTableOf, runParallelCampaign, type CampaignSpec, type FaultSimResult, type FaultSimVector } from "../src/faultsim/index.ts";
import { compileNetwork, createRng, patternEvents } from "../src/sim/index.ts";

const root = join(import.meta.dirname, "..");
const sevenModels = ["dead-synapse", "retention-flip", "slow-to-integrate", "fast-to-integrate", "slow-to-leak", "fast-to-leak", "dead-neuron"];

const cpuSecondsSince = (t: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1e6;
};
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
/** "min a / median b" of a list. */
const minMed = (xs: number[], digits = 2, unit = "") => {
  const s = sorted(xs);
  return `min ${s[0].toFixed(digits)}${unit} / median ${s[Math.floor((s.length - 1) / 2)].toFixed(digits)}${unit}`;
};

/** A digest of every fault's class and first vectors: equal digests = identical outcomes (from the outcome table: the same text per fault as the outcome objects would give). */
function outcomeDigest(r: FaultSimResult, vectors: readonly FaultSimVector[]): string {
  const t = outcomeTableOf(r);
  if (!t) throw new Error("the engine's result has no outcome table");
  let h = 0x811c9dc5;
  const ids = vectors.map((v) => v.id);
  for (let k = 0; k < t.cls.length; k++) {
    const cls = classOfCode[t.cls[k]];
    const fv = cls === "UD" ? -1 : t.firstVector[k];
    const fp = cls === "UD" ? -1 : t.firstPossibleVector[k];
    const s = `${cls}${fv >= 0 ? ids[fv] : "-"}${fp >= 0 ? ids[fp] : "-"};`;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

export default async function faultsimBenchmark(): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const benchFile = join(root, "testbenches", "bnn-784x1024x10.json");
  const { bench } = loadTestbench(benchFile);
  const net = compileNetwork(bench);
  const modelIds = process.env.FAULTSIM_MODELS === "all" ? undefined : sevenModels;
  const models = loadFaultModels(undefined, modelIds);
  const universe = enumerateFaults(net, bench, models, { collapse: true });
  const enumWall = (performance.now() - t0) / 1000;
  const enumCpu = cpuSecondsSince(cpu0);
  console.log(
    `bnn-784x1024x10: ${fmt(universe.faults.length)} collapsed faults (${fmt(universe.counts.total.uncollapsed)} uncollapsed) of ${models.length} models (${models.map((m) => m.id).join(", ")})`,
  );
  console.log(`  loaded, compiled and enumerated in ${enumWall.toFixed(2)} s wall, ${enumCpu.toFixed(1)} CPU-s`);
  console.log(`machine: ${availableParallelism()} cores, load average ${load()} (1/5/15 min) at start`);

  const rng = createRng(64);
  const rows = net.layers[0].rows;
  const vectors: FaultSimVector[] = Array.from({ length: 64 }, (_, k) => {
    let bits = "";
    for (let r = 0; r < rows; r++) bits += rng.next() < 0.5 ? "1" : "0";
    return { id: `r${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 };
  });

  const threads = Number(process.env.FAULTSIM_THREADS ?? 1);
  if (threads >= 1) console.log(`engine on ${threads} pool thread(s) ${process.env.SNN_ATPG_TASKS_FROM_BUILD === "1" ? "started from the build (dist/), as the CLI's" : "started from the TypeScript sources (dist/ is not current)"}`);
  const runs = Math.max(1, Number(process.env.FAULTSIM_RUNS ?? 3));
  const spec: CampaignSpec = { benchFile, modelIds, collapse: true, vectors, engine: "fast", drop: true };
  const walls: number[] = [];
  const cpus: number[] = [];
  const processCpus: number[] = [];
  const loopCpus: number[] = [];
  const digests = new Set<string>();
  let last: FaultSimResult | null = null;
  for (let run = 0; run < runs; run++) {
    const loadStart = load();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const r =
      threads === 0
        ? faultEngines.fast.run(net, universe.faults, vectors, { drop: true, analysis: universe.analysis })
        : await runParallelCampaign(spec, net, universe.faults, { jobs: threads, analysis: universe.analysis, minFaultsPerJob: 1 });
    const wall = (performance.now() - w0) / 1000;
    const processCpu = cpuSecondsSince(c0);
    // the engine's CPU: its threads' (pool) or this process's (in this thread)
    const cpu = r.threadEngineCpuMs ? r.threadEngineCpuMs.reduce((a, x) => a + x, 0) / 1000 : processCpu;
    walls.push(wall);
    cpus.push(cpu);
    processCpus.push(processCpu);
    digests.add(outcomeDigest(r, vectors));
    const ph = r.phaseMs;
    if (ph) loopCpus.push(ph.vectorsCpu / 1000);
    console.log(
      `run ${run + 1}/${runs}, ${threads === 0 ? "this thread" : `${threads} pool thread(s)`}: ${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} CPU-s` +
        (r.threadEngineCpuMs ? ` engine threads (slices ${r.threadCpuMs!.map((x) => (x / 1000).toFixed(1)).join(" + ")} CPU-s with start-up; process ${processCpu.toFixed(1)} CPU-s)` : "") +
        (ph ? ` (setup ${(ph.setup / 1000).toFixed(1)} s, vectors ${(ph.vectors / 1000).toFixed(1)} s wall / ${(ph.vectorsCpu / 1000).toFixed(1)} CPU-s, outcomes ${(ph.outcomes / 1000).toFixed(1)} s)` : "") +
        `; load ${loadStart} → ${load()}`,
    );
    last = r;
  }
  const fast = last!;
  const evals = fast.evaluations;
  console.log(`fast engine: ${fmt(evals)} fault-vector evaluations per run (${fmt(fast.fastPathEvaluations)} on the fast path)`);
  console.log(`  by path: ${Object.entries(fast.pathEvaluations ?? {}).map(([k, n]) => `${k} ${fmt(n)}`).join(", ")}`);
  console.log(`  campaign: wall ${minMed(walls, 1, " s")}, CPU ${minMed(cpus, 1, " s")} (${threads === 0 ? "this process" : "the engine's threads"}; process ${minMed(processCpus, 1, " s")}; ${runs} run(s))`);
  console.log(`  = ${minMed(cpus.map((c) => evals / c / 1e6), 2)} M evaluations per CPU-s for the whole campaign (best is the first figure's max: ${(evals / sorted(cpus)[0] / 1e6).toFixed(2)} M)`);
  if (threads > 0) console.log(`  = ${(evals / sorted(processCpus)[0] / 1e6).toFixed(2)} M per CPU-s of the whole process at best (thread start, the chip compiled, its faults built and the collector's threads included)`);
  if (loopCpus.length > 0) console.log(`  vector loop alone: CPU ${minMed(loopCpus, 1, " s")} = ${(evals / sorted(loopCpus)[0] / 1e6).toFixed(2)} M evaluations per CPU-s at best`);
  console.log(`  outcomes identical in every run: ${digests.size === 1 ? "yes" : "NO"} (digest ${[...digests].join(", ")})`);
  console.log(`  peak RSS of this process so far ${fmt(process.resourceUsage().maxRSS / 1024)} MB; load average ${load()} at the end`);
  const c = coverageOfResult(fast, universe.faults).total;
  console.log(`  coverage of the 64 random vectors: DT ${fmt(c.DT)}, PD ${fmt(c.PD)}, ND ${fmt(c.ND)}, UD ${fmt(c.UD)}; FC ${(100 * c.faultCoverage).toFixed(2)} %, TC ${(100 * c.testCoverage).toFixed(2)} %`);
  console.log(`  end to end (load + enumeration + the best campaign): ${(enumWall + sorted(walls)[0]).toFixed(1)} s wall, ${(enumCpu + sorted(cpus)[0]).toFixed(1)} CPU-s (target ≤ 30 s on 2 idle cores)`);

  // One evaluation per path: the same 8 vectors, no dropping, a sample of each class.
  const l0 = universe.faults.filter((f) => f.layer === 0);
  const cls = (pred: (f: Fault) => boolean) => l0.filter(pred).filter((_, i) => i % 8 === 0).slice(0, 50_000);
  const classes: [string, Fault[]][] = [
    ["dead synapse (cell path)", cls((f) => f.modelId === "dead-synapse")],
    ["resistive open in the line (segment path)", cls((f) => f.modelId === "resistive-open" && f.site.kind === "segment")],
    ["resistive open in a cell (cell path)", cls((f) => f.modelId === "resistive-open" && f.site.kind === "cell-series")],
  ];
  const perEval: Record<string, number[]> = {};
  for (const [name, fs] of classes) {
    if (fs.length === 0) continue;
    perEval[name] = [];
    for (let k = 0; k < 3; k++) {
      const r = faultEngines.fast.run(net, fs, vectors.slice(0, 8), { drop: false, analysis: universe.analysis });
      perEval[name].push((r.phaseMs!.vectorsCpu * 1000) / r.evaluations);
      if (k === 2) console.log(`${name}: ${fmt(fs.length)} layer-0 faults × 8 vectors, no dropping: ${minMed(perEval[name], 3, " µs")} CPU per evaluation (vector loop; 3 runs; ${Object.entries(r.pathEvaluations ?? {}).filter(([, n]) => n > 0).map(([p, n]) => `${p} ${fmt(n)}`).join(", ")})`);
    }
  }
  const cellCost = sorted(perEval[classes[0][0]] ?? [NaN])[0];
  const openCost = sorted(perEval[classes[1][0]] ?? [NaN])[0];
  if (Number.isFinite(openCost)) console.log(`  open in the line vs cell fault, per evaluation (min over runs): ${(openCost / cellCost).toFixed(2)}× (target ≤ 2×)`);

  // Reference engine: random faults, the first 8 vectors, no dropping, until the budget is spent.
  const budgetMs = 1000 * Number(process.env.FAULTSIM_REFERENCE_SECONDS ?? 10);
  const sampleRng = createRng(7);
  let refEvals = 0;
  let sampled = 0;
  const cpuRef0 = process.cpuUsage();
  const tRef = performance.now();
  while (performance.now() - tRef < budgetMs || sampled === 0) {
    const f = universe.faults[Math.floor(sampleRng.next() * universe.faults.length)];
    refEvals += faultEngines.reference.run(net, [f], vectors.slice(0, 8), { drop: false, analysis: universe.analysis }).evaluations;
    sampled++;
  }
  const refCpu = cpuSecondsSince(cpuRef0);
  const refRate = refEvals / refCpu;
  console.log(`reference engine: ${refEvals} evaluations (${sampled} random faults × 8 vectors, no dropping) in ${refCpu.toFixed(1)} CPU-s = ${refRate.toFixed(1)} per CPU-s`);
  console.log(`speedup, evaluations per CPU-s of the whole fast campaign: ${fmt(evals / sorted(cpus)[0] / refRate)}×`);
}
