/**
 * `run --stdf` as a whole: the MIR says who and what (LOT_ID from --lot-id, NODE_NAM the
 * host, TSTR_TYP the target once, MODE_COD D for a simulated run), one PTR per expected
 * spike, the path is printed, an existing file is kept unless --overwrite, and a run
 * that stops early still leaves a valid STDF of the finished vectors.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { stdfSink } from "../../src/bench/stdf-sink.ts";
import { checkProgramForBench, loadProgram, requireSpikeVectors } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import { InterruptedError } from "../../src/formats/errors.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-stdf-run-"));
const bpFile = "fixtures/bench/black-pixel-4x1.program.json";
const bench = loadTestbench("testbenches/black-pixel-4x1.json");

/** Record names in file order, from REC_TYP/REC_SUB (STDF V4 table), and each record's body. */
function records(bytes: Buffer): { name: string; body: Buffer }[] {
  const names: Record<string, string> = { "0.10": "FAR", "1.10": "MIR", "1.20": "MRR", "1.30": "PCR", "1.40": "HBR", "1.50": "SBR", "1.60": "PMR", "5.10": "PIR", "5.20": "PRR", "10.30": "TSR", "15.10": "PTR", "15.20": "FTR" };
  const out: { name: string; body: Buffer }[] = [];
  for (let off = 0; off < bytes.length; ) {
    const len = bytes.readUInt16LE(off);
    expect(off + 4 + len, "record runs past the end of the file").toBeLessThanOrEqual(bytes.length);
    out.push({ name: names[`${bytes[off + 2]}.${bytes[off + 3]}`] ?? "?", body: bytes.subarray(off + 4, off + 4 + len) });
    off += 4 + len;
  }
  return out;
}

/** MIR: MODE_COD at byte 9, then after 15 fixed bytes the strings LOT_ID, PART_TYP, NODE_NAM, TSTR_TYP. */
function mir(body: Buffer): { mode: string; lot: string; part: string; node: string; tester: string } {
  let p = 15;
  const cn = () => {
    const n = body[p];
    const s = body.toString("latin1", p + 1, p + 1 + n);
    p += 1 + n;
    return s;
  };
  return { mode: String.fromCharCode(body[9]), lot: cn(), part: cn(), node: cn(), tester: cn() };
}

describe("run --stdf", () => {
  const stdf = join(dir, "good.stdf");

  it("names lot, host, tester and mode; one PTR per expected spike; prints the path", async () => {
    const r = await runMain(["run", bpFile, "--stdf", stdf, "--lot-id", "LOT-42"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^stdf: ${stdf.replace(/[.\\/]/g, "\\$&")}$`, "m"));
    const recs = records(readFileSync(stdf));
    expect(mir(recs.find((x) => x.name === "MIR")!.body)).toEqual({ mode: "D", lot: "LOT-42", part: "black-pixel-4x1", node: hostname(), tester: "sim:black-pixel-4x1" });
    const expectedSpikes = requireSpikeVectors(loadProgram(bpFile), bpFile, "test").reduce((n, v) => n + v.expected.length, 0);
    expect(recs.filter((x) => x.name === "PTR")).toHaveLength(expectedSpikes);
  });

  it("refuses to replace an existing file without --overwrite (exit 2), replaces it with", async () => {
    const again = await runMain(["run", bpFile, "--stdf", stdf]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--stdf .*good\.stdf: file already exists; pass --overwrite to replace it/);
    expect((await runMain(["run", bpFile, "--stdf", stdf, "--overwrite"])).code).toBe(0);
  });

  it("a run stopped after its first vector leaves a valid STDF: one FTR, PRR 'abnormal end', MRR last", async () => {
    const program = loadProgram(bpFile);
    checkProgramForBench(program, bpFile, bench);
    expect(program.vectors.length).toBeGreaterThan(1);
    const partial = join(dir, "partial.stdf");
    const ac = new AbortController();
    const run = executeProgram({
      program,
      programFile: bpFile,
      bench,
      target: createSimTarget({ bench: bench.bench }),
      targetLabel: "sim",
      dutId: "chip-1",
      sinks: [{ vector: () => ac.abort() }, stdfSink(partial)],
      signal: ac.signal,
    });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(existsSync(partial)).toBe(true);
    const recs = records(readFileSync(partial));
    expect(recs[0].name).toBe("FAR");
    expect(recs.filter((x) => x.name === "FTR")).toHaveLength(1);
    const prr = recs.find((x) => x.name === "PRR")!.body;
    expect(prr[2] & 0x04).toBe(0x04); // PART_FLG bit 2: abnormal end of testing
    expect(recs.at(-1)!.name).toBe("MRR");
  });
});
