/**
 * `run` and `diagnose` on the bad input a first-time user hands them: broken or
 * mistyped programs, a datalog where the program belongs (and the other way round), a
 * cut-off datalog, unwritable output paths, a bench the program names but that is not
 * shipped, and impossible serial options. Each must exit with the documented code and a
 * one-line message naming the file, the place and the fix — never a stack trace.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runMain, type MainRun } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-run-errors-"));
const bpFile = "fixtures/bench/black-pixel-4x1.program.json";
const base = JSON.parse(readFileSync(bpFile, "utf8")) as { vectors: Record<string, unknown>[] } & Record<string, unknown>;
const datalog = join(dir, "chip.jsonl");

/** Write a variant of the reference program; returns its path. */
function variant(name: string, edit: (p: typeof base) => void): string {
  const p = structuredClone(base);
  edit(p);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(p, null, 1));
  return file;
}

function expectBadInput(r: MainRun, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
}

beforeAll(async () => {
  expect((await runMain(["run", bpFile, "--inject", "dead-synapse@l0.r1.c0", "--datalog", datalog, "--no-diagnose"])).code).toBe(1);
});

describe("run / diagnose: malformed programs", () => {
  it("a syntax error is located by line and column (V8 gives no position for an unexpected token)", async () => {
    const file = join(dir, "trailing-comma.json");
    writeFileSync(file, '{\n  "schemaVersion": 1,\n  "vectors": [1, 2,]\n}\n');
    for (const args of [["run", file], ["coverage", "black-pixel-4x1", file]]) {
      expectBadInput(await runMain(args), /trailing-comma\.json: at line 3 column 20: expected valid JSON, found Unexpected token '\]' \(check for a missing comma/);
    }
  });

  it("a wrong type deep inside names the JSON path", async () => {
    const file = variant("deep.json", (p) => void (p.vectors[3].windows = "3"));
    expectBadInput(await runMain(["run", file]), /deep\.json: at vectors\[3\]\.windows: expected number, found string "3"/);
  });

  it("a broken line of a .jsonl program names the line", async () => {
    const { vectors, ...header } = base;
    const lines = [JSON.stringify(header), ...vectors.map((v) => JSON.stringify(v))];
    lines[4] = lines[4].slice(0, -5);
    const file = join(dir, "broken.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    expectBadInput(await runMain(["run", file]), /broken\.jsonl line 5: at column \d+: expected valid JSON, found Unterminated string/);
  });

  it("a pattern as wide as another bench's inputs", async () => {
    const file = variant("wide.json", (p) => void (p.vectors[2].pattern = ["00000"]));
    expectBadInput(await runMain(["run", file]), /wide\.json: at vectors\[2\]\.pattern\[0\]: expected 4 bits, found 5 bits "00000"/);
  });

  it("a program made for a bench file that is not shipped asks for --testbench", async () => {
    const file = variant("custom-bench.json", (p) => void (p.testbench = { id: "my-bench", sha256: "0".repeat(64) }));
    for (const args of [["run", file], ["diagnose", file, datalog]]) {
      expectBadInput(await runMain(args), /custom-bench\.json: at testbench\.id: expected the id of a shipped testbench .*found "my-bench" .*pass it with --testbench <file>/);
    }
  });
});

describe("run / diagnose: datalogs", () => {
  it("arguments swapped: a datalog given as the program, a program given as the datalog", async () => {
    expectBadInput(await runMain(["diagnose", datalog, bpFile]), /chip\.jsonl line 1: at \(top level\): expected a test program .*found a datalog header .*`diagnose` takes <program> <datalog>/);
    expectBadInput(await runMain(["diagnose", bpFile, bpFile]), /black-pixel-4x1\.program\.json: at line 1: expected a datalog header record .*found a test program .*`diagnose` takes <program> <datalog>/);
    const renamed = join(dir, "chip-as.json");
    writeFileSync(renamed, readFileSync(datalog));
    expectBadInput(await runMain(["run", renamed]), /chip-as\.json: at \(top level\): expected a test program .*found a datalog header/);
  });

  it("a datalog cut off inside its header says so", async () => {
    const cut = join(dir, "cut-header.jsonl");
    writeFileSync(cut, readFileSync(datalog, "utf8").slice(0, 200));
    expectBadInput(await runMain(["diagnose", bpFile, cut]), /cut-header\.jsonl: at line 1: expected a header record, found only a cut-off first line/);
  });

  it("a datalog of another program", async () => {
    expectBadInput(await runMain(["diagnose", "fixtures/bench/black-pixel-4x1-writes.program.json", datalog]), /chip\.jsonl: at line 1\.program\.sha256: expected the hash of .*writes\.program\.json/);
  });
});

describe("run: output paths and serial options are checked before anything runs", () => {
  const blocker = join(dir, "a-file");
  writeFileSync(blocker, "");
  mkdirSync(join(dir, "a-folder"), { recursive: true });

  it("--datalog / --stdf behind a file, --datalog naming a folder", async () => {
    expectBadInput(await runMain(["run", bpFile, "--datalog", join(blocker, "d.jsonl")]), /--datalog .*a-file\/d\.jsonl: .*a-file is a file, not a folder; choose another path/);
    expectBadInput(await runMain(["run", bpFile, "--stdf", join(blocker, "r.stdf")]), /--stdf .*: .*a-file is a file, not a folder/);
    expectBadInput(await runMain(["run", bpFile, "--datalog", join(dir, "a-folder")]), /--datalog .*a-folder: is a folder, give a file name/);
    expectBadInput(await runMain(["run", bpFile, "--datalog", join(dir, "a-folder"), "--resume"]), /a-folder: cannot read the datalog to resume \(it is a folder; give the datalog file\)/);
  });

  it("--baud 0 is bad input, not a port error", async () => {
    expectBadInput(await runMain(["run", bpFile, "--target", "serial", "--port", "/dev/tty-snn-missing", "--baud", "0"]), /--baud expects a positive integer \(e\.g\. 115200\), got "0"/);
    expectBadInput(await runMain(["emulate", "black-pixel-4x1", "--port", "/dev/tty-snn-missing", "--baud", "-5"]), /--baud expects a positive integer/);
  });

  it("a port that does not exist is a bench error (exit 3) with the cause once", async () => {
    const r = await runMain(["run", bpFile, "--target", "serial", "--port", "/dev/tty-snn-missing"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: cannot open serial port \/dev\/tty-snn-missing: No such file or directory.*snn-atpg ports/);
    expect(r.stderr).not.toMatch(/Error: No such file/);
  });
});
