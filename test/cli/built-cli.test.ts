/**
 * The command users run is the esbuild build in dist/ (bin/snn-atpg.js loads it), not
 * the TypeScript sources: the global setup rebuilds it when src/ is newer, this file
 * checks that it did and that the built CLI, its package-relative files and its worker
 * threads work.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { distState } from "../../scripts/dist-freshness.mjs";
import { repoRoot, runCli } from "../helpers/run-cli.ts";

describe("the built CLI", () => {
  it("dist/ is at least as new as every file under src/ (test/global-setup.ts rebuilt it)", () => {
    expect(distState(repoRoot)).toBe("fresh");
  });

  it("bin/snn-atpg.js runs the build, not the sources (no fallback note)", () => {
    const r = runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("0.1.0");
    expect(r.stderr).toBe("");
  });

  it("finds the shipped bench and every shipped fault model from dist/ (one model per file in fault-models/)", () => {
    const r = runCli(["faults", "black-pixel-4x1", "--json", "--array-models"]);
    expect(r.code, r.stderr).toBe(0);
    const shipped = readdirSync(join(repoRoot, "fault-models")).filter((f) => f.endsWith(".json"));
    const out = JSON.parse(r.stdout) as { testbench: { file: string }; models: { file: string }[] };
    expect(out.testbench.file).toBe(join(repoRoot, "testbenches", "black-pixel-4x1.json"));
    expect(out.models.map((m) => m.file).sort()).toEqual(shipped.map((f) => join(repoRoot, "fault-models", f)).sort());
  });

  it("a parallel fault campaign from the build (pool threads on dist/fault-sim-task.js) agrees with one thread", () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-built-"));
    const program = join(dir, "bp.json");
    expect(runCli(["generate", "black-pixel-4x1", "-o", program]).code).toBe(0);
    const env = { SNN_ATPG_MIN_FAULTS_PER_JOB: "1" }; // 20 faults: let them use threads
    const one = runCli(["coverage", "black-pixel-4x1", program, "--jobs", "1", "--json"], { env });
    const two = runCli(["coverage", "black-pixel-4x1", program, "--threads", "2", "--json"], { env }); // the old name still works
    expect(two.code, two.stderr).toBe(one.code);
    expect(two.stderr).toMatch(/grading 20 faults × \d+ vectors \(fast engine\) on 2 worker thread\(s\)/);
    const strip = (s: string) => s.replace(/"elapsedMs":\s*[\d.]+/g, "");
    expect(strip(two.stdout)).toBe(strip(one.stdout));
  });
});
