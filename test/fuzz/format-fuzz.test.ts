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
import { beforeAll, describe, expect, it } from "vitest";
import { parseDatalog } from "../../src/bench/datalog-reader.ts";
import { exitCodeOf } from "../../src/cli/exit-codes.ts";
import { checkProgramForBench, parseProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench, parseTestbench } from "../../src/formats/testbench-loader.ts";
import { runMain } from "../helpers/run-main.ts";

const cases = Number(process.env.FUZZ_CASES ?? 300);
const seed = Number(process.env.FUZZ_SEED ?? 20261202);

/** mulberry32: a small seeded generator, so every case can be replayed. */
function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = unknown;
const hostile: Json[] = [null, true, -1, 0, 0.5, 1, 2 ** 53 + 2, 1e308, -1e308, "", "x", "0", "\u0000", "é∑😀", "a".repeat(5000), [], [0], {}, { kind: "read" }, [[[[[[]]]]]]];

/** Every path to a value inside `v`. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((e, i) => paths(e, [...at, i], out));
  else if (v && typeof v === "object") for (const [k, e] of Object.entries(v)) paths(e, [...at, k], out);
  return out;
}

/** One structural mutation of a JSON value (a copy): delete, replace, duplicate, or nest. */
function mutateValue(v: Json, r: () => number): Json {
  const copy = structuredClone(v);
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[Math.floor(r() * all.length)];
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const key = path[path.length - 1];
  const op = Math.floor(r() * 4);
  if (op === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (op === 1) parent[key] = hostile[Math.floor(r() * hostile.length)];
  else if (op === 2 && Array.isArray(parent)) parent.push(structuredClone(parent[key]));
  else parent[key] = { wrapped: parent[key] };
  return copy;
}

/** One text-level mutation: cut, insert a byte, swap a character, or add a BOM. */
function mutateText(text: string, r: () => number): string {
  const at = Math.floor(r() * text.length);
  const op = Math.floor(r() * 4);
  if (op === 0) return text.slice(0, at);
  if (op === 1) return text.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + text.slice(at);
  if (op === 2) return text.slice(0, at) + "}],\"\n"[Math.floor(r() * 5)] + text.slice(at + 1);
  return `\uFEFF${text}`;
}

/** Run `n` cases of `parse(mutated)`; every throw must be exit 2 naming `file`. */
function fuzz(name: string, file: string, baseOf: () => Json, serialise: (v: Json) => string, parse: (text: string) => void): void {
  it(`${name}: ${cases} mutations, every refusal exit 2 naming the file`, () => {
    const r = rng(seed);
    const base = baseOf();
    let refused = 0;
    for (let i = 0; i < cases; i++) {
      const text = r() < 0.6 ? serialise(mutateValue(base, r)) : mutateText(serialise(base), r);
      try {
        parse(text);
      } catch (err) {
        refused++;
        const code = exitCodeOf(err);
        const where = `seed ${seed}, case ${i}: ${(err as Error).stack?.slice(0, 400)}\ntext: ${text.slice(0, 300)}`;
        expect(code, where).toBe(2);
        expect((err as Error).message, where).toContain(file);
      }
    }
    expect(refused).toBeGreaterThan(cases / 4); // the mutations do bite
  });
}

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
