/**
 * What a first-time user reads: every command's --help teaches (what it does, an
 * example), and `demo` with a fault its program cannot see explains the choice instead
 * of reporting an internal error.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/command-registry.ts";
import { runMain } from "../helpers/run-main.ts";

describe("--help of every command", () => {
  it.each(commands.map((c) => c.name))("%s --help exits 0 with a description and examples", async (name) => {
    const r = await runMain([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: snn-atpg ${name} `));
    expect(r.stdout).toMatch(/\nExamples?( \([^)]*\))?:\n {2}snn-atpg /);
  });
});

describe("demo", () => {
  it("an --inject fault the generated program does not detect is bad input with the fix, not an internal error", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "snn-demo-"));
    // the .read path of a cell carries no write current: proved undetectable (seed 000 Rop5)
    const r = await runMain(["demo", "--inject", "resistive-open@l0.r2.c0.read", "--out-dir", outDir]);
    expect(r.stderr).toMatch(/error: --inject resistive-open@l0\.r2\.c0\.read: the generated program passes on a chip with this fault .*pick a fault the program detects/);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
