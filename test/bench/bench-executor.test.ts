/**
 * The bench executor on the sim target: verdicts, the datalog (fsync'd JSON Lines),
 * resume after an interruption (equal to an uninterrupted run, weights re-written),
 * a cut-off last record, and the `run` command's exit codes and refusals.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { readDatalog, stableRecord } from "../../src/bench/datalog-reader.ts";
import { DatalogWriter } from "../../src/bench/datalog-writer.ts";
import { resolveInjection } from "../../src/faults/fault-injection.ts";
import type { DatalogRecord } from "../../src/formats/datalog-format.ts";
import { checkProgramForBench, loadProgram, requireSpikeVectors } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import { InterruptedError } from "../../src/formats/errors.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-bench-exec-"));
const bpFile = "fixtures/bench/black-pixel-4x1.program.json";
const writesFile = "fixtures/bench/black-pixel-4x1-writes.program.json";
const bench = loadTestbench("testbenches/black-pixel-4x1.json");

function load(file: string) {
  const program = loadProgram(file);
  checkProgramForBench(program, file, bench);
  return program;
}

/** Run a program on a sim target into a datalog; abort after `stopAfter` vectors if given. */
async function runInto(file: string, datalog: string, o: { stopAfter?: number; resume?: boolean; inject?: string } = {}) {
  const program = load(file);
  const ac = new AbortController();
  const { writer, existing } = o.resume ? DatalogWriter.resume(datalog) : { writer: DatalogWriter.create(datalog, { overwrite: true }), existing: null };
  let n = existing?.vectors.length ?? 0;
  const stopper = { vector: () => void (++n === o.stopAfter && ac.abort()) };
  const perturbations = o.inject ? resolveInjection(bench, o.inject).perturbations : undefined;
  try {
    return await executeProgram({
      program,
      programFile: file,
      bench,
      target: createSimTarget({ bench: bench.bench, perturbations }),
      targetLabel: "sim",
      dutId: "chip-1",
      injectedFault: o.inject,
      sinks: [writer, stopper],
      previous: existing ?? undefined,
      signal: ac.signal,
    });
  } finally {
    writer.close();
  }
}

const stable = (file: string) => {
  const log = readDatalog(file);
  return [log.header, ...log.vectors, ...(log.footer ? [log.footer] : [])].map((r) => stableRecord(r as DatalogRecord));
};

describe("bench executor on the sim target", () => {
  it("passes the good chip and fails an injected dead synapse, with one datalog record per vector", async () => {
    const good = await runInto(bpFile, join(dir, "good.jsonl"));
    const n = load(bpFile).vectors.length;
    expect(good.footer).toMatchObject({ verdict: "pass", vectors: n, passed: n, failed: 0 });
    const bad = await runInto(bpFile, join(dir, "bad.jsonl"), { inject: "dead-synapse@l0.r1.c0" });
    expect(bad.footer.verdict).toBe("fail");
    // a dead synapse on row 1 can only change vectors that drive row 1, and it kills the all-black response
    const drivesRow1 = new Set(requireSpikeVectors(load(bpFile), bpFile, "test").filter((v) => v.pattern!.some((p) => p[1] === "1")).map((v) => v.id));
    expect(bad.footer.failingVectors).toContain("p1111");
    for (const id of bad.footer.failingVectors) expect(drivesRow1.has(id), id).toBe(true);
    const log = readDatalog(join(dir, "bad.jsonl"));
    expect(log.header.target.injectedFault).toBe("dead-synapse@l0.r1.c0");
    expect(log.vectors).toHaveLength(n);
    expect(log.vectors.find((v) => v.vectorId === "p1111")).toMatchObject({ verdict: "fail", mismatch: { missing: 1, extra: 0, shifted: 0 } });
    expect(log.footer?.failed).toBe(bad.footer.failingVectors.length);
  });

  it("an interrupted run keeps every finished vector; --resume ends with the uninterrupted datalog", async () => {
    const full = join(dir, "full.jsonl");
    const cut = join(dir, "cut.jsonl");
    await runInto(bpFile, full);
    await expect(runInto(bpFile, cut, { stopAfter: 7 })).rejects.toBeInstanceOf(InterruptedError);
    const partial = readDatalog(cut);
    expect(partial.vectors).toHaveLength(7);
    expect(partial.footer).toBeNull();
    await runInto(bpFile, cut, { resume: true });
    expect(stable(cut)).toEqual(stable(full));
  });

  it("resume drops a record cut off mid-write", async () => {
    const full = join(dir, "full2.jsonl");
    const cut = join(dir, "torn.jsonl");
    await runInto(bpFile, full);
    await expect(runInto(bpFile, cut, { stopAfter: 4 })).rejects.toBeInstanceOf(InterruptedError);
    appendFileSync(cut, '{"type":"vector","index":4,"vectorId":"p0100","dutId":"ch'); // power lost mid-line
    expect(readDatalog(cut)).toMatchObject({ partialTail: true });
    await runInto(bpFile, cut, { resume: true });
    expect(stable(cut)).toEqual(stable(full));
  });

  it("a resumed run re-programs the weights earlier vectors wrote (a restarted board lost them)", async () => {
    const full = join(dir, "writes-full.jsonl");
    const cut = join(dir, "writes-cut.jsonl");
    const whole = await runInto(writesFile, full);
    expect(whole.footer.verdict).toBe("pass");
    expect(whole.vectors.map((v) => v.repetitions.length)).toEqual([1, 1, 3, 1, 4]);
    // stop right after "rows012-off" wrote rows 0–2 to 0; the resumed sim target starts from the bench weights
    await expect(runInto(writesFile, cut, { stopAfter: 2 })).rejects.toBeInstanceOf(InterruptedError);
    const resumed = await runInto(writesFile, cut, { resume: true });
    expect(resumed.footer.verdict).toBe("pass");
    expect(stable(cut)).toEqual(stable(full));
  });
});

describe("snn-atpg run (sim target)", () => {
  it("exit 0 for the good chip, 1 with a fault injected; prints per-vector lines and a summary", async () => {
    const good = await runMain(["run", bpFile]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/PASS {2}p1111\n/);
    expect(good.stdout).toMatch(/(\d+) vectors, \1 passed, 0 failed, 0 link retries — PASS/);
    const bad = await runMain(["run", bpFile, "--inject", "slow-to-integrate@l0.n0", "--cache-dir", join(dir, "cache")]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}p1111 {2}missing 1, extra 0, shifted 0/);
    // the top diagnosis names the injected fault
    expect(bad.stdout).toMatch(/most likely fault .*\n1\. score 1\.00: .*\n {5}slow-to-integrate at l0\.n0 /);
  });

  it("refuses to clobber a datalog, a resume without --datalog, and a datalog of another program (exit 2, located)", async () => {
    const file = join(dir, "cli.jsonl");
    expect((await runMain(["run", bpFile, "--datalog", file])).code).toBe(0);
    const again = await runMain(["run", bpFile, "--datalog", file]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/cli\.jsonl: datalog already exists; continue it with --resume, or pass --overwrite/);
    expect((await runMain(["run", bpFile, "--resume"])).stderr).toMatch(/--resume needs --datalog/);
    const other = await runMain(["run", writesFile, "--datalog", file, "--resume"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/cli\.jsonl: at line 1\.program\.sha256: expected the hash of .*black-pixel-4x1-writes/);
    // resuming a finished datalog measures nothing and reports the recorded verdict
    const done = await runMain(["run", bpFile, "--datalog", file, "--resume"]);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/already complete/);
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(load(bpFile).vectors.length + 2);
  });

  it("rejects a bad --inject and --port on the sim target (exit 2)", async () => {
    const r1 = await runMain(["run", bpFile, "--inject", "dead-synapse@l0.n0"]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/fault model dead-synapse sits on synapse sites, but l0\.n0 is a neuron site/);
    const r2 = await runMain(["run", bpFile, "--port", "/dev/null"]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--port is for hardware targets/);
  });

  it("--stdf writes one FTR per vector (walked with an independent record reader)", async () => {
    const stdf = join(dir, "run.stdf");
    expect((await runMain(["run", bpFile, "--inject", "dead-synapse@l0.r0.c0", "--stdf", stdf, "--no-diagnose"])).code).toBe(1);
    const bytes = readFileSync(stdf);
    const types: string[] = [];
    for (let off = 0; off < bytes.length; ) {
      const len = bytes.readUInt16LE(off);
      types.push(`${bytes[off + 2]}.${bytes[off + 3]}`);
      off += 4 + len;
    }
    expect(types[0]).toBe("0.10"); // FAR
    expect(types.filter((t) => t === "15.20")).toHaveLength(load(bpFile).vectors.length); // FTR
    expect(types.at(-1)).toBe("1.20"); // MRR
  });
});

// keep the temp dir tidy for a human who looks at it
writeFileSync(join(dir, "README"), "snn-atpg bench executor test outputs\n");
