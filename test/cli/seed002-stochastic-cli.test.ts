/**
 * Seed 002's stochastic 784×9 chip through the CLI, on a reduced run (one vector, the
 * dead-neuron faults): `generate --decision sprt` writes SPRT decisions whose stated α
 * and β the exact operating characteristic confirms, `run --chip-seed` applies them on
 * the sim target, and `coverage --detection-probability` states each fault's detection
 * probability with an interval. Full figures: `npm run bench -- seed002`.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DecisionRule, SpikeProgram } from "../../src/formats/program-format.ts";
import { ruleFailProbability } from "../../src/stats/decision-rules.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { targets } from "../../src/targets/target-registry.ts";
import { repoRoot, runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "seed002-"));
const programFile = join(dir, "p.json");
const bench = "seed002-stochastic-784x9";

describe("seed 002 784×9 on the command line", () => {
  it("generate --decision sprt states α and β per vector, and they hold exactly at the stated match probabilities", () => {
    const g = runCli(["generate", bench, "--models", "dead-neuron", "--decision", "sprt", "--alpha", "0.05", "--beta", "0.05", "--max-vectors", "1", "--no-compaction", "--mc-chips", "0", "--samples", "32", "-o", programFile], { timeoutMs: 120_000 });
    expect(g.stderr + g.stdout).toMatch(/decisions: SPRT per vector, α 0\.05 .* β 0\.05/);
    expect(g.code).toBe(0);
    const p = JSON.parse(readFileSync(programFile, "utf8")) as SpikeProgram;
    expect(p.vectors.length).toBeGreaterThan(0);
    for (const v of p.vectors) {
      const rule = v.decision as Extract<DecisionRule, { rule: "sprt" }>;
      expect(rule.rule).toBe("sprt");
      expect([rule.alpha, rule.beta]).toEqual([0.05, 0.05]);
      expect(v.repetitions).toBe(rule.maxRepetitions);
      // The operating characteristic, computed here from the rule alone: a chip matching with pGood
      // is failed with probability ≤ α, one matching with pBad passed with probability ≤ β.
      expect(ruleFailProbability(rule, rule.pGood)).toBeLessThanOrEqual(0.05);
      expect(1 - ruleFailProbability(rule, rule.pBad)).toBeLessThanOrEqual(0.05);
    }
  }, 120_000);

  it("run applies the SPRT on the sim target (--chip-seed: independent noise), and the datalog says so", () => {
    const log = join(dir, "run.jsonl");
    const r = runCli(["run", programFile, "--chip-seed", "7", "--datalog", log, "--overwrite", "--no-diagnose"]);
    expect([0, 1]).toContain(r.code); // a stochastic chip: either verdict, decided by the SPRT
    const records = readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; decision?: string; repetitions?: unknown[] });
    const vectors = records.filter((x) => x.type === "vector");
    expect(vectors.length).toBeGreaterThan(0);
    const p = JSON.parse(readFileSync(programFile, "utf8")) as SpikeProgram;
    vectors.forEach((v, i) => {
      expect(v.decision).toBe("sprt");
      expect(v.repetitions!.length).toBeLessThanOrEqual(p.vectors[i].repetitions ?? 1);
    });
    // A board has its own noise: the serial target refuses the option (in-process, no port opened).
    const { bench: tb } = loadTestbench(`${repoRoot}/testbenches/${bench}.json`);
    expect(() => targets.serial({ bench: tb, port: "/dev/null", chipSeed: 7 })).toThrow(/--chip-seed/);
  }, 60_000);

  it("coverage --detection-probability states P(detect) with an interval per model", () => {
    const r = runCli(["coverage", bench, programFile, "--models", "dead-neuron", "--detection-probability", "--dp-samples", "50", "--json"], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.stdout) as { detectionProbability: { samples: number; z: number; total: { faults: number; mean: number; low: number; high: number } } };
    const d = rep.detectionProbability;
    expect(d.samples).toBe(50);
    expect(d.total.faults).toBe(9);
    expect(d.total.low).toBeLessThanOrEqual(d.total.mean);
    expect(d.total.mean).toBeLessThanOrEqual(d.total.high);
    // 9 faults × 1 vector, 95 % jointly: each Wilson interval at 1 − 0.05/18 two-sided, z = Φ⁻¹(0.99722) = 2.77.
    expect(d.z).toBeCloseTo(2.77, 2);
    const det = runCli(["coverage", "black-pixel-4x1", "fixtures/coverage/black-pixel-all16.json", "--detection-probability"]);
    expect(det.code).toBe(2);
    expect(det.stderr).toMatch(/stochastic chips/);
    // SPRT on a deterministic chip is bad input, not silently a fixed decision; nothing is written
    const sprtOut = join(dir, "never.json");
    const sprt = runCli(["generate", "black-pixel-4x1", "--decision", "sprt", "-o", sprtOut]);
    expect(sprt.code).toBe(2);
    expect(sprt.stderr).toMatch(/--decision sprt .*deterministic neurons/);
    expect(() => readFileSync(sprtOut)).toThrow();
  }, 120_000);
});
