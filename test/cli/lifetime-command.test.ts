/**
 * `snn-atpg lifetime`: help that teaches, located errors, the two ends of seed 004 fig. 7
 * by hand derivation (Δ = 60 keeps every cell for 2 years; Δ = 35 flips every R_H cell in
 * year 1), --floor, the SVG, and a real Ctrl-C to a child process: exit 130 promptly.
 *
 * Hand derivation (retention.ts, τ0 = 1 ns, 1 year = 3.156e16 ns): A1 holds ~4e5 R_H cells.
 *   Δ = 60: P_sw(2 y) = 6.3e16·e^(−60) ≈ 5.5e−10 → expected flips 2e−4: none, accuracy unchanged.
 *   Δ = 35: P_sw(1 y) = 1 − exp(−3.156e16·e^(−35)) = 1 − e^(−19.9) → every R_H cell flips;
 *   with a fixed reference every hidden neuron then sees a current far above its threshold,
 *   all fire together, and the chip answers one class at best (≤ 30 %, issue 14).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "lifetime-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoRoot = join(import.meta.dirname, "..", "..");

describe("snn-atpg lifetime", () => {
  it("--help explains the flip law, the curves, the reference modes and gives examples", async () => {
    const r = await runMain(["lifetime", "--help"]);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, " ");
    expect(text).toMatch(/P_sw\(t\) = 1 − exp\(−\(t\/τ0\)·e\^\(−Δ\)\)/);
    expect(text).toMatch(/"mixed" is seed 004's mixed-retention array/);
    expect(text).toMatch(/--reference aging: the reference is built of the same MTJs/);
    expect(r.stdout).toMatch(/Examples:\n {2}snn-atpg lifetime bnn-mnist-784x1024x10/);
  });

  it("bad flags and a non-MNIST bench fail with exit 2 and name the fix", async () => {
    const bad = await runMain(["lifetime", "bnn-mnist-784x1024x10", "--delta", "40,abc"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--delta expects a comma list .* got "abc"/);
    const floor = await runMain(["lifetime", "bnn-mnist-784x1024x10", "--floor", "85"]);
    expect(floor.code).toBe(2);
    expect(floor.stderr).toMatch(/--floor is an accuracy as a fraction .*0\.85 for 85 %/);
    const bench = await runMain(["lifetime", "black-pixel-4x1"]);
    expect(bench.code).toBe(2);
    expect(bench.stderr).toMatch(/784 inputs \(e\.g\. bnn-mnist-784x1024x10\)/);
  });

  it("Δ = 60 stays flat, Δ = 35 collapses in year 1; --floor names that year; the SVG has both curves", async () => {
    const svg = join(dir, "life.svg");
    const r = await runMain(["lifetime", "bnn-mnist-784x1024x10", "--delta", "60,35", "--years", "2", "--images", "20", "--trials", "1", "--floor", "0.5", "--svg", svg, "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const [d60, d35] = j.curves;
    expect(d60.points.map((p: { flips: number }) => p.flips)).toEqual([0, 0, 0]);
    expect(d60.points[2].mean).toBe(d60.points[0].mean);
    expect(d35.points[1].flips).toBe(d35.atRiskCells);
    expect(d35.points[1].mean).toBeLessThanOrEqual(0.3);
    expect(j.floors).toEqual([{ curve: "Δ = 60", yearsBelowFloor: null }, { curve: "Δ = 35", yearsBelowFloor: 1 }]);
    const text = readFileSync(svg, "utf8");
    expect(text).toMatch(/Δ = 60/);
    expect(text).toMatch(/Δ = 35/);
    expect(text).toMatch(/stroke-dasharray/);
    expect(r.stderr).toMatch(/Δ = 35, trial 1, year 1: /);
  }, 120_000);

  // --jobs 1: the sweep in this thread, which reports every step as it happens (the pool reports a trial when it ends).
  it("a real SIGINT ends a running sweep promptly with exit 130 and the finished curves", async () => {
    const svg = join(dir, "interrupted.svg");
    const child = spawn(process.execPath, [join(repoRoot, "bin", "snn-atpg.js"), "lifetime", "bnn-mnist-784x1024x10", "--delta", "60,40", "--images", "100", "--trials", "2", "--svg", svg, "--jobs", "1"], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8");
    // interrupt once the Δ = 40 curve (the one that re-solves and re-scores every step) runs
    const sentAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no Δ = 40 progress within 100 s; stderr:\n${stderr}`)), 100_000);
      let sent = false;
      child.stderr.on("data", (chunk: string) => {
        stderr += chunk;
        if (!sent && /Δ = 40, trial 1, year 1:/.test(stderr)) {
          sent = true;
          clearTimeout(timer);
          child.kill("SIGINT");
          resolve(performance.now());
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    const tookMs = performance.now() - sentAt;
    expect(code, stderr).toBe(130);
    // ~1 s asked; the bound leaves room for a loaded 2-core machine
    expect(tookMs).toBeLessThan(2500);
    expect(stderr).toMatch(/interrupted \(Ctrl-C\): 1 curve\(s\) finished/);
    expect(stdout).toMatch(/Δ = 60/);
    expect(stdout).not.toMatch(/Δ = 40/);
    expect(existsSync(svg)).toBe(true);
  }, 150_000);
});
