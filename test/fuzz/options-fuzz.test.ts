/**
 * Fuzz, part two (issue 11): the other shipped file formats — a fault model, an
 * instrument profile, a march test, a device, a fault list — each loaded from a file the
 * way the commands load it, and the CLI options of the quick commands given hostile
 * values. Properties: a file is accepted or refused with exit 2 naming it; a command
 * ends with 0, 1 or 2 (the documented codes that bad input can reach), never a stack
 * trace; a refusal (exit 2) names the option and writes nothing. `FUZZ_CASES` sets the
 * count per format and for the options (`npm run fuzz`: 2,000 each); `FUZZ_SEED` replays.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadMarchTestFile } from "../../src/atpg/march/march-grammar.ts";
import { listedFaults } from "../../src/cli/fault-list-file.ts";
import { loadDeviceFile } from "../../src/formats/device-format.ts";
import { loadInstrumentProfile } from "../../src/formats/instrument-profile-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { loadFaultModelFile } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { runMain } from "../helpers/run-main.ts";
import { cases, fuzz, rng, seed } from "./fuzz-mutations.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-fuzz2-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Parse by writing the text to `name` in the temp dir and loading it from there. */
const viaFile = (name: string, load: (file: string) => unknown) => (text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  load(f);
};
/** A fifth of the per-format count in npm test (60: these formats are simpler and the budget is tight), all of it under npm run fuzz. */
const n = process.env.FUZZ_CASES ? cases : Math.round(cases / 5);
const shipped = (file: string) => () => JSON.parse(readFileSync(file, "utf8")) as unknown;
const pretty = (v: unknown) => JSON.stringify(v, null, 1);

describe("format fuzz, the other formats", () => {
  fuzz("fault model", "dead-synapse.json", shipped("fault-models/dead-synapse.json"), pretty, viaFile("dead-synapse.json", loadFaultModelFile), n);
  fuzz("instrument profile", "profile.json", shipped("instruments/generic-scpi-bench.json"), pretty, viaFile("profile.json", loadInstrumentProfile), n);
  fuzz("march test", "march.json", shipped("march-tests/march-c-minus.json"), pretty, viaFile("march.json", loadMarchTestFile), n);
  fuzz("device", "device.json", shipped("devices/seed002-she-eb20.json"), pretty, viaFile("device.json", loadDeviceFile), n);

  const bench = loadTestbench("testbenches/black-pixel-4x1.json");
  const universe = enumerateFaults(compileNetwork(bench.bench), bench.bench, loadFaultModels(), { collapse: true }).faults;
  // A fault list is text, one id per line: mutated as a list of lines (a value that is not a string is written as JSON).
  const lines = ["# black-pixel-4x1", ...universe.slice(0, 8).map((f) => f.id)];
  const text = (v: unknown) => (Array.isArray(v) ? v.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") : JSON.stringify(v));
  fuzz("fault list", "list.faults", () => lines, text, viaFile("list.faults", (f) => listedFaults(f, universe)), n);
});

const program = "fixtures/bench/black-pixel-4x1.program.json";
/** Hostile option values: empty, signs, huge, not numbers, control and astral characters, long, flag-like. */
const values = ["", "-1", "0", "1", "1.5", "1e999", "-1e999", "NaN", "Infinity", "1e12", "10001", "0x10", "abc", "🙂", "\u0000", "a".repeat(3000), "--json", "x@y", "dead-synapse@", "dead-synapse@l0.r99.c0", "rop1=", "rop1=-5", "l0.n0", "a=b=c", "1,2,3", "0000,1111", "../../etc/passwd"];
/** Quick commands and the options fuzzed on each (an output goes to `out`, which must not exist after exit 2). */
const commands: { args: (out: string) => string[]; options: string[] }[] = [
  { args: () => ["simulate", "black-pixel-4x1"], options: ["--windows", "--pattern", "--open", "--iw-ps", "--lw-ps"] },
  { args: () => ["faults", "black-pixel-4x1"], options: ["--models", "--sites", "--param"] },
  { args: (out) => ["run", program, "--datalog", out], options: ["--inject", "--target", "--timeout-ms", "--attempts", "--dut-id", "--baud"] },
  { args: (out) => ["run", program, "--stdf", out], options: ["--lot-id", "--dut-id"] },
  { args: () => ["retention", "mlp-16x8x4"], options: ["--delta", "--years", "--steps", "--trials", "--seed"] },
  { args: () => ["coverage", "black-pixel-4x1", program], options: ["--engine", "--pd-credit", "--models"] },
];

describe("CLI option fuzz", () => {
  const n = process.env.FUZZ_CASES ? Math.round(cases / 4) : 40; // each case is a command: 40 in npm test, 500 under npm run fuzz
  it(`${n} commands with a hostile option value: exit 0, 1 or 2, never a stack trace; exit 2 names the option and writes nothing`, async () => {
    const r = rng(seed + 1);
    const codes = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const c = commands[Math.floor(r() * commands.length)];
      const option = c.options[Math.floor(r() * c.options.length)];
      const value = values[Math.floor(r() * values.length)];
      const out = join(dir, `out-${i}`);
      const args = [...c.args(out), `${option}=${value}`];
      const run = await runMain(args);
      const where = `seed ${seed}, case ${i}: ${args.join(" ").slice(0, 200)}\nstderr: ${run.stderr.slice(0, 400)}`;
      codes.set(run.code, (codes.get(run.code) ?? 0) + 1);
      expect([0, 1, 2], where).toContain(run.code);
      expect(run.stderr, where).not.toMatch(/internal error|\n\s+at /);
      if (run.code === 2) {
        expect(run.stderr, where).toContain(option);
        expect(existsSync(out), where).toBe(false);
      }
    }
    expect(codes.get(2) ?? 0).toBeGreaterThan(n / 4); // the values do bite
    expect(readdirSync(dir).filter((f) => f.endsWith(".lock"))).toEqual([]);
  }, 300_000);
});
