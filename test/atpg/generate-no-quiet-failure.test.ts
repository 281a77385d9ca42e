/**
 * `generate` and `run` do not fail quietly (issue 10 §5), through the real entry point:
 * - a generation that keeps no vector exits 1, writes no file, and counts the candidates
 *   each gate refused and the faults' reasons;
 * - `run` refuses a program in which nothing can fail a chip (exit 2, the file named);
 * - Ctrl-C in the middle of a long generation (mlp-16x8x4) ends it within a few seconds
 *   with exit 130 and no output or temporary file; without a terminal every phase is
 *   reported by name on its own line.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-atpg-no-quiet-"));

describe("generate that keeps no vector", () => {
  // one window only: a dead synapse lowers the drive, and no one-window edge stimulus shows it
  const out = join(dir, "none.json");
  const r = runCli(["generate", "black-pixel-4x1", "--models", "dead-synapse", "--max-windows", "1", "-o", out, "--stil", join(dir, "none.stil")]);

  it("exits 1 and writes neither the program nor the STIL file", () => {
    expect(r.code, r.stderr).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(dir, "none.stil"))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes("partial"))).toEqual([]);
  });

  it("leaves an earlier program at the same path unchanged, and says so", () => {
    const earlier = join(dir, "earlier.json");
    writeFileSync(earlier, "earlier run\n");
    const again = runCli(["generate", "black-pixel-4x1", "--models", "dead-synapse", "--max-windows", "1", "-o", earlier]);
    expect(again.code, again.stderr).toBe(1);
    expect(readFileSync(earlier, "utf8")).toBe("earlier run\n");
    expect(again.stderr).toMatch(/earlier\.json already there is from an earlier run and was left unchanged/);
  });

  it("says why, per gate and per fault reason", () => {
    expect(r.stderr).toMatch(/no vector was kept, so .*none\.json was not written/);
    expect(r.stderr).toMatch(/candidates offered: \d+/);
    expect(r.stderr).toMatch(/rejected by the guard band \(good chips would fail them\): \d+/);
    expect(r.stderr).toMatch(/rejected by the \d+-chip hold-out population: \d+/);
    expect(r.stderr).toMatch(/detected no fault still undetected: \d+/);
    // the 4 × 1 crossbar has four dead-synapse sites, none UD
    expect(r.stderr).toMatch(/faults with no vector: 4 \(collapsed; 0 more proved undetectable\)/);
    expect(r.stderr).toMatch(/4 × AU {2}no vector found/);
    expect(r.stdout + r.stderr).not.toMatch(/target coverage was reached/);
  });
});

describe("run on a program that cannot fail a chip", () => {
  const good = join(dir, "good.json");
  const g = runCli(["generate", "black-pixel-4x1", "-o", good]);

  it("refuses a program with no steps (exit 2, the file named)", () => {
    expect(g.code, g.stderr).toBe(0);
    const p = JSON.parse(readFileSync(good, "utf8"));
    const empty = join(dir, "empty.json");
    writeFileSync(empty, JSON.stringify({ ...p, vectors: [] }));
    const r = runCli(["run", empty]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/empty\.json: at vectors: expected at least one spike vector or read step, found no steps at all/);
    expect(r.stderr).toMatch(/a program with no vectors never passes a chip/);
    expect(r.stdout).not.toMatch(/PASS/);
  });

  it("refuses a program of writes and pauses only, and accepts one with a read step", () => {
    const p = JSON.parse(readFileSync(good, "utf8"));
    const writes = join(dir, "writes.json");
    const steps = [
      { kind: "write", id: "w1", layer: 0, row: 0, bits: "1" },
      { kind: "pause", id: "p1", dwellNs: 10 },
    ];
    writeFileSync(writes, JSON.stringify({ ...p, vectors: steps }));
    const r = runCli(["run", writes]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/writes\.json: at vectors: .*found only write\/pause steps \(2\)/);
    // a read can fail a chip: not refused by this rule (a good chip reads back what was written)
    const reads = join(dir, "reads.json");
    writeFileSync(reads, JSON.stringify({ ...p, vectors: [...steps, { kind: "read", id: "r1", layer: 0, row: 0, expected: "1" }] }));
    const ok = runCli(["run", reads]);
    expect(ok.stderr).not.toMatch(/expected at least one spike vector or read step/);
  });
});

describe("Ctrl-C during generate", () => {
  it("stops mlp-16x8x4 mid-phase within 3 s, exit 130, no output file; one progress line per phase", async () => {
    const out = join(dir, "mlp.json");
    const child = spawn(process.execPath, [join(repoRoot, "bin", "snn-atpg.js"), "generate", "mlp-16x8x4", "-o", out], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    // interrupt once the search is under way (a phase after the fault universe has started)
    const sentAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no search phase within 60 s; stderr:\n${stderr}`)), 60_000);
      let sent = false;
      child.stderr.on("data", (chunk: string) => {
        stderr += chunk;
        if (!sent && /^ {2}(random warm-up|neuron edges|fault search) … /m.test(stderr)) {
          sent = true; // one Ctrl-C: a second one would kill the process by the default signal action
          clearTimeout(timer);
          setTimeout(() => {
            child.kill("SIGINT");
            resolve(performance.now());
          }, 500);
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    const tookMs = performance.now() - sentAt;
    expect(code, stderr).toBe(130);
    expect(tookMs).toBeLessThan(3000);
    expect(stderr).toMatch(/generation interrupted \(Ctrl-C\); no program was written/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith(".mlp.json"))).toEqual([]);
    // without a terminal: each phase named once, on its own line
    const phases = [...stderr.matchAll(/^ {2}(.+?) … \(\d+\.\d s\)$/gm)].map((m) => m[1]);
    expect(phases[0]).toBe("fault universe");
    expect(new Set(phases).size).toBe(phases.length);
  }, 90_000);
});
