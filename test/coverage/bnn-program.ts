/**
 * A small test program for bnn-784x1024x10 made in the test (no fixture file): `n` spike
 * vectors of seeded random half-density patterns, 3 windows each, at the bench's timing.
 * The expected responses are left empty — `coverage` grades against the simulated good
 * chip all the same (and warns), which is all the interrupt tests need.
 *
 *   writeFileSync(file, JSON.stringify(bnnProgram(2)));
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { testbenchHash } from "../../src/formats/testbench-loader.ts";
import { repoRoot } from "../helpers/run-cli.ts";

export function bnnProgram(n: number): object {
  const bench = JSON.parse(readFileSync(join(repoRoot, "testbenches", "bnn-784x1024x10.json"), "utf8"));
  let s = 7;
  const bit = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) < 2 ** 31 ? "1" : "0");
  return {
    schemaVersion: 1,
    testbench: { id: bench.id, sha256: testbenchHash(bench) },
    timingTolerancePs: 500,
    decision: { rule: "single" },
    metadata: { generator: "test/coverage/bnn-program.ts" },
    vectors: Array.from({ length: n }, (_, k) => ({ id: `v${k}`, iwPs: bench.timing.iwPs, lwPs: bench.timing.lwPs, windows: 3, repetitions: 1, pattern: [Array.from({ length: 784 }, bit).join("")], expected: [] })),
  };
}
