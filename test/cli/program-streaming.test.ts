/**
 * `.jsonl` programs are streamed (issue 11 item 7): `run`, `coverage` and `diagnose`
 * (the same reader as coverage) read them line by line, so a bad line 3 is reported while the file is still being
 * written. The program here is a FIFO whose writer stays open until the error has been
 * printed: a reader that reads the whole file first (readFileSync) prints nothing before
 * the end of the file; a streaming reader names line 3 at once.
 * Memory for 10⁶ vectors: `npm run bench -- stream`.
 */
import { spawn, spawnSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { stableRecord } from "../../src/bench/datalog-reader.ts";
import { resolveInjection } from "../../src/faults/fault-injection.ts";
import type { Program } from "../../src/formats/program-format.ts";
import { programHash, programHasher } from "../../src/formats/program-hash.ts";
import { readProgramStream } from "../../src/formats/program-stream-reader.ts";
import { scanProgram, type StreamedProgram } from "../../src/formats/streamed-program.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { repoRoot, runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-streaming-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = join(repoRoot, "fixtures/bench/black-pixel-4x1.program.json");

/** A FIFO holding a header, one good vector and a bad line 3, kept open for writing (no EOF). */
function openEndedProgram(name: string): { file: string; close: () => void } {
  const { vectors, ...header } = JSON.parse(readFileSync(fixture, "utf8")) as { vectors: unknown[]; $schema?: string };
  delete header.$schema;
  const file = join(dir, name);
  expect(spawnSync("mkfifo", [file]).status).toBe(0);
  const fd = openSync(file, constants.O_RDWR); // Linux: does not wait for a reader; keeps the FIFO without EOF
  writeSync(fd, `${JSON.stringify(header)}\n${JSON.stringify(vectors[0])}\n{"id": "v2", "kind": "spike", "windows": "three"}\n`);
  return { file, close: () => closeSync(fd) };
}

describe("streamed .jsonl programs", () => {
  it.each([
    ["run", (f: string) => ["run", f]],
    ["coverage", (f: string) => ["coverage", "black-pixel-4x1", f]],
  ])("%s reports a bad line 3 before the file ends (exit 2, the line named)", async (cmd, args) => {
    const p = openEndedProgram(`${cmd}.jsonl`);
    const child = spawn(process.execPath, [join(repoRoot, "bin", "snn-atpg.js"), ...args(p.file)], { cwd: repoRoot });
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      // The error must come while the writer still holds the file open (generous: a loaded 2-core machine).
      const named = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 30_000);
        child.stderr.on("data", (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes(`${cmd}.jsonl line 3`)) {
            clearTimeout(timer);
            resolve(true);
          }
        });
      });
      expect(named, `stderr so far: ${stderr}`).toBe(true);
    } finally {
      p.close();
    }
    expect(await exited).toBe(2);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("the hash of a program met step by step is programHash (what datalogs and resume are tied to)", () => {
    const program = loadProgram(fixture);
    const { vectors, ...header } = program;
    const h = programHasher(header);
    for (const v of vectors) h.add(v);
    expect(h.digest()).toBe(programHash(program));
  });

  it("a streamed .jsonl run (no records kept) gives the loaded run's header hash, records and footer", async () => {
    const loaded = loadProgram(fixture);
    const bench = loadTestbench(join(repoRoot, "testbenches/black-pixel-4x1.json"));
    const jsonl = join(dir, "same.jsonl");
    const { vectors, ...header } = loaded;
    writeFileSync(jsonl, [header, ...vectors].map((x) => JSON.stringify(x)).join("\n") + "\n");
    const perturbations = resolveInjection(bench, "dead-synapse@l0.r1.c0").perturbations;
    const run = async (program: Program | StreamedProgram, keepRecords: boolean) => {
      const seen: unknown[] = [];
      const r = await executeProgram({ program, programFile: "p", bench, target: createSimTarget({ bench: bench.bench, perturbations }), targetLabel: "sim", dutId: "d", keepRecords, sinks: [{ vector: (v) => void seen.push(stableRecord(v)) }] });
      return { r, seen };
    };
    const a = await run(loaded, true);
    const b = await run(await scanProgram(await readProgramStream(jsonl), bench), false);
    expect(b.r.header.program.sha256).toBe(a.r.header.program.sha256);
    expect(b.r.vectors).toEqual([]); // nothing kept in memory
    expect(b.seen).toEqual(a.seen);
    expect({ ...b.r.footer, finishedAt: 0 }).toEqual({ ...a.r.footer, finishedAt: 0 });
    expect(a.r.footer.failed).toBeGreaterThan(0); // the comparison covers failing vectors too
  });
});
