/**
 * The same bench run against a real board, when one is attached: set TEST_PORT (and
 * TEST_BENCH_PROGRAM for a chip other than black-pixel-4x1). Without TEST_PORT this
 * block is reported as skipped under a title that says how to run it — never a pass.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.ts";

const port = process.env.TEST_PORT;
const program = process.env.TEST_BENCH_PROGRAM ?? "fixtures/bench/black-pixel-4x1.program.json";

describe.skipIf(!port)("real board on TEST_PORT (set TEST_PORT=/dev/ttyUSB0 to run against hardware)", () => {
  it("runs every vector of the program and writes a complete datalog", () => {
    const datalog = join(mkdtempSync(join(tmpdir(), "snn-hw-")), "board.jsonl");
    const r = runCli(["run", program, "--target", "serial", "--port", port!, "--datalog", datalog], { timeoutMs: 300_000 });
    expect([0, 1], r.stderr).toContain(r.code); // a real chip may fail; the bench must not
    const records = readFileSync(datalog, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { kind?: string; type?: string });
    const vectors = (JSON.parse(readFileSync(program, "utf8")) as { vectors: unknown[] }).vectors.length;
    expect(records.length).toBe(vectors + 2); // header + one record per vector + footer
  });
});
