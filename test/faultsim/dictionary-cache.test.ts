/**
 * The fault dictionary cache (src/faultsim/dictionary-cache.ts): JSON Lines, a line per
 * fault, so a dictionary of millions of faults is never one string (issue 11: as one JSON
 * text a bnn-size dictionary passed V8's string limit and was silently not cached); a cut
 * or damaged file is rebuilt; a failed write leaves nothing behind and says why.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dictionaryLines, readDictionaryFile, readDictionaryFileAsync, storeDictionary, storeDictionaryAsync } from "../../src/faultsim/dictionary-cache.ts";
import { InterruptedError } from "../../src/formats/errors.ts";
import { faultDictionaryVersion, type FaultDictionary } from "../../src/formats/fault-dictionary-format.ts";
import { runMain } from "../helpers/run-main.ts";

/** A dictionary of n faults, each failing one or two vectors (the shape buildDictionary gives). */
function synthetic(n: number): FaultDictionary {
  return {
    schemaVersion: faultDictionaryVersion,
    key: "k".repeat(64),
    program: { file: "p.json", sha256: "a".repeat(64) },
    testbench: { id: "synthetic", sha256: "b".repeat(64) },
    models: ["dead-synapse", "slow-to-integrate"],
    universe: { collapsed: n + 7, uncollapsed: n + 9, undetected: 7 },
    faults: Array.from({ length: n }, (_, i) => ({
      id: `dead-synapse@l0.r${i % 784}.c${Math.floor(i / 784)}`,
      modelId: "dead-synapse",
      siteId: `l0.r${i % 784}.c${Math.floor(i / 784)}`,
      classSize: 1 + (i % 3),
      equivalents: i % 5 === 0 ? [`stuck-at-ap@l0.r${i % 784}.c${Math.floor(i / 784)}`] : [],
      failing: (i % 2 ? { v1: [`m${i % 10}@2`] } : { v1: [`m${i % 10}@2`], v7: [`x${i % 10}@0`, `s${i % 10}@1`] }) as Record<string, string[]>,
    })),
    buildMs: 1234,
  };
}

describe("fault dictionary cache", () => {
  it("writes a header line and one line per fault, and reads back the same dictionary", () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-dict-cache-"));
    const file = join(dir, "d.jsonl");
    const d = synthetic(20_000);
    expect(storeDictionary(file, d)).toBeNull();
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines.pop()).toBe(""); // ends with a newline
    expect(lines).toHaveLength(20_001);
    // no line holds more than one fault: the file is never one dictionary-sized string
    expect(Math.max(...lines.slice(1).map((l) => l.length))).toBeLessThan(400);
    expect(JSON.parse(lines[0])).toMatchObject({ schemaVersion: 2, faultCount: 20_000, buildMs: 1234 });
    expect(JSON.parse(lines[1]).id).toBe("dead-synapse@l0.r0.c0");
    expect(readDictionaryFile(file)).toEqual(d);
    expect(readdirSync(dir)).toEqual(["d.jsonl"]); // the temporary file was renamed
  });

  it("treats a cut, damaged or old-format file as absent (it is rebuilt)", () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-dict-cache-"));
    const file = join(dir, "d.jsonl");
    const d = synthetic(50);
    storeDictionary(file, d);
    const whole = readFileSync(file, "utf8");
    truncateSync(file, whole.length - 10); // a crash mid-line
    expect(readDictionaryFile(file)).toBeNull();
    writeFileSync(file, whole.split("\n").slice(0, 30).join("\n") + "\n"); // whole lines, but fewer than the header says
    expect(readDictionaryFile(file)).toBeNull();
    writeFileSync(file, JSON.stringify({ ...d, schemaVersion: 1 })); // the old one-JSON-text cache
    expect(readDictionaryFile(file)).toBeNull();
    writeFileSync(file, whole.replace('"classSize":1', '"classSize":"one"'));
    expect(readDictionaryFile(file)).toBeNull();
  });

  it("a failed write leaves no file and says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-dict-cache-"));
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "not a directory");
    const why = storeDictionary(join(blocker, "d.jsonl"), synthetic(3));
    expect(why).toMatch(/a-file\/d\.jsonl: (ENOTDIR|EEXIST)/);

    // the disk fills (a write throws) after the first megabyte-sized piece went out
    const file = join(dir, "d.jsonl");
    const d = synthetic(20_000);
    function* failing(): Generator<string> {
      let n = 0;
      for (const line of dictionaryLines(d)) {
        if (++n === 15_000) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
        yield line;
      }
    }
    expect(storeDictionary(file, d, failing())).toBe(`${file}: ENOSPC`);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir)).toEqual(["a-file"]); // no temporary file left behind
  });

  it("the async reader and writer pause as they go (Ctrl-C checkpoints), agree with the sync ones, and an interrupted write leaves nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-dict-cache-"));
    const d = synthetic(60_000);
    let pauses = 0;
    const file = join(dir, "d.jsonl");
    expect(await storeDictionaryAsync(file, d, async () => void pauses++)).toBeNull();
    expect(pauses).toBeGreaterThan(2); // a pause after each megabyte piece
    const writes = pauses;
    expect(await readDictionaryFileAsync(file, async () => void pauses++)).toEqual(readDictionaryFile(file));
    expect(pauses - writes).toBeGreaterThan(2); // a pause every 16,384 lines

    const stopped = join(dir, "stopped.jsonl");
    let n = 0;
    const ctrlC = async () => {
      if (++n === 2) throw new InterruptedError();
    };
    await expect(storeDictionaryAsync(stopped, d, ctrlC)).rejects.toBeInstanceOf(InterruptedError);
    expect(readdirSync(dir)).toEqual(["d.jsonl"]); // neither the cache file nor its temporary
    n = 0;
    await expect(readDictionaryFileAsync(file, ctrlC)).rejects.toBeInstanceOf(InterruptedError);
  });

  it("diagnose warns when the dictionary cannot be cached, and still diagnoses (exit 0)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-dict-cache-cli-"));
    const program = "fixtures/bench/black-pixel-4x1.program.json";
    const log = join(dir, "chip.jsonl");
    expect((await runMain(["run", program, "--inject", "fast-to-leak@l0.n0", "--datalog", log, "--no-diagnose"])).code).toBe(1);
    const blocker = join(dir, "a-file");
    writeFileSync(blocker, "x");
    const r = await runMain(["diagnose", program, log, "--cache-dir", join(blocker, "cache"), "--jobs", "1"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: the fault dictionary was not cached \(.*a-file\/cache\/black-pixel-4x1-.*\.jsonl: (ENOTDIR|EEXIST)\)/);
    expect(r.stdout).toMatch(/fast-to-leak@l0\.n0/);
  }, 120_000);
});
