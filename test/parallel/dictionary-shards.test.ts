/**
 * Sharded fault-dictionary builds (`diagnose <program> --shard i/3 --out dict-i.jsonl`):
 * three shards (one of them on two pool threads) merged give the dictionary one unsharded
 * build caches, byte for byte but for the build time; `merge` caches it where `diagnose`
 * then finds it and ranks the same candidates. Faults land in the shard their FNV-1a id
 * hash names, the injected fault (fast-to-leak at l0.n0, the one the datalog's chip has)
 * fails vectors in its part, and merge refuses a missing shard and another kind's option.
 * Cheap: black-pixel-4x1's program, 8 models.
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fnv1a32 } from "../../src/faultsim/fault-shard.ts";
import { partRecordSchema } from "../../src/formats/part-kinds-format.ts";
import { readDictionaryFile } from "../../src/faultsim/dictionary-cache.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-dict-shard-"));
const program = "fixtures/bench/black-pixel-4x1.program.json";
const unbuilt = (json: string) => json.replace(/"buildMs":[\d.e+-]+/, '"buildMs":0');
const cached = (cacheDir: string) => readFileSync(join(cacheDir, cacheFile(cacheDir)), "utf8");
const cacheFile = (cacheDir: string) => readdirSync(cacheDir).find((f) => f.endsWith(".jsonl"))!;

describe("diagnose --shard + merge: the fault dictionary", () => {
  it("three shards merged cache the unsharded dictionary, and diagnose ranks from it the same candidates", async () => {
    const log = join(dir, "chip.jsonl");
    expect((await runMain(["run", program, "--inject", "fast-to-leak@l0.n0", "--datalog", log, "--no-diagnose"])).code).toBe(1);
    const wholeCache = join(dir, "whole");
    const whole = await runMain(["diagnose", program, log, "--cache-dir", wholeCache, "--json"]);
    expect(whole.code, whole.stderr).toBe(0);

    const parts = [0, 1, 2].map((i) => join(dir, `dict-${i}.jsonl`));
    for (const [i, out] of parts.entries()) {
      const r = await runMain(["diagnose", program, "--shard", `${i}/3`, "--out", out, "--jobs", i === 1 ? "2" : "1"]);
      expect(r.code, r.stderr).toBe(0);
    }
    const mergedCache = join(dir, "merged");
    const merged = await runMain(["merge", ...parts, "--cache-dir", mergedCache, "--json"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(unbuilt(cached(mergedCache))).toBe(unbuilt(cached(wholeCache)));
    // --json prints the dictionary in pieces (one per line): joined, the dictionary the unsharded diagnose cached
    const printed = JSON.parse(merged.stdout.trim().split("\n").join(""));
    expect({ ...printed, buildMs: 0 }).toEqual({ ...readDictionaryFile(join(wholeCache, cacheFile(wholeCache))), buildMs: 0 });

    let faults = 0;
    let injectedFails = false;
    parts.forEach((p, i) => {
      const lines = readFileSync(p, "utf8").trim().split("\n").map((l) => JSON.parse(l));
      for (const line of lines) expect(partRecordSchema.safeParse(line).success, JSON.stringify(line)).toBe(true);
      for (const rec of lines.slice(1, -1)) {
        expect(fnv1a32(rec.faultId) % 3).toBe(i);
        if (rec.faultId === "fast-to-leak@l0.n0") injectedFails = Object.keys(rec.failing).length > 0;
        faults++;
      }
    });
    expect(faults).toBe(JSON.parse(merged.stdout).universe.collapsed);
    expect(injectedFails).toBe(true);

    const again = await runMain(["diagnose", program, log, "--cache-dir", mergedCache, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).dictionary.cached).toBe(true);
    expect(again.stdout.replace('"cached":true', '"cached":false')).toBe(whole.stdout);
  }, 120_000);

  it("refuses a missing shard, a coverage option and a datalog given to a shard (exit 2, located)", async () => {
    const parts = [0, 1, 2].map((i) => join(dir, `dict-${i}.jsonl`));
    const missing = await runMain(["merge", parts[0], parts[2]]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard\(s\) 1\/3 missing/);
    const html = await runMain(["merge", ...parts, "--html", join(dir, "r.html")]);
    expect(html.code).toBe(2);
    expect(html.stderr).toMatch(/--html does not apply to snn-atpg-dictionary-part parts \(their report takes --cache-dir, --json\)/);
    const both = await runMain(["diagnose", program, join(dir, "chip.jsonl"), "--shard", "0/3", "--out", join(dir, "x.jsonl")]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/leave out the datalog/);
    const none = await runMain(["diagnose", program]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give the datalog after the program/);
  }, 60_000);
});
