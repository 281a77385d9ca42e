/**
 * A fuzz suite of our own (issue 11): seeded mutations of every shipped file format
 * this suite covers — a test program (then checked against its bench), a datalog, a
 * testbench — each parsed in-process the way the commands do. Property: a mutated
 * file is either accepted or refused with an error whose exit code is 2 (bad input)
 * and whose message names the file; never another class (exit 70, a stack trace), never
 * a hang. `FUZZ_CASES` sets the count per format (`npm run fuzz`: 2,000); `FUZZ_SEED`
 * replays a run. A failure prints the seed, the case and the mutated text's start.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect } from "vitest";
import { parseDatalog } from "../../src/bench/datalog-reader.ts";
import { checkProgramForBench, parseProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench, parseTestbench } from "../../src/formats/testbench-loader.ts";
import { runMain } from "../helpers/run-main.ts";
import { fuzz, type Json } from "./fuzz-mutations.ts";

describe("format fuzz", () => {
  const programFile = "fixtures/bench/black-pixel-4x1.program.json";
  const program = JSON.parse(readFileSync(programFile, "utf8"));
  const bench = loadTestbench("testbenches/black-pixel-4x1.json");
  fuzz("test program (.json)", "p.json", () => program, (v) => JSON.stringify(v, null, 1), (text) => {
    const p = parseProgram(text, "p.json");
    checkProgramForBench(p, "p.json", bench);
  });

  const jsonl = (v: Json) => {
    const o = v as Record<string, Json>;
    const vectors = Array.isArray(o?.vectors) ? o.vectors : [];
    const { vectors: _, ...h } = (o && typeof o === "object" ? o : {}) as Record<string, Json>;
    return [JSON.stringify(h), ...vectors.map((x) => JSON.stringify(x))].join("\n");
  };
  fuzz("test program (.jsonl)", "p.jsonl", () => program, jsonl, (text) => {
    const p = parseProgram(text, "p.jsonl");
    checkProgramForBench(p, "p.jsonl", bench);
  });

  const testbenchText = readFileSync("testbenches/black-pixel-4x1.json", "utf8");
  fuzz("testbench", "tb.json", () => JSON.parse(testbenchText), (v) => JSON.stringify(v, null, 1), (text) => void parseTestbench(text, "tb.json"));

  // A failing run's datalog (header, 25 vector records, footer), measured once.
  const datalog = join(mkdtempSync(join(tmpdir(), "snn-fuzz-")), "d.jsonl");
  beforeAll(async () => {
    expect((await runMain(["run", programFile, "--inject", "dead-synapse@l0.r1.c0", "--datalog", datalog, "--no-diagnose"])).code).toBe(1);
  });
  const datalogRecords = () => readFileSync(datalog, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  fuzz("datalog", "d.jsonl", datalogRecords, (v) => (Array.isArray(v) ? v.map((x) => JSON.stringify(x)).join("\n") + "\n" : JSON.stringify(v)), (text) => void parseDatalog(text, "d.jsonl"));
});
