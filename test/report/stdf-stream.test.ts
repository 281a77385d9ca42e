/**
 * STDF written as the run goes (src/report/stdf-stream.ts, issue 11: `run --stdf` of 10⁶
 * vectors held every record, 553 MB resident at 2·10⁵): the stream's bytes are the
 * whole-run encoder's for random runs, complete and aborted; what it holds does not grow
 * with the run; it refuses what it cannot number without looking back; a full disk is a
 * StdfWriteError that leaves no temporary file; a resumed CLI run's STDF is the
 * uninterrupted run's, but for its times.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { StdfStream } from "../../src/report/stdf-stream.ts";
import { encodeStdf, StdfInputError, StdfWriteError, type StdfRunInput, type StdfVectorResult } from "../../src/report/stdf-writer.ts";
import { createRng } from "../../src/sim/index.ts";
import { runMain } from "../helpers/run-main.ts";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const dir = mkdtempSync(join(tmpdir(), "snn-stdf-stream-"));

function randomRun(seed: number): StdfRunInput {
  const rng = createRng(seed);
  const int = (n: number) => Math.floor(rng.next() * n);
  const outputs = 1 + int(12);
  let number = int(5);
  const vectors: StdfVectorResult[] = Array.from({ length: int(40) }, (_, i) => {
    number += 1 + int(3);
    const pass = rng.next() < 0.7;
    return {
      id: `v${i}${rng.next() < 0.1 ? "é" : ""}`,
      number,
      pass,
      failingOutputs: pass ? [] : Array.from({ length: 1 + int(3) }, () => int(outputs)),
      ...(rng.next() < 0.8 ? { repetitions: 1 + int(5) } : {}),
      spikeTimes: Array.from({ length: int(4) }, () => ({ output: int(outputs), window: int(3), expectedPs: 1000 + int(5000), tolerancePs: 100, measuredPs: rng.next() < 0.2 ? null : 900 + int(5200) })),
    };
  });
  return {
    lotId: `L${seed}`,
    partType: "mlp-16x8x4",
    dutId: `chip-${seed}`,
    programName: "p.json",
    programRevision: "abc123",
    startTime: 1_700_000_000_000 + seed * 1000,
    finishTime: 1_700_000_000_000 + seed * 1000 + int(10_000_000),
    outputs,
    vectors,
    aborted: rng.next() < 0.3,
    testerType: "sim:mlp-16x8x4",
    nodeName: "host",
    modeCode: "D",
    execVersion: "0.1.0",
    ...(rng.next() < 0.5 ? { operatorName: "op" } : {}),
  };
}

function streamed(input: StdfRunInput, file: string): Buffer {
  const { vectors, finishTime, aborted, ...head } = input;
  const w = StdfStream.open(file, { ...head, outputs: input.outputs! });
  for (const v of vectors) w.vector(v);
  w.finish({ finishTime, aborted: aborted ?? false });
  return readFileSync(file);
}

describe("STDF written as the run goes", () => {
  it("gives the whole-run encoder's bytes for 150 random runs (complete and aborted)", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const run = randomRun(seed);
      const file = join(dir, `r${seed}.stdf`);
      expect(streamed(run, file).equals(encodeStdf(run)), `seed ${seed}`).toBe(true);
    }
  });

  it("holds the same whatever the run's length (5,000 vs 50,000 vectors), the file growing instead", () => {
    const v = (i: number): StdfVectorResult => ({ id: `s${i}`, number: i + 1, pass: i % 7 !== 0, failingOutputs: i % 7 ? [] : [3], repetitions: 1, spikeTimes: [{ output: 3, window: 1, expectedPs: 2000, tolerancePs: 100, measuredPs: 2010 }] });
    const held = (n: number) => {
      const file = join(dir, `long-${n}.stdf`);
      gc();
      const before = process.memoryUsage().heapUsed;
      const w = StdfStream.open(file, { lotId: "", partType: "p", dutId: "d", programName: "p.jsonl", startTime: 0, outputs: 10 });
      for (let i = 0; i < n; i++) w.vector(v(i));
      gc();
      const bytes = process.memoryUsage().heapUsed - before;
      w.finish({ finishTime: 1000, aborted: false });
      return { bytes, size: statSync(file).size };
    };
    const few = held(5_000);
    const many = held(50_000);
    expect(many.size).toBeGreaterThan(9 * few.size); // the records went to the file
    // a kept record is ~200 B per vector (10 MB at 50,000); the stream keeps at most a megabyte piece
    expect(many.bytes).toBeLessThan(few.bytes + 3_000_000);
  });

  it("refuses what it cannot number without looking back", () => {
    const w = StdfStream.open(join(dir, "refuse.stdf"), { lotId: "", partType: "p", dutId: "d", programName: "p", startTime: 0, outputs: 2 });
    w.vector({ id: "a", number: 5, pass: true, failingOutputs: [] });
    expect(() => w.vector({ id: "b", number: 5, pass: true, failingOutputs: [] })).toThrow(StdfInputError);
    expect(() => w.vector({ id: "c", number: 1_000_000_000, pass: true, failingOutputs: [] })).toThrow(/below 1000000000/);
    expect(() => w.vector({ id: "d", number: 6, pass: false, failingOutputs: [2] })).toThrow(/failing output 2 is not one of the run's 2 output/);
    w.finish({ finishTime: 0, aborted: true });
  });

  it("a full disk is a StdfWriteError naming the file; no temporary file is left", () => {
    const spills = () => readdirSync(tmpdir()).filter((f) => f.startsWith("snn-stdf-")).length;
    const before = spills();
    const w = StdfStream.open("/dev/full", { lotId: "", partType: "p", dutId: "d", programName: "p", startTime: 0, outputs: 1 });
    expect(() => {
      for (let i = 0; i < 20_000; i++) w.vector({ id: `v${i}`, number: i + 1, pass: true, failingOutputs: [] });
      w.finish({ finishTime: 0, aborted: false });
    }).toThrow(StdfWriteError);
    expect(() => w.finish({ finishTime: 0, aborted: false })).not.toThrow();
    expect(spills()).toBe(before);
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
  });

  it("run --resume --stdf: the resumed run's STDF is the uninterrupted run's but for its times", async () => {
    const program = "fixtures/bench/black-pixel-4x1.program.json";
    const whole = join(dir, "whole.stdf");
    expect((await runMain(["run", program, "--inject", "fast-to-leak@l0.n0", "--datalog", join(dir, "whole.jsonl"), "--stdf", whole, "--no-diagnose"])).code).toBe(1);
    // cut the datalog after two vectors, then resume it with --stdf
    const log = readFileSync(join(dir, "whole.jsonl"), "utf8").split("\n");
    const cut = join(dir, "cut.jsonl");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(cut, log.slice(0, 3).join("\n") + "\n");
    const resumedStdf = join(dir, "resumed.stdf");
    const r = await runMain(["run", program, "--inject", "fast-to-leak@l0.n0", "--datalog", cut, "--resume", "--stdf", resumedStdf, "--no-diagnose"]);
    expect(r.code, r.stderr).toBe(1);
    const untimed = (b: Buffer) => records(b).filter((x) => !["MIR", "PRR", "MRR"].includes(x.name));
    const a = records(readFileSync(whole));
    const b = records(readFileSync(resumedStdf));
    expect(b.map((x) => x.name)).toEqual(a.map((x) => x.name));
    expect(b.filter((x) => x.name === "FTR")).toHaveLength(readFileSync(join(dir, "whole.jsonl"), "utf8").split("\n").filter((l) => l.includes('"type":"vector"')).length);
    expect(untimed(readFileSync(resumedStdf)).map((x) => x.body.toString("hex"))).toEqual(untimed(readFileSync(whole)).map((x) => x.body.toString("hex")));
    expect(existsSync(resumedStdf)).toBe(true);
  });
});

/** STDF records by an independent walk: REC_LEN, REC_TYP, REC_SUB, body. */
function records(b: Buffer): { name: string; body: Buffer }[] {
  const names: Record<string, string> = { "0,10": "FAR", "1,10": "MIR", "1,20": "MRR", "1,30": "PCR", "1,40": "HBR", "1,50": "SBR", "1,60": "PMR", "5,10": "PIR", "5,20": "PRR", "10,30": "TSR", "15,10": "PTR", "15,20": "FTR" };
  const out: { name: string; body: Buffer }[] = [];
  for (let at = 0; at < b.length; ) {
    const len = b.readUInt16LE(at);
    out.push({ name: names[`${b[at + 2]},${b[at + 3]}`] ?? "?", body: b.subarray(at + 4, at + 4 + len) });
    at += 4 + len;
  }
  return out;
}
