/**
 * Sharded criticality (`coverage --criticality --shard i/3 --out …`): each shard grades its
 * slice and scores the faults of the criticality sample that fall in it; `merge` rebuilds
 * the unsharded JSON report — classes and the critical-fault coverage record — byte for
 * byte but for the timing field. By the sample's definition (critical-coverage.ts) with
 * --critical-sample 3 and two strata (dead-neuron on l0, on l1) of more than 3 faults,
 * exactly 6 faults carry an effect across the parts, each in the shard its FNV-1a id hash
 * names. Cheap: 16 faults on bnn-mnist-784x1024x10, 4 digits, in-process runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { imageStimulus } from "../../src/classifier/chip-classifier.ts";
import { image, mnistSplit } from "../../src/classifier/mnist-dataset.ts";
import { fnv1a32 } from "../../src/faultsim/fault-shard.ts";
import { goodResponse } from "../../src/faultsim/index.ts";
import { partRecordSchema } from "../../src/formats/part-kinds-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-crit-shard-"));
const untimed = (json: string) => json.replace(/"elapsedMs":[\d.e+-]+/, '"elapsedMs":0');

function digitProgram(): string {
  const lb = loadTestbench("testbenches/bnn-mnist-784x1024x10.json");
  const net = compileNetwork(lb.bench);
  const { heldOut } = mnistSplit();
  const px = image(heldOut, 0);
  const expected = goodResponse(net, { stimulus: imageStimulus(net, px) }).observed;
  const program = {
    schemaVersion: 1,
    testbench: { id: lb.bench.id, sha256: lb.sha256 },
    timingTolerancePs: 100,
    decision: { rule: "single" },
    vectors: [{ id: "mnist-0", iwPs: net.iwPs, lwPs: net.lwPs, windows: 2, pattern: [Array.from(px, (p) => (p ? "1" : "0")).join("")], repetitions: 1, expected }],
  };
  const file = join(dir, "p.json");
  writeFileSync(file, JSON.stringify(program));
  return file;
}

describe("coverage --criticality --shard + merge", () => {
  it("three shards merged give the unsharded report, criticality record included; 6 sampled effects, each in its hash's shard", async () => {
    const sites = [...Array.from({ length: 10 }, (_, k) => `l1.n${k}`), ...Array.from({ length: 6 }, (_, k) => `l0.n${k * 100}`)].join(",");
    const args = ["coverage", "bnn-mnist-784x1024x10", digitProgram(), "--models", "dead-neuron", "--sites", sites, "--criticality", "--critical-images", "4", "--critical-sample", "3", "--jobs", "1"];
    const parts = [0, 1, 2].map((i) => join(dir, `crit-${i}.jsonl`));
    for (const [i, out] of parts.entries()) {
      const r = await runMain([...args, "--shard", `${i}/3`, "--out", out]);
      expect(r.code, r.stderr).toBe(0);
    }
    const whole = await runMain([...args, "--json"]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(JSON.parse(whole.stdout).criticality.sampled).toBe(true);
    const merged = await runMain(["merge", ...parts, "--json"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(untimed(merged.stdout)).toBe(untimed(whole.stdout));
    let scored = 0;
    parts.forEach((p, i) => {
      const lines = readFileSync(p, "utf8").trim().split("\n").map((l) => JSON.parse(l));
      for (const line of lines) expect(partRecordSchema.safeParse(line).success, JSON.stringify(line)).toBe(true);
      expect(lines[0].criticality).toMatchObject({ criticalImages: 4, criticalSample: 3, goodImages: 4 });
      for (const rec of lines.slice(1, -1)) {
        expect(fnv1a32(rec.faultId) % 3).toBe(i);
        if (rec.criticality) scored++;
      }
    });
    expect(scored).toBe(6);
  }, 120_000);

  it("--faults: the same JSON for --jobs 1 and 2 (with 2, the good hidden layer started on the pool before the fault walk), over the whole universe's counts", async () => {
    // an output neuron, a hidden neuron, cells of two hidden columns and of the output layer
    const ids = ["dead-neuron@l1.n3", "dead-neuron@l0.n7", "dead-synapse@l0.r5.c7", "retention-flip@l0.r6.c2", "dead-synapse@l1.r2.c4"];
    const list = join(dir, "listed.faults");
    writeFileSync(list, ids.join("\n") + "\n");
    const args = ["coverage", "bnn-mnist-784x1024x10", digitProgram(), "--faults", list, "--criticality", "--critical-images", "4", "--json"];
    const one = await runMain([...args, "--jobs", "1"]);
    // 5 faults × 4 digits would stay in the command's thread (pooledScoring): the test's switch puts them on the pool
    const saved = process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
    process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = "1";
    let two: Awaited<ReturnType<typeof runMain>>;
    try {
      two = await runMain([...args, "--jobs", "2"]);
    } finally {
      if (saved === undefined) delete process.env.SNN_ATPG_MIN_FAULTS_PER_JOB;
      else process.env.SNN_ATPG_MIN_FAULTS_PER_JOB = saved;
    }
    expect(one.code, one.stderr).toBe(0);
    expect(untimed(two.stdout)).toBe(untimed(one.stdout));
    const r = JSON.parse(one.stdout);
    expect(r.faultList.graded).toBe(ids.length);
    // the universe is still the whole chip's: 784 × 1024 + 1024 × 10 cells carry dead synapses
    expect(r.universe.byModel["dead-synapse"].uncollapsed).toBe(784 * 1024 + 1024 * 10);
    expect(r.faultList.of).toBe(r.universe.total.collapsed);
  }, 120_000);
});
