/**
 * `snn-atpg coverage` (and its alias `ternary-coverage`) runs Hou et al.'s own input file (their test_algorithm.txt,
 * fixtures/ternary-coverage-cli/) on our N = 8 bench: coverage 100 % (their figure), and
 * without SZ 16 90 % (2 of their 20 classes, FIF w0 swp1 bc and ca, are seen only there).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const alg = join(repoRoot, "fixtures", "ternary-coverage-cli", "test_algorithm.txt");

describe("ternary-coverage on Hou's test_algorithm.txt", () => {
  it("100 % with every step, 90 % without SZ 16", async () => {
    // `coverage` takes the ternary bench through the same entry point as any other; ternary-coverage is its alias (+ --drop)
    const full = await runMain(["coverage", "hou-itc22-n8", alg, "--json"]);
    expect(full.stderr).toBe("");
    expect(full.code).toBe(0);
    const r = JSON.parse(full.stdout);
    expect(r.ticks).toBe(90 * 8);
    expect(r.total).toMatchObject({ all: 480, coveragePercent: 100 });
    const noSz16 = await runMain(["ternary-coverage", "hou-itc22-n8", alg, "--drop", "SZ16", "--engine", "reference"]);
    expect(noSz16.code).toBe(0);
    expect(noSz16.stdout).toMatch(/^total\s+480\s+432\s+0\s+48\s+90\.00 %$/m);
  });
});
