/**
 * Ctrl-C during a long coverage campaign (issue 11, item 3): a campaign too long for the
 * main thread runs wholly on worker threads, so the signal is seen at once, the workers
 * are terminated and the command exits 130 within about a second, writing no report
 * (stdout empty, no --html file). Before, the main thread simulated its slice
 * synchronously and only noticed Ctrl-C when the slice was done.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { interruptAndTime, killSpawned, spawnCli } from "../bench/spawn-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-coverage-interrupt-"));

/** The 8 good-chip vectors of the mlp fixture repeated to 200 (r0…r199): 770 faults × 200 vectors on the reference engine. */
const programFile = join(dir, "mlp-200.json");
{
  const p = JSON.parse(readFileSync("fixtures/coverage/mlp-16x8x4-random8.json", "utf8"));
  delete p.$schema;
  const base = p.vectors;
  p.vectors = Array.from({ length: 200 }, (_, i) => ({ ...base[i % base.length], id: `r${i}` }));
  writeFileSync(programFile, JSON.stringify(p));
}

afterAll(killSpawned);

describe("Ctrl-C during coverage", () => {
  it("a campaign on worker threads stops within a second with exit 130 and writes nothing", async () => {
    const html = join(dir, "report.html");
    const run = spawnCli(["coverage", "mlp-16x8x4", programFile, "--engine", "reference", "--no-drop", "--html", html]);
    const until = Date.now() + 60_000;
    while (!/770 faults × 200 vectors \(reference engine\) on 1 worker thread\(s\); Ctrl-C stops/.test(run.stderr())) {
      if (run.child.exitCode !== null || Date.now() > until) throw new Error(`the campaign did not start:\n${run.stderr()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, 300)); // well into the campaign (several seconds of work)
    const { r, tookMs } = await interruptAndTime(run);
    expect(r.code, r.stderr).toBe(130);
    // ~0.1–0.4 s on an idle machine; the bound leaves room for a loaded test run (the old code took the whole job)
    expect(tookMs).toBeLessThan(2500);
    expect(r.stderr).toMatch(/coverage interrupted \(Ctrl-C\) before all 770 faults were graded; no report was written/);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(r.stdout).toBe("");
    expect(existsSync(html)).toBe(false);
  }, 90_000);
});
