/**
 * Sharded coverage and merge: three real processes (`coverage --shard i/3 --out …`, run at
 * once) merged give the JSON report of one unsharded run, byte for byte but for the
 * timing field; the cluster's index variables pick the same shard as the flag; merge
 * refuses missing, duplicated, mismatched and truncated parts with located errors.
 * The shard hash is FNV-1a 32, checked against the published test vectors.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fnv1a32, inShard, parseShard, shardFromEnv } from "../../src/faultsim/fault-shard.ts";
import { repoRoot, runCli } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-shard-"));
const program = join(repoRoot, "fixtures", "coverage", "mlp-16x8x4-random8.json");
const untimed = (json: string) => json.replace(/"elapsedMs":[\d.e+-]+/, '"elapsedMs":0');

function cliProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "snn-atpg.js"), ...args], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the shard hash", () => {
  it("is FNV-1a 32 (published vectors: '' → 0x811c9dc5, 'a' → 0xe40c292c, 'foobar' → 0xbf9cf968)", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
    expect(inShard("a", { index: 0xe40c292c % 3, count: 3 })).toBe(true);
  });

  it("takes its index from --shard, Kubernetes or Slurm, with located errors", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(() => parseShard("3/3")).toThrow(/from 0 to 2/);
    expect(() => parseShard("1-3")).toThrow(/INDEX\/COUNT/);
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: "1" }, 3)).toEqual({ index: 1, count: 3 });
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: "1" })).toThrow(/--shard-count/);
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "3" })).toEqual({ index: 2, count: 3 });
    expect(shardFromEnv({})).toBeNull();
  });
});

describe("coverage --shard + merge", () => {
  const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.jsonl`));

  it("three shard processes run at once, merged: the unsharded JSON report", async () => {
    const runs = await Promise.all(parts.map((out, i) => cliProcess(["coverage", "mlp-16x8x4", program, "--shard", `${i}/3`, "--out", out, "--jobs", "1"])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const counts = parts.map((p) => readFileSync(p, "utf8").trim().split("\n").length - 2);
    const whole = runCli(["coverage", "mlp-16x8x4", program, "--json"]);
    expect(whole.code, whole.stderr).toBe(0);
    const universe = (JSON.parse(whole.stdout) as { faults: unknown[] }).faults.length;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(universe); // the shards cover the universe once
    for (const c of counts) expect(c).toBeGreaterThan(universe / 6); // and the hash spreads it
    const merged = runCli(["merge", ...parts, "--json"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(untimed(merged.stdout)).toBe(untimed(whole.stdout));
  }, 120_000);

  it("JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID pick the shard --shard picks", async () => {
    const k8s = join(dir, "k8s-1.jsonl");
    const slurm = join(dir, "slurm-1.jsonl");
    expect((await cliProcess(["coverage", "mlp-16x8x4", program, "--out", k8s, "--shard-count", "3"], { JOB_COMPLETION_INDEX: "1" })).code).toBe(0);
    expect((await cliProcess(["coverage", "mlp-16x8x4", program, "--out", slurm], { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "3" })).code).toBe(0);
    const body = (f: string) => readFileSync(f, "utf8").replace(/"elapsedMs":[\d.e+-]+/, "");
    expect(body(k8s)).toBe(body(parts[1]));
    expect(body(slurm)).toBe(body(parts[1]));
  }, 120_000);

  it("refuses a missing, a duplicated, a mismatched and a truncated part (exit 2, located)", async () => {
    const missing = await runMain(["merge", parts[0], parts[1]]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard\(s\) 2\/3 missing/);

    const dup = await runMain(["merge", parts[0], parts[1], parts[2], parts[1]]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain(`${parts[1]}:1: shard 1/3 is also ${parts[1]}`);

    const other = join(dir, "other-2.jsonl"); // shard 2 of a campaign with other models
    expect((await runMain(["coverage", "mlp-16x8x4", program, "--models", "dead-synapse", "--shard", "2/3", "--out", other])).code).toBe(0);
    const mixed = await runMain(["merge", parts[0], parts[1], other]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(new RegExp(`${other.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1: fault models and parameters differs from ${parts[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1`));

    const cut = join(dir, "cut-2.jsonl");
    const lines = readFileSync(parts[2], "utf8").trim().split("\n");
    writeFileSync(cut, `${lines.slice(0, -3).join("\n")}\n`);
    const truncated = await runMain(["merge", parts[0], parts[1], cut]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/cut-2\.jsonl.*line \d+.*truncated/);
  }, 120_000);
});
