/**
 * Start-up figures: wall time of whole `snn-atpg` processes, as a user sees them, over
 * repeated runs (min and median): `--version`, `simulate black-pixel-4x1`, bare node
 * for reference, and the same two commands from the TypeScript sources through tsx
 * (what every run cost before the build). Goals (issue 12): --version ≤ 0.25 s,
 * simulate ≤ 0.5 s on an idle machine. CPU time (user + system, from /usr/bin/time) is
 * printed too: on a loaded machine it is the better estimate of the idle wall time.
 *
 *   npm run bench -- startup
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { buildDist } from "../scripts/build.mjs";
import { distState } from "../scripts/dist-freshness.mjs";

const root = join(import.meta.dirname, "..");
const fromSources =
  "const { register } = await import('tsx/esm/api'); register(); const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(process.argv);";

/** GNU time, to read a child's CPU time (user + system); wall time alone is at the mercy of load. */
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : null;

interface Spread {
  min: number;
  median: number;
}
const spread = (xs: number[]): Spread => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor((s.length - 1) / 2)] };
};

/** Wall and CPU time (s) of `runs` runs of node with `args`, after one warm-up run. */
function timeRuns(args: string[], runs: number): { wall: Spread; cpu: Spread | null } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const r = gnuTime
      ? spawnSync(gnuTime, ["-f", "cpu %U %S", process.execPath, ...args], { cwd: root, encoding: "utf8" })
      : spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    const s = (performance.now() - t) / 1000;
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    if (i === 0) continue; // the first run warms the file cache
    wall.push(s);
    const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    if (m) cpu.push(Number(m[1]) + Number(m[2]));
  }
  return { wall: spread(wall), cpu: cpu.length === runs ? spread(cpu) : null };
}

export default async function startupBenchmark(): Promise<void> {
  if (distState(root) !== "fresh") await buildDist();
  const runs = 15;
  const cases: [string, string[], number][] = [
    ["node -e 0 (bare node)", ["-e", "0"], runs],
    ["snn-atpg --version", ["bin/snn-atpg.js", "--version"], runs],
    ["snn-atpg simulate black-pixel-4x1", ["bin/snn-atpg.js", "simulate", "black-pixel-4x1"], runs],
    ["  from the sources via tsx: --version", ["--input-type=module", "-e", fromSources, "x", "--version"], 5],
    ["  from the sources via tsx: simulate", ["--input-type=module", "-e", fromSources, "x", "simulate", "black-pixel-4x1"], 5],
  ];
  console.log(`whole processes, node ${process.version}, load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} core(s)`);
  const f = (x: Spread) => `min ${x.min.toFixed(3)} s  median ${x.median.toFixed(3)} s`;
  for (const [name, args, n] of cases) {
    const { wall, cpu } = timeRuns(args, n);
    console.log(`${name.padEnd(40)} wall ${f(wall)}   cpu ${cpu ? f(cpu) : "n/a (no /usr/bin/time)"}  (${n} runs)`);
  }
}
