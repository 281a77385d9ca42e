/**
 * `diagnose` and `run --resume` in bounded memory (issue 11 item 7): the datalog streams
 * past a visitor that folds it — failing signatures and READs for diagnose
 * (diagnose-fold.ts), counts, failures and retries for resume (resume-state.ts) — so what
 * they retain does not grow with the number of records. Measured two ways: the folded
 * structures' sizes, and the heap retained after a forced GC for 5,000 against 50,000
 * records (the same measurement shows the whole-datalog reader growing, so it can see
 * growth). And on a small datalog the folded results equal the hand-checked ones.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { readDatalog, stableRecord } from "../../src/bench/datalog-reader.ts";
import { DatalogWriter } from "../../src/bench/datalog-writer.ts";
import { foldDatalogForDiagnosis } from "../../src/bench/diagnose-fold.ts";
import { readResumeState } from "../../src/bench/resume-state.ts";
import { resolveInjection } from "../../src/faults/fault-injection.ts";
import type { DatalogRecord, DatalogVector } from "../../src/formats/datalog-format.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const dir = mkdtempSync(join(tmpdir(), "snn-datalog-bounded-"));
const programFile = "fixtures/bench/black-pixel-4x1.program.json";
const bench = loadTestbench("testbenches/black-pixel-4x1.json");
const fault = "dead-synapse@l0.r1.c0";

async function runInto(datalog: string, o: { stopAfter?: number; resume?: boolean; keepRecords?: boolean } = {}) {
  const program = loadProgram(programFile);
  const ac = new AbortController();
  const { writer, existing } = o.resume ? DatalogWriter.resume(datalog, { keepRecords: o.keepRecords }) : { writer: DatalogWriter.create(datalog, { overwrite: true }), existing: null };
  let n = existing?.vectorsDone ?? 0;
  const stopper = { vector: () => void (++n === o.stopAfter && ac.abort()) };
  try {
    return await executeProgram({
      program,
      programFile,
      bench,
      target: createSimTarget({ bench: bench.bench, perturbations: resolveInjection(bench, fault).perturbations }),
      targetLabel: "sim",
      dutId: "chip-1",
      injectedFault: fault,
      sinks: [writer, stopper],
      previous: existing ?? undefined,
      signal: ac.signal,
      keepRecords: o.keepRecords,
    });
  } catch {
    return null;
  } finally {
    writer.close();
  }
}

const small = join(dir, "small.jsonl");
const failingIds = (file: string) => readDatalog(file).vectors.filter((v) => v.verdict === "fail").map((v) => v.vectorId);

describe("a small datalog (black-pixel-4x1, dead synapse l0.r1.c0): folded results as hand-checked", () => {
  it("diagnose's fold keeps the failing signatures only, and they are the program's expected spikes gone missing", async () => {
    const run = await runInto(small);
    expect(run?.footer.verdict).toBe("fail");
    const fold = foldDatalogForDiagnosis(small);
    expect(fold.records).toBe(25); // the fixture's 25 vectors
    expect(fold.vectorCount).toBe(25);
    expect(fold.failingReads).toEqual([]);
    // p1111 expects output 0 in window 2 (the fixture); the dead synapse removes that spike: "m0@2"
    expect(fold.observed.p1111).toEqual(["m0@2"]);
    // exactly the failing vectors of the datalog, each with a signature, and nothing else kept
    expect(Object.keys(fold.observed).sort()).toEqual(failingIds(small).sort());
    for (const items of Object.values(fold.observed)) expect(items.length).toBeGreaterThan(0);
  });

  it("--resume from tallies only (no records kept) ends with the same footer as the uninterrupted run", async () => {
    const whole = readDatalog(small);
    const cut = join(dir, "cut.jsonl");
    expect(await runInto(cut, { stopAfter: 9 })).toBeNull(); // interrupted after 9 vectors
    const state = readResumeState(cut, { keepRecords: false });
    expect(state.records).toBe(9);
    expect(state.vectors).toEqual([]);
    expect(state.failing).toEqual(whole.vectors.slice(0, 9).filter((v) => v.verdict === "fail").map((v) => ({ index: v.index, id: v.vectorId })));
    const resumed = await runInto(cut, { resume: true, keepRecords: false });
    expect(resumed?.vectors).toHaveLength(0); // tallies only
    const stable = (r: DatalogRecord) => stableRecord(r);
    expect(stable(resumed!.footer)).toEqual(stable(whole.footer!));
    expect(readDatalog(cut).vectors.map(stable)).toEqual(whole.vectors.map(stable));
  });
});

describe("memory does not grow with the record count", () => {
  /** A synthetic datalog: the small run's header, then `n` vector records (the first 3 failing), ids s0…. */
  function synthetic(n: number): string {
    const log = readDatalog(small);
    const failing = log.vectors.find((v) => v.vectorId === "p1111")!;
    const passing = log.vectors.find((v) => v.verdict === "pass")!;
    const file = join(dir, `synthetic-${n}.jsonl`);
    writeFileSync(file, `${JSON.stringify(log.header)}\n`);
    let chunk = "";
    for (let i = 0; i < n; i++) {
      const rec: DatalogVector = { ...(i < 3 ? failing : passing), index: i, vectorId: `s${i}` };
      chunk += `${JSON.stringify(rec)}\n`;
      if (chunk.length > 1 << 20) (appendFileSync(file, chunk), (chunk = ""));
    }
    appendFileSync(file, chunk);
    return file;
  }

  /** Heap still reachable after `read` (its result held), over the heap before, after forced GCs. */
  function retained(read: () => unknown): { bytes: number; result: unknown } {
    gc();
    const before = process.memoryUsage().heapUsed;
    const result = read();
    gc();
    return { bytes: process.memoryUsage().heapUsed - before, result };
  }

  it("diagnose's fold and resume's tallies hold the same for 5,000 and 50,000 records; the whole-datalog reader does not", () => {
    const few = synthetic(5_000);
    const many = synthetic(50_000);
    const d5 = retained(() => foldDatalogForDiagnosis(few));
    const d50 = retained(() => foldDatalogForDiagnosis(many));
    const r5 = retained(() => readResumeState(few, { keepRecords: false }));
    const r50 = retained(() => readResumeState(many, { keepRecords: false }));
    // structure sizes: 3 failing signatures and 3 failing records, whatever the length
    for (const [f, n] of [[d5.result, 5_000], [d50.result, 50_000]] as const) {
      const fold = f as ReturnType<typeof foldDatalogForDiagnosis>;
      expect(fold.vectorCount).toBe(n);
      expect(Object.keys(fold.observed)).toEqual(["s0", "s1", "s2"]);
    }
    for (const [s, n] of [[r5.result, 5_000], [r50.result, 50_000]] as const) {
      const state = s as ReturnType<typeof readResumeState>;
      expect(state.records).toBe(n);
      expect(state.failing.map((f) => f.id)).toEqual(["s0", "s1", "s2"]);
      expect(state.vectors).toHaveLength(0);
    }
    // the same measurement sees the whole-datalog reader grow: ~1 KB a kept record, so > 450 B each for 4,500 more
    const w5 = retained(() => readDatalog(synthetic(500)));
    const w50 = retained(() => readDatalog(few));
    expect(w50.bytes - w5.bytes).toBeGreaterThan(4_500 * 450);
    // 45,000 more records: kept, they would be > 20 MB; the folds may differ by 2 MB of noise (< 45 B a record)
    expect(d50.bytes - d5.bytes).toBeLessThan(2 << 20);
    expect(r50.bytes - r5.bytes).toBeLessThan(2 << 20);
  }, 240_000);
});
