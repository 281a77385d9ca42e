/**
 * `coverage` and `faults` on bad input (exit 2 with a message naming the place and
 * the fix), the HTML report, and the two-layer fixture (by-layer table, engines agree).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, observableSpikes, patternEvents, simulateNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const all16 = "fixtures/coverage/black-pixel-all16.json";
const mlp8 = "fixtures/coverage/mlp-16x8x4-random8.json";
const tmp = mkdtempSync(join(tmpdir(), "snn-coverage-"));

describe("coverage: bad inputs exit 2 with a located message", () => {
  it("a program made for another testbench", async () => {
    const r = await runMain(["coverage", "mlp-16x8x4", all16]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${all16}: at testbench: expected testbench mlp-16x8x4`);
    expect(r.stderr).toMatch(/found black-pixel-4x1 .*generated for another testbench/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("an unknown fault-model id (faults and coverage)", async () => {
    for (const cmd of [["coverage", "black-pixel-4x1", all16], ["faults", "black-pixel-4x1"]]) {
      const r = await runMain([...cmd, "--models", "dead-synapse,dead-cell"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown fault model "dead-cell" \(in .*fault-models\); known models: dead-neuron, dead-synapse, /);
    }
  });

  it("a bad site id: outside the crossbar, or malformed", async () => {
    const outside = await runMain(["coverage", "black-pixel-4x1", all16, "--sites", "l0.r7.c0"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('site "l0.r7.c0" is outside layer 0 (4 rows × 1 columns)');
    const malformed = await runMain(["faults", "black-pixel-4x1", "--sites", "rop9"]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/unknown site "rop9": site ids look like .*aliases: rop1, rop2, rop3/);
  });

  it("a parameter outside its range, of an unknown name, or malformed", async () => {
    const range = await runMain(["coverage", "black-pixel-4x1", all16, "--param", "resistive-open.resistanceOhms=-5"]);
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/resistive-open\.resistanceOhms = -5 ohms is outside the model's range \[1, ∞\] \(.*resistive-open\.json parameters\.resistanceOhms\.range\)/);
    const name = await runMain(["faults", "black-pixel-4x1", "--param", "slow-to-leak.gain=2"]);
    expect(name.code).toBe(2);
    expect(name.stderr).toMatch(/fault model "slow-to-leak" \(.*\) has no parameter "gain"; it has leakFactor/);
    const bad = await runMain(["faults", "black-pixel-4x1", "--param", "resistive-open=5"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--param expects <model>.<parameter>=<value>");
  });

  it("a bad --engine or --pd-credit", async () => {
    const e = await runMain(["coverage", "black-pixel-4x1", all16, "--engine", "turbo"]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('--engine expects one of reference, fast, got "turbo"');
    const c = await runMain(["coverage", "black-pixel-4x1", all16, "--pd-credit", "2"]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain("--pd-credit expects a number from 0 to 1");
  });

  it("a program vector that reprograms weights is graded on the written weights, with a warning when its expected response is not the written chip's", async () => {
    const p = JSON.parse(readFileSync(all16, "utf8"));
    p.vectors[3].writes = [{ layer: 0, row: 0, bits: "0" }];
    const file = join(tmp, "writes.json");
    writeFileSync(file, JSON.stringify(p));
    const r = await runMain(["coverage", "black-pixel-4x1", file]);
    expect(r.code, r.stderr).toBe(0);
    // vector 3 writes row 0 to AP: it and every later vector run on test weights (one segment)
    expect(r.stderr).toContain(`graded ${p.vectors.length - 3} spike vector(s) on test weights in 1 segment(s)`);
  });

  it("an invalid fault-model file names the file and the JSON path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-models-"));
    writeFileSync(
      join(dir, "slow-segment.json"),
      JSON.stringify({ schemaVersion: 1, id: "slow-segment", title: "t", origin: { description: "d", seeds: ["000"] }, siteKind: "line-segment", perturbation: [{ quantity: "leakTauNs", op: "scale", value: 2 }] }),
    );
    const r = await runMain(["faults", "black-pixel-4x1", "--models-dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "slow-segment.json")}: at perturbation[0].quantity: expected a quantity a line-segment site has (ohms), found string "leakTauNs"`);
  });
});

describe("coverage: empty --models, unwritable --html", () => {
  it("--models with no id in it is a mistake, not an empty universe (coverage and faults)", async () => {
    for (const cmd of [["coverage", "black-pixel-4x1", all16], ["faults", "black-pixel-4x1"]]) {
      const r = await runMain([...cmd, "--models", ","]);
      expect(r.stderr).toMatch(/^error: --models expects comma-separated fault-model ids .*got ","/);
      expect(r.code).toBe(2);
    }
  });

  it("--html behind a file is refused before the campaign runs", async () => {
    const blocker = join(tmp, "a-file");
    writeFileSync(blocker, "");
    const r = await runMain(["coverage", "black-pixel-4x1", all16, "--html", join(blocker, "r.html")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --html .*a-file\/r\.html: .*a-file is a file, not a folder/);
    expect(r.stdout).toBe("");
  });

  it("an empty --models-dir says there is nothing in it", async () => {
    const empty = join(tmp, "no-models");
    mkdirSync(empty, { recursive: true });
    const r = await runMain(["faults", "black-pixel-4x1", "--models-dir", empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-models: no fault-model files \(\*\.json\) in this directory/);
  });
});

describe("faults command", () => {
  it("--json prints the bench's canonical sha256 and the counts (collapsing seg0 ≡ r0.series)", async () => {
    const r = await runMain(["faults", "black-pixel-4x1", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.testbench.sha256).toBe(loadTestbench("testbenches/black-pixel-4x1.json").sha256);
    expect(out.counts.total).toEqual({ uncollapsed: 21, collapsed: 20 });
    expect(out.counts.rules.find((x: { rule: string }) => x.rule === "series-chain").merged).toBe(1);
  });

  it("--list shows representatives with their equivalents; --no-collapse keeps them apart", async () => {
    const r = await runMain(["faults", "black-pixel-4x1", "--list", "--param", "resistive-open.resistanceOhms=inf"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("dead-synapse@l0.r0.c0  ≡ resistive-open@l0.c0.seg0:inf, resistive-open@l0.r0.c0.series:inf");
    expect(r.stdout).toMatch(/^total\s+21\s+16$/m);
    const apart = await runMain(["faults", "black-pixel-4x1", "--no-collapse", "--json"]);
    expect(JSON.parse(apart.stdout).counts.total).toEqual({ uncollapsed: 21, collapsed: 21 });
  });
});

describe("coverage reports on the two-layer fixture", () => {
  it("by-layer table; fast and reference engines give identical per-fault classes", async () => {
    const fast = await runMain(["coverage", "mlp-16x8x4", mlp8, "--json"]);
    const ref = await runMain(["coverage", "mlp-16x8x4", mlp8, "--json", "--engine", "reference"]);
    expect(fast.code).toBe(0);
    const a = JSON.parse(fast.stdout);
    const b = JSON.parse(ref.stdout);
    expect(a.engine.fastPathEvaluations).toBeGreaterThan(0);
    expect(b.engine.fastPathEvaluations).toBe(0);
    expect(a.faults.map((f: { id: string; cls: string; firstVector: string }) => [f.id, f.cls, f.firstVector])).toEqual(
      b.faults.map((f: { id: string; cls: string; firstVector: string }) => [f.id, f.cls, f.firstVector]),
    );
    expect(a.coverage.byLayer).toHaveLength(2);
    expect(a.coverage.byLayer[0].all + a.coverage.byLayer[1].all).toBe(a.coverage.total.all);
    const text = await runMain(["coverage", "mlp-16x8x4", mlp8]);
    expect(text.stdout).toMatch(/^layer 0\s+\d+/m);
    expect(text.stdout).toMatch(/^layer 1\s+\d+/m);
  });

  it("draws a progress bar on stderr only when it is a terminal and --json is off", async () => {
    const tty = await runMain(["coverage", "mlp-16x8x4", mlp8, "--limit", "1"], { stderrTty: true });
    expect(tty.code).toBe(0);
    // the grading phase's line, redrawn in place, names the phase (phase-progress.ts)
    expect(tty.stderr).toContain("  grading: [####################] 8/8 vectors  100 %");
    expect(tty.stdout).not.toContain("vectors  100 %");
    const json = await runMain(["coverage", "mlp-16x8x4", mlp8, "--json"], { stderrTty: true });
    expect(json.stderr).toBe("");
  });

  it("--html writes one self-contained file: tables, bar chart, cumulative curve, a heat map per crossbar", async () => {
    const file = join(tmp, "report.html");
    const r = await runMain(["coverage", "mlp-16x8x4", mlp8, "--html", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`HTML report written to ${file}`);
    const html = readFileSync(file, "utf8");
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain("<h2>Summary by fault model</h2>");
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('aria-label="cumulative coverage"');
    expect(html).toMatch(/layer 0: 16 × 8 crossbar/);
    expect(html).toMatch(/layer 1: 8 × 4 crossbar/);
    expect(html).toContain("<td>dead-synapse</td><td>160</td>");
  });
});

describe("coverage: figures as printed", () => {
  it("a model with no fault on the bench prints n/a for FC and TC (the JSON keeps 0 with all = 0)", async () => {
    const text = await runMain(["coverage", "black-pixel-4x1", all16]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^retention-flip\s+0\s+0\s+0\s+0\s+0\s+0\s+n\/a\s+n\/a$/m);
    expect(text.stdout).toMatch(/^dead-synapse\s+4\s+4\s+0\s+0\s+0\s+0\s+100\.00 %\s+100\.00 %$/m);
    const json = JSON.parse((await runMain(["coverage", "black-pixel-4x1", all16, "--json"])).stdout);
    expect(json.coverage.byModel["retention-flip"]).toMatchObject({ all: 0, faultCoverage: 0, testCoverage: 0 });
  });

  it("the stimulus time is summed exactly: 62.7 ns + 31.26 ns prints 93.96 ns, not 93.96000000000001", async () => {
    // Summed per vector in ns, 62.7 + 31.26 gives 93.96000000000001 in floating point; the report must not show that noise.
    const loaded = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json"));
    const net = compileNetwork(loaded.bench);
    const vector = (id: string, iwPs: number, lwPs: number) => {
      const run = simulateNetwork(net, { iwPs, lwPs, windows: 3, events: patternEvents(["1111"], 3, iwPs, lwPs) });
      return { id, iwPs, lwPs, windows: 3, pattern: ["1111"], repetitions: 1, expected: observableSpikes(net, run.spikes) };
    };
    const program = JSON.parse(readFileSync(all16, "utf8"));
    program.vectors = [vector("long-lw", 900, 20000), vector("short-lw", 1420, 9000)];
    const file = join(tmp, "odd-timing.json");
    writeFileSync(file, JSON.stringify(program));
    const text = await runMain(["coverage", "black-pixel-4x1", file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toBe(""); // the expected responses are the good chip's
    expect(text.stdout).toContain("(2 vectors, 93.96 ns of stimulus)");
    const json = JSON.parse((await runMain(["coverage", "black-pixel-4x1", file, "--json"])).stdout);
    expect(json.program.testTimeNs).toBe(93.96);
  });
});
