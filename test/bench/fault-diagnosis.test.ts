/**
 * Diagnosis in-process: the fault dictionary (engine no-drop run + the pass criterion's
 * signature) and the ranking, checked end to end through the executor on the sim
 * target. For every fault of the collapsed universe of black-pixel-4x1 and mlp-16x8x4,
 * injected, the bench fails exactly the vectors the fault simulator says detect it, with
 * the dictionary's signature; every detected fault of black-pixel-4x1 and a systematic
 * sample of mlp-16x8x4 must come out first with a perfect score. Plus the on-disk cache.
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { buildDictionary, DictionaryDisagreementError } from "../../src/faultsim/fault-dictionary.ts";
import { loadOrBuildDictionary } from "../../src/faultsim/dictionary-cache.ts";
import { diagnose, groupContains, observedSignature } from "../../src/bench/fault-diagnosis.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, faultSimVectors } from "../../src/faultsim/index.ts";
import { isSpikeVector } from "../../src/formats/program-format.ts";
import { checkProgramForBench, loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";

const cases = [
  { bench: "black-pixel-4x1", program: "fixtures/bench/black-pixel-4x1.program.json", every: 1 },
  { bench: "mlp-16x8x4", program: "fixtures/bench/mlp-16x8x4.program.json", every: 25 },
];

describe("fault dictionary and diagnosis on the sim target", () => {
  for (const c of cases) {
    it(`${c.bench}: for every (fault, vector) pair the bench fails the vector exactly when the fault simulator detects it, as the dictionary says; an injected fault is ranked first with score 1 (every ${c.every === 1 ? "" : `${c.every}th `}detected fault)`, async () => {
      const bench = loadTestbench(`testbenches/${c.bench}.json`);
      const program = loadProgram(c.program);
      checkProgramForBench(program, c.program, bench);
      const dict = buildDictionary({ program, programFile: c.program, bench });
      expect(dict.faults.length).toBeGreaterThan(0);
      expect(dict.faults.length + dict.universe.undetected).toBe(dict.universe.collapsed);
      const inDict = new Map(dict.faults.map((f) => [f.id, f]));
      // the fault simulator's detection, per (fault, vector): a no-drop run over the whole collapsed universe
      const net = compileNetwork(bench.bench);
      const universe = enumerateFaults(net, bench.bench, loadFaultModels(), { collapse: true });
      expect(universe.faults.length).toBe(dict.universe.collapsed);
      const sim = faultEngines.fast.run(net, universe.faults, faultSimVectors(program, c.program, { timingResolutionPs: bench.bench.timing.tickPs }), { drop: false });
      const models = new Set<string>();
      let pairs = 0;
      let failingPairs = 0;
      let diagnosed = 0;
      for (const [i, fault] of universe.faults.entries()) {
        const run = await executeProgram({
          program,
          programFile: c.program,
          bench,
          target: createSimTarget({ bench: bench.bench, perturbations: fault.perturbations }),
          targetLabel: "sim",
          dutId: fault.id,
        });
        const detected = new Set(sim.outcomes[i].detectedVectors ?? []);
        const observed = observedSignature(run.vectors);
        const entry = inDict.get(fault.id);
        for (const v of run.vectors) {
          pairs++;
          expect(v.verdict === "fail", `${fault.id} × ${v.vectorId}: bench ${v.verdict}, fault simulator ${sim.outcomes[i].cls}`).toBe(detected.has(v.vectorId));
          if (v.verdict !== "fail") continue;
          failingPairs++;
          // the dictionary predicts the same failure, item by item
          expect([...(entry?.failing[v.vectorId] ?? [])].sort(), `${fault.id} × ${v.vectorId}`).toEqual(observed[v.vectorId]);
        }
        expect(Object.keys(entry?.failing ?? {}).sort(), fault.id).toEqual(Object.keys(observed).sort());
        if (!entry || dict.faults.indexOf(entry) % c.every !== 0) continue;
        const d = diagnose(dict, run.vectors);
        expect(d.groups[0].score, fault.id).toBe(1);
        expect(groupContains(d.groups[0], fault.id), fault.id).toBe(true);
        models.add(entry.modelId);
        diagnosed++;
      }
      expect(pairs).toBe(universe.faults.length * program.vectors.length);
      expect(failingPairs).toBeGreaterThan(dict.faults.length); // some faults fail several vectors
      expect(diagnosed).toBe(Math.ceil(dict.faults.length / c.every));
      expect(models.size).toBeGreaterThanOrEqual(c.bench === "black-pixel-4x1" ? 7 : 5);
    }, 300_000);
  }

  it("ranks a partial match below an exact one and reports passing devices as nothing to diagnose", async () => {
    const bench = loadTestbench("testbenches/black-pixel-4x1.json");
    const file = "fixtures/bench/black-pixel-4x1.program.json";
    const program = loadProgram(file);
    const dict = buildDictionary({ program, programFile: file, bench });
    const good = await executeProgram({ program, programFile: file, bench, target: createSimTarget({ bench: bench.bench }), targetLabel: "sim", dutId: "g" });
    expect(diagnose(dict, good.vectors)).toMatchObject({ failingVectors: [], groups: [] });
    // a device failing only p1111 (missing spike): dead-synapse-like candidates predict more failures → score < 1
    const fake = good.vectors.map((v) => (v.vectorId === "p1111" ? { ...v, verdict: "fail" as const, repetitions: v.repetitions.map((r) => ({ ...r, match: false, spikes: [] })) } : v));
    const d = diagnose(dict, fake);
    expect(d.observed).toEqual({ p1111: ["m0@2"] });
    expect(d.groups[0].score).toBeLessThan(1);
    for (let i = 1; i < d.groups.length; i++) expect(d.groups[i].score).toBeLessThanOrEqual(d.groups[i - 1].score);
  });

  it("refuses a program whose expected response is not the good chip's, instead of absorbing the disagreement", () => {
    const bench = loadTestbench("testbenches/black-pixel-4x1.json");
    const file = "fixtures/bench/black-pixel-4x1.program.json";
    const program = loadProgram(file);
    // p1111's good response has a spike (m0@2 when it is missing, above); expecting silence makes a dead neuron "pass"
    const tampered = { ...program, vectors: program.vectors.map((v) => (isSpikeVector(v) && v.id === "p1111" ? { ...v, expected: [] } : v)) };
    expect(() => buildDictionary({ program: tampered, programFile: file, bench })).toThrow(DictionaryDisagreementError);
    expect(() => buildDictionary({ program: tampered, programFile: file, bench })).toThrow(/vector p1111, fault .*: the fault simulator says detected but the pass criterion.* says (pass|possibly).*regenerate the program/);
  });

  it("caches the dictionary on disk by program and bench hash", () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-dict-"));
    const bench = loadTestbench("testbenches/black-pixel-4x1.json");
    const file = "fixtures/bench/black-pixel-4x1.program.json";
    const program = loadProgram(file);
    const first = loadOrBuildDictionary({ program, programFile: file, bench, cacheDir: dir });
    const second = loadOrBuildDictionary({ program, programFile: file, bench, cacheDir: dir });
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.dictionary).toEqual(first.dictionary);
    expect(readdirSync(dir).filter((f) => f.endsWith(".jsonl"))).toHaveLength(1);
    const other = { ...program, timingTolerancePs: 400 };
    expect(loadOrBuildDictionary({ program: other, programFile: file, bench, cacheDir: dir }).cached).toBe(false);
  });
});

describe("snn-atpg diagnose", () => {
  it("prints ranked candidates for a failing datalog, and refuses a datalog of another program (exit 2)", async () => {
    const { runMain } = await import("../helpers/run-main.ts");
    const dir = mkdtempSync(join(tmpdir(), "snn-diag-cli-"));
    const file = "fixtures/bench/black-pixel-4x1.program.json";
    const log = join(dir, "chip.jsonl");
    expect((await runMain(["run", file, "--inject", "fast-to-leak@l0.n0", "--datalog", log, "--no-diagnose"])).code).toBe(1);
    const r = await runMain(["diagnose", file, log, "--cache-dir", dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dut dut-1: \d+ of 25 vector\(s\) failed \(p1111, /);
    expect(r.stdout).toMatch(/fault dictionary: \d+ detectable of \d+ collapsed faults \(8 models\), built in \d+ ms/);
    expect(r.stdout).toMatch(/\n1\. score 1\.00: predicts (\d+) of \1 failing vector\(s\)\n {5}fast-to-leak at l0\.n0 {2}\[fast-to-leak@l0\.n0\]\n2\. score 0\.\d\d/);
    expect((await runMain(["diagnose", file, log, "--cache-dir", dir])).stdout).toMatch(/, from cache/);
    const wrong = await runMain(["diagnose", "fixtures/bench/black-pixel-4x1-writes.program.json", log, "--cache-dir", dir]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/chip\.jsonl: at line 1\.program\.sha256: expected the hash of .*writes\.program\.json/);
  });
});
