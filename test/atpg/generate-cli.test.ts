/**
 * `snn-atpg generate` end to end: byte-identical output for the same inputs and seed,
 * a STIL file that passes a small grammar check, a VCD with the right header and
 * timescale, the closing summary, JSON Lines output, and bad input → exit 2 with a
 * located message.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readProgramStream, collectVectors } from "../../src/formats/program-stream-reader.ts";
import { checkProgramForBench, loadProgram, requireSpikeVectors } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { repoRoot, runCli } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-atpg-generate-"));
const out = (name: string) => join(dir, name);

/**
 * A small STIL grammar check: 7-bit ASCII, the blocks IEEE 1450 requires for a pattern
 * file (version statement, Signals, SignalGroups, Timing with a WaveformTable,
 * PatternBurst, PatternExec, Pattern), balanced blocks, declared signals and groups,
 * vector widths, known waveform tables.
 */
export function checkStil(text: string): { vectors: number; signals: string[] } {
  for (let i = 0; i < text.length; i++) expect(text.charCodeAt(i), `non-ASCII character "${text[i]}" at offset ${i}`).toBeLessThan(128);
  const body = text.replace(/Ann \{\*[\s\S]*?\*\}/g, "");
  expect(body.startsWith("STIL 1.0;")).toBe(true);
  expect(body).toMatch(/^Timing \{\s*WaveformTable \w+ \{/m);
  let depth = 0;
  for (const ch of body) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  for (const block of ["Signals", "SignalGroups", "Timing", "PatternBurst", "PatternExec", "Pattern"]) expect(body).toMatch(new RegExp(`^${block}\\b`, "m"));
  const signalsBlock = /Signals \{([\s\S]*?)\}/.exec(body)![1];
  const signals = [...signalsBlock.matchAll(/(\w+) (In|Out);/g)].map((m) => m[1]);
  expect(new Set(signals).size).toBe(signals.length);
  const groups = new Map<string, string[]>();
  for (const m of /SignalGroups \{([\s\S]*?)\}/.exec(body)![1].matchAll(/(\w+) = '([^']*)';/g)) {
    const members = m[2].split("+").map((s) => s.trim());
    for (const s of members) expect(signals, `group ${m[1]} member ${s}`).toContain(s);
    groups.set(m[1], members);
  }
  const tables = [...body.matchAll(/WaveformTable (\w+) \{/g)].map((m) => m[1]);
  for (const m of body.matchAll(/Period '(\d+)ps';/g)) expect(Number(m[1])).toBeGreaterThan(0);
  for (const m of body.matchAll(/^\s*W (\w+);/gm)) expect(tables).toContain(m[1]);
  let vectors = 0;
  for (const m of body.matchAll(/V \{([^}]*)\}/g)) {
    vectors++;
    for (const a of m[1].matchAll(/(\w+) = ([01LHX]+);/g)) {
      const members = groups.get(a[1]) ?? (signals.includes(a[1]) ? [a[1]] : undefined);
      expect(members, `undeclared signal or group ${a[1]}`).toBeDefined();
      expect(a[2].length, `width of ${a[1]}`).toBe(members!.length);
    }
  }
  return { vectors, signals };
}

describe("snn-atpg generate", () => {
  const args = (p: string) => ["generate", "black-pixel-4x1", "-o", out(`${p}.json`), "--stil", out(`${p}.stil`), "--vcd", out(`${p}.vcd`), "--seed", "5"];
  // 1700000000 s after the epoch is 2023-11-14T22:13:20Z (date -u -d @1700000000)
  const env = { SOURCE_DATE_EPOCH: "1700000000" };
  const first = runCli(args("a"), { env });
  const second = runCli(args("b"), { env });

  it("exits 0 and prints the closing summary; progress goes to stderr", () => {
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/black-pixel-4x1: \d+ vector\(s\), \d+ window\(s\), total test time [\d.]+ ns/);
    expect(first.stdout).toMatch(/dead-synapse\s+4\s+4\s+0\s+0\s+0\s+0\s+100\.00 %/);
    expect(first.stdout).toMatch(/UD\s+resistive-open@l0\.r0\.c0\.read:50000\s+an in-cell \.read path/);
    expect(first.stderr).toMatch(/generate: black-pixel-4x1/);
    expect(first.stdout).not.toMatch(/generate: black-pixel-4x1/);
  });

  it("is byte-identical for the same inputs and seed (program, STIL, VCD)", () => {
    expect(second.code).toBe(0);
    for (const ext of ["json", "stil", "vcd"]) expect(readFileSync(out(`b.${ext}`), "utf8"), ext).toBe(readFileSync(out(`a.${ext}`), "utf8"));
  });

  it("writes a program that validates and belongs to the bench", () => {
    const program = loadProgram(out("a.json"));
    const bench = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json"));
    checkProgramForBench(program, out("a.json"), bench);
    expect(program.metadata.seed).toBe(5);
    expect(program.metadata.toolVersion).toMatch(/^snn-atpg \d+\.\d+\.\d+$/);
  });

  it("writes STIL that passes the grammar check, one V per window", () => {
    const program = loadProgram(out("a.json"));
    const stil = readFileSync(out("a.stil"), "utf8");
    const r = checkStil(stil);
    expect(r.signals).toEqual(["in0", "in1", "in2", "in3", "out0", "reset"]);
    expect(r.vectors).toBe(requireSpikeVectors(program, "p", "test").reduce((s, v) => s + v.windows, 0));
    expect(stil).toMatch(/Ann \{\* coverage: test 100%/);
    expect(stil).toMatch(/tolerance \+\/-\d+ps/);
  });

  it("puts the reset in the STIL: reset = 1 in the first window of every vector only, and says what the strobe reads", () => {
    const program = loadProgram(out("a.json"));
    const stil = readFileSync(out("a.stil"), "utf8");
    const resets = [...stil.matchAll(/V \{ reset = ([01]);/g)].map((m) => m[1]);
    const expected = requireSpikeVectors(program, "p", "test").flatMap((v) => Array.from({ length: v.windows }, (_, w) => (w === 0 ? "1" : "0")));
    expect(resets).toEqual(expected);
    expect(stil).toMatch(/reset \{ 01 \{ '0ps' D\/U; '10ps' D; \} \}/); // one tick of black-pixel-4x1 (10 ps)
    expect(stil).toMatch(/Ann \{\* outputs: each output's spike is latched; the strobe at the end of every window/);
  });

  it("writes VCD with $date, no zero-width glitch at #0 (each signal has one value at time 0)", () => {
    const vcd = readFileSync(out("a.vcd"), "utf8");
    expect(vcd).toMatch(/^\$date 2023-11-14T22:13:20\.000Z \$end$/m);
    const body = vcd.slice(vcd.indexOf("$enddefinitions"));
    const atZero = body.slice(body.indexOf("#0\n"), body.search(/\n#[1-9]/));
    const ids = [...atZero.matchAll(/^(?:[01]|b[01]+ )(\S+)$/gm)].map((m) => m[1]);
    expect(ids.length).toBe(7); // in0..in3, out0_expected, reset, vector
    expect(new Set(ids).size).toBe(ids.length);
    // the first vector starts at #0: the dump already shows reset high and vector 1
    expect(atZero).toMatch(/^1&$/m);
    expect(atZero).toMatch(/^b1 '$/m);
  });

  it("writes VCD with a 1 ps timescale, declared wires and ordered timestamps", () => {
    const vcd = readFileSync(out("a.vcd"), "utf8");
    expect(vcd).toMatch(/^\$timescale 1ps \$end$/m);
    expect(vcd).toMatch(/\$enddefinitions \$end/);
    const ids = new Map([...vcd.matchAll(/\$var (wire|integer) (\d+) (\S+) (\S+) \$end/g)].map((m) => [m[3], m[4]]));
    expect([...ids.values()]).toEqual(["in0", "in1", "in2", "in3", "out0_expected", "reset", "vector"]);
    const body = vcd.slice(vcd.indexOf("$enddefinitions"));
    let last = -1;
    for (const line of body.split("\n").slice(1)) {
      if (line.startsWith("#")) {
        const t = Number(line.slice(1));
        expect(t).toBeGreaterThan(last);
        last = t;
      } else if (/^[01]\S+$/.test(line)) expect(ids.has(line.slice(1)), line).toBe(true);
      else if (/^b[01]+ \S+$/.test(line)) expect(ids.has(line.split(" ")[1])).toBe(true);
    }
    const program = loadProgram(out("a.json"));
    expect(last).toBe(requireSpikeVectors(program, "p", "test").reduce((s, v) => s + v.windows * (v.iwPs + v.lwPs), 0));
  });

  it("streams JSON Lines and prints one JSON object with --json", async () => {
    const r = runCli(["generate", "black-pixel-4x1", "-o", out("c.jsonl"), "--json", "--models", "dead-synapse,slow-to-leak"]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(Object.keys(summary.coverage.byModel)).toEqual(["dead-synapse", "slow-to-leak"]);
    const stream = await readProgramStream(out("c.jsonl"));
    expect(stream.header.metadata.models).toEqual(["dead-synapse", "slow-to-leak"]);
    expect((await collectVectors(stream)).length).toBe(summary.vectors);
  });

  it("rejects bad input with exit 2 and a message naming the problem", async () => {
    const model = await runMain(["generate", "black-pixel-4x1", "-o", out("x.json"), "--models", "no-such-model"]);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/no-such-model/);
    const strategy = await runMain(["generate", "black-pixel-4x1", "-o", out("x.json"), "--strategy", "magic"]);
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toMatch(/--strategy must be one of targeted, random, exhaustive/);
    const bench = await runMain(["generate", "no-such-bench.json", "-o", out("x.json")]);
    expect(bench.code).toBe(2);
    expect(bench.stderr).toMatch(/no-such-bench\.json: cannot read testbench/);
    const missing = await runMain(["generate", "black-pixel-4x1"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--output/);
    for (const r of [model, strategy, bench, missing]) expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("rejects nonsense options and unwritable outputs before generating anything (exit 2)", async () => {
    const blocker = out("a-file");
    writeFileSync(blocker, "");
    const cases: [string[], RegExp][] = [
      [["--seed", "-1"], /--seed expects an integer from 0 to 4294967295, got "-1"/], // -1 would alias 4294967295
      [["--max-vectors", "0"], /--max-vectors must be at least 1/],
      [["--models", "nope"], /unknown fault model "nope" .*known models: dead-neuron/],
      [["--models", ","], /--models expects comma-separated fault-model ids .*got ","; leave it out for every model/],
    ];
    for (const [opts, message] of cases) {
      const r = await runMain(["generate", "black-pixel-4x1", "-o", out("y.json"), ...opts]);
      expect(r.stderr).toMatch(message);
      expect(r.code).toBe(2);
    }
    for (const [opt, file] of [["-o", join(blocker, "p.json")], ["--stil", join(blocker, "p.stil")], ["--vcd", join(blocker, "p.vcd")]]) {
      const args = opt === "-o" ? [opt, file] : ["-o", out("z.json"), opt, file];
      const r = await runMain(["generate", "black-pixel-4x1", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: ${opt} .*a-file/p\\.\\w+: .*a-file is a file, not a folder; choose another path`));
      expect(r.stderr).not.toMatch(/generate: black-pixel-4x1/); // refused before the (possibly long) run
    }
    const folder = await runMain(["generate", "black-pixel-4x1", "-o", dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/-o .*: is a folder, give a file name/);
  });
});
