/**
 * `--jobs` never changes the record of a sliced campaign (campaign-jobs.ts): sweep-open's
 * table, retention's Monte Carlo, the lifetime curves, fault criticality, the fault
 * dictionary and the READ grading of a march program, computed in this thread and on a pool of two threads, are equal — each
 * unit (case, trial, fault) carries its own seed, so the slice it lands in cannot matter.
 * The pool's thread ids are asserted, so a silent in-process fallback cannot pass.
 * Small benches: mlp-16x8x4 with six hand-made 16-pixel "digits" stands in for MNIST.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { arrayReadOnPool, criticalityOnPool, dictionaryOnPool, lifetimeOnPool, openSweepsOnPool, retentionOnPool } from "../../src/characterise/campaign-runs.ts";
import { faultCriticality } from "../../src/characterise/criticality.ts";
import { columnCurrentsUa, createChipEvaluator, createGoodColumns, joinGoodColumns } from "../../src/classifier/chip-classifier.ts";
import { lifetimeCurves, lifetimeSweep } from "../../src/characterise/lifetime.ts";
import { retentionSweep } from "../../src/characterise/retention.ts";
import { assembleWindowTable, windowSensitivityTable, windowTableCases } from "../../src/characterise/window-sensitivity-table.ts";
import type { DigitSet } from "../../src/classifier/mnist-dataset.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { countFaults, enumerateFaults } from "../../src/faults/fault-universe.ts";
import { buildDictionary } from "../../src/faultsim/fault-dictionary.ts";
import { gradeArraySteps } from "../../src/faultsim/array-grader.ts";
import { buildArrayPhase } from "../../src/atpg/array-phase.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createJobPool } from "../../src/parallel/job-pool.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const pool = createJobPool(2);
afterAll(() => pool.close());
const mlp = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
const black = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json"));

/** Six 16-pixel images: row patterns a hand can read (all on, halves, quarters, none), labels 0–3. */
const digits: DigitSet = (() => {
  const rows = ["1111111111111111", "1111111100000000", "0000000011111111", "1111000011110000", "0101010101010101", "0000000000000000"];
  return { count: rows.length, pixels: Uint8Array.from(rows.join(""), (c) => Number(c)), labels: Uint8Array.from([0, 1, 2, 3, 0, 1]), sourceIndex: Uint32Array.from(rows.keys()) };
})();

describe("sliced campaigns: this thread and two pool threads agree", () => {
  it("sweep-open's table VI on black-pixel-4x1 (9 sweeps)", async () => {
    const net = compileNetwork(black.bench);
    const single = windowSensitivityTable(net, black.bench);
    const cases = windowTableCases(black.bench);
    expect(cases).toHaveLength(9); // rop1–rop3 × {original, IW+0.2 ns, LW−0.1 ns}
    expect(assembleWindowTable(black.bench, {}, await openSweepsOnPool(pool, black.bench, cases))).toEqual(single);
  }, 60_000);

  it("18 sweeps, a slice each, with a Ctrl-C signal: the table's, and no listener-leak warning for the 18 queued slices", async () => {
    const net = compileNetwork(black.bench);
    const cases = [...windowTableCases(black.bench), ...windowTableCases(black.bench)];
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const swept = await openSweepsOnPool(pool, black.bench, cases, new AbortController().signal);
      expect(assembleWindowTable(black.bench, {}, swept.slice(9))).toEqual(windowSensitivityTable(net, black.bench));
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  }, 60_000);

  it("retention Monte Carlo on mlp-16x8x4 (30 trials × 2 layers)", async () => {
    const net = compileNetwork(mlp.bench);
    const o = { deltaKt: 40, years: 10, steps: 5, trials: 30, seed: 7 };
    expect(await retentionOnPool(pool, net, o)).toEqual(retentionSweep(net, o));
  }, 60_000);

  it("lifetime curves on mlp-16x8x4 (2 curves × 3 trials), fixed and aging reference alike", async () => {
    const net = compileNetwork(mlp.bench);
    const o = { years: 3, stepYears: 1, curves: lifetimeCurves(net, [38, 40]), trials: 3, seed: 5 };
    const single = await lifetimeSweep(net, digits, o);
    expect(single.curves).toHaveLength(2);
    expect(single.curves[0].points[3].flips).toBeGreaterThan(0); // Δ = 38 flips cells within 3 years: the units differ
    expect(await lifetimeOnPool(pool, mlp.bench, net, digits, o)).toEqual(single);
  }, 60_000);

  it("criticality of every collapsed fault of mlp-16x8x4", async () => {
    const net = compileNetwork(mlp.bench);
    const faults = enumerateFaults(net, mlp.bench, loadFaultModels(undefined, ["dead-synapse", "dead-neuron", "retention-flip"]), { collapse: true }).faults;
    const single = await faultCriticality(compileNetwork(mlp.bench), faults, digits);
    const pooled = await criticalityOnPool(pool, mlp.bench, net, faults, digits);
    expect(pooled.effects).toEqual(single.effects);
    expect(pooled.good).toEqual(single.good);
    // a second run on the same pool with other digits under the same source indices (the threads keep per-run caches):
    // graded on its own digits, not on what the threads derived for the first run's
    const other: DigitSet = { ...digits, pixels: digits.pixels.map((p) => 1 - p) };
    const again = await criticalityOnPool(pool, mlp.bench, net, faults, other);
    const alone = await faultCriticality(compileNetwork(mlp.bench), faults, other);
    expect(again.good).toEqual(alone.good);
    expect(again.effects).toEqual(alone.effects);
    expect(again.effects).not.toEqual(pooled.effects);
  }, 60_000);

  it("the good chip's hidden columns simulated one by one (a pool slice's work) join into the evaluator's hidden spikes and currents", () => {
    const net = compileNetwork(mlp.bench);
    const cols = net.layers[0].cols;
    const ev = createChipEvaluator(net, digits);
    // backwards: a column's spikes must not depend on which columns were simulated before it
    const column = createGoodColumns(net, digits);
    const each = Array.from({ length: cols }, (_, k) => cols - 1 - k).map(column).reverse();
    const joined = joinGoodColumns(each, digits.count);
    const expected = Array.from({ length: digits.count }, (_, i) => ev.hiddenSpikes(i));
    expect(expected.flat().length).toBeGreaterThan(digits.count); // hidden neurons fire: the order of the join can go wrong
    expect(joined.hidden).toEqual(expected);
    const ua = columnCurrentsUa(net, digits, digits.count, 0, cols); // column-major
    expect(joined.columnUa[3 * cols + 5]).toBe(ua[5 * digits.count + 3]);
  });

  it("the READ grading of a march program over the universe with the memory-test models (binary mlp-16x8x4, multi-level seed001-dw-4x2)", async () => {
    for (const file of ["mlp-16x8x4.json", "seed001-dw-4x2.json"]) {
      const lb = loadTestbench(join(repoRoot, "testbenches", file));
      const net = compileNetwork(lb.bench);
      const faults = enumerateFaults(net, lb.bench, loadFaultModels(undefined, undefined, { arrayTests: true }), { collapse: true }).faults;
      const steps = buildArrayPhase(net, lb.bench, ["march-c-minus-retention"]).steps;
      const single = gradeArraySteps(net, faults, steps, "fast");
      // a march detects the cell faults and cannot see the neuron ones: both outcomes are there to get wrong
      expect(single.some((g) => g.detected)).toBe(true);
      expect(single.some((g) => !g.detected)).toBe(true);
      expect(Array.from((await arrayReadOnPool(pool, lb.bench, faults, steps))!)).toEqual(single.map((g) => g.firstIndex));
    }
  }, 60_000);

  it("a universe built only at chosen locations is the whole walk's", async () => {
    const net = compileNetwork(mlp.bench);
    const models = loadFaultModels(undefined, undefined, { arrayTests: true });
    const whole = enumerateFaults(net, mlp.bench, models, { collapse: true });
    expect(whole.counts.rules.some((r) => r.merged > 0)).toBe(true); // collapsing happens: class sizes can go wrong
    // a neuron, a cell row with its segment, in both layers; row 0 holds the series-chain class (segment 0 ≡ in-cell open)
    const at = new Set(["0.3.-1", "0.2.0", "0.5.9", "1.1.4"]);
    const key = (f: (typeof whole.faults)[number]) => `${f.site.layer}.${f.site.col}.${f.site.kind === "neuron" ? -1 : f.site.kind === "segment" ? f.site.index : f.site.row}`;
    const expected = whole.faults.filter((f) => at.has(key(f)));
    for (const columns of [undefined, "at" as const]) {
      const some = enumerateFaults(net, mlp.bench, models, { collapse: true, at, columns });
      expect(some.faults.map((f) => [f.id, f.classSize, f.equivalents])).toEqual(expected.map((f) => [f.id, f.classSize, f.equivalents]));
      if (!columns) expect(some.counts).toEqual(whole.counts);
    }
    expect(expected.some((f) => f.classSize > 1)).toBe(true);
    expect(countFaults(net, mlp.bench, models, { columns: { start: 0, end: 8 } }).byLayer[1].uncollapsed).toBe(0); // layer 1's columns left out
  }, 60_000);

  it("the fault dictionary of the mlp-16x8x4 program (all but its build time)", async () => {
    const file = join(repoRoot, "fixtures", "bench", "mlp-16x8x4.program.json");
    const o = { program: loadProgram(file), programFile: file, bench: mlp };
    const { buildMs: _a, ...single } = buildDictionary(o);
    const { buildMs: _b, ...pooled } = await dictionaryOnPool(pool, o);
    expect(single.faults.length).toBeGreaterThan(0);
    expect(pooled).toEqual(single);
    expect([...pool.threadIds].sort()).toHaveLength(2);
    expect(pool.threadIds.has(0)).toBe(false);
  }, 60_000);
});

describe("the commands take --jobs", () => {
  it("retention prints the same JSON for --jobs 1 and 2; lifetime and diagnose list --jobs", async () => {
    const args = ["retention", "mlp-16x8x4", "--delta", "40", "--trials", "20", "--json"];
    const out = await Promise.all(["1", "2"].map((j) => runMain([...args, "--jobs", j])));
    for (const r of out) expect(r.code, r.stderr).toBe(0);
    expect(out[1].stdout).toBe(out[0].stdout);
    for (const cmd of ["sweep-open", "diagnose"]) expect((await runMain([cmd, "--help"])).stdout).toMatch(/--jobs <n>/);
    const help = await runMain(["lifetime", "--help"]);
    expect(help.stdout).toMatch(/--jobs <n>/);
    expect(readFileSync(join(repoRoot, "scripts", "build.mjs"), "utf8")).toMatch(/"campaign-task": "src\/characterise\/campaign-task\.ts"/);
  }, 60_000);
});
