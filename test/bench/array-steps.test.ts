/**
 * Programs with write / read / pause steps: the format loads them (old programs still
 * do), checks them against the bench with located errors, consumers that cannot handle
 * them refuse by name, and the executor applies them and records a fail-bitmap row.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executeProgram as run } from "../../src/bench/bench-executor.ts";
import { DatalogWriter } from "../../src/bench/datalog-writer.ts";
import { readDatalog } from "../../src/bench/datalog-reader.ts";
import { FormatError } from "../../src/formats/format-error.ts";
import { checkProgramForBench, parseProgram, requireSpikeVectors } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import type { Target } from "../../src/targets/target.ts";

const bench = loadTestbench("testbenches/mlp-16x8x4.json");
const header = { schemaVersion: 1, testbench: { id: bench.bench.id, sha256: bench.sha256 } };

/** A memory of rows where one cell (layer 0, row 2, column 5) is stuck at 0. */
function stuckTarget(): Target & { writes: number; reads: number } {
  const mem = new Map<string, string>();
  const t = {
    writes: 0,
    reads: 0,
    async open() {
      return { kind: "mem", identity: "mem:1", inputs: 16, outputs: 4, tickPs: 10 };
    },
    async setTiming(iwPs: number, lwPs: number) {
      return { iwPs, lwPs };
    },
    async writeRow(layer: number, row: number, bits: string) {
      t.writes++;
      const b = layer === 0 && row === 2 ? `${bits.slice(0, 5)}0${bits.slice(6)}` : bits;
      mem.set(`${layer}.${row}`, b);
    },
    async readRow(layer: number, row: number) {
      t.reads++;
      return mem.get(`${layer}.${row}`) ?? "0".repeat(layer === 0 ? 8 : 4);
    },
    async apply() {
      return { spikes: [], retries: 0, logs: [] };
    },
    async close() {},
  };
  return t;
}

const steps = [
  { kind: "write", id: "w1", phase: "array", layer: 0, row: 2, bits: "11111111" },
  { kind: "pause", id: "p1", phase: "array", dwellNs: 5 },
  { kind: "read", id: "r1", phase: "array", layer: 0, row: 2, expected: "11111111" },
  { kind: "write", id: "w2", phase: "array", layer: 0, row: 3, bits: "10101010" },
  { kind: "read", id: "r2", phase: "array", layer: 0, row: 3, expected: "10101010" },
];

describe("programs with array steps", () => {
  it("load, and old spike-only programs still load unchanged", () => {
    const p = parseProgram(JSON.stringify({ ...header, vectors: steps }), "p.json");
    expect(p.vectors.map((s) => s.kind)).toEqual(["write", "pause", "read", "write", "read"]);
    checkProgramForBench(p, "p.json", bench);
    const old = parseProgram(readFileSync("fixtures/bench/black-pixel-4x1.program.json", "utf8"), "old.json");
    expect(old.vectors.every((v) => v.kind === undefined)).toBe(true);
  });

  it("a malformed step is a located error naming its own field", () => {
    const bad = [{ kind: "read", id: "r", layer: 0, row: 1, expected: "10x" }];
    expect(() => parseProgram(JSON.stringify({ ...header, vectors: bad }), "p.json")).toThrow(/vectors\[0\]\.expected/);
    const wide = [{ kind: "write", id: "w", layer: 0, row: 1, bits: "111" }];
    const p = parseProgram(JSON.stringify({ ...header, vectors: wide }), "p.json");
    // layer 0 of mlp-16x8x4 has 8 columns: a 3-bit write is refused at the step
    expect(() => checkProgramForBench(p, "p.json", bench)).toThrow(/vectors\[0\]\.bits.*8 bits/s);
    const deep = [{ kind: "read", id: "r", layer: 2, row: 0, expected: "1111" }];
    expect(() => checkProgramForBench(parseProgram(JSON.stringify({ ...header, vectors: deep }), "p.json"), "p.json", bench)).toThrow(/layer below 2/);
  });

  it("a consumer that handles spike vectors only refuses a step by kind and id", () => {
    const p = parseProgram(JSON.stringify({ ...header, vectors: steps }), "p.json");
    expect(() => requireSpikeVectors(p, "p.json", "the STIL exporter")).toThrow(FormatError);
    expect(() => requireSpikeVectors(p, "p.json", "the STIL exporter")).toThrow(/vectors\[0\] \(write step w1\).*STIL exporter/s);
  });

  it("the executor writes, reads and records the failing column of a stuck cell", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-steps-"));
    const file = join(dir, "p.json");
    writeFileSync(file, JSON.stringify({ ...header, vectors: steps }));
    const program = parseProgram(readFileSync(file, "utf8"), file);
    const target = stuckTarget();
    const log = join(dir, "log.jsonl");
    const writer = DatalogWriter.create(log, { overwrite: true });
    const r = await run({ program, programFile: file, bench, target, targetLabel: "mem", dutId: "d", sinks: [writer] });
    writer.close();
    expect(target.writes).toBe(2);
    expect(target.reads).toBe(2);
    // column 5 of row 2 cannot hold a 1: the only failing step is r1, bitmap column 5
    expect(r.footer.failingVectors).toEqual(["r1"]);
    expect(r.steps.find((s) => s.stepId === "r1")?.failingColumns).toEqual([5]);
    expect(r.footer.vectors).toBe(5);
    const back = readDatalog(log);
    expect(back.steps.map((s) => s.index)).toEqual([0, 1, 2, 3, 4]);
    expect(back.steps[2].bits).toBe("11111011");
  });

  it("a target without READ is refused before the first step", async () => {
    const program = parseProgram(JSON.stringify({ ...header, vectors: steps }), "p.json");
    const t = stuckTarget();
    delete (t as Partial<Target>).readRow;
    await expect(run({ program, programFile: "p.json", bench, target: t, targetLabel: "mem", dutId: "d" })).rejects.toThrow(/READ/);
    expect(t.writes).toBe(0);
  });
});
