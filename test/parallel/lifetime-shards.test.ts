/**
 * Sharded lifetime sweeps: three shards of (curve, trial) units, merged, print the JSON
 * of one unsharded sweep byte for byte (each trial draws from its own seed, and the
 * mean runs in trial order either way); the units land in the shards the FNV-1a hash of
 * "<label>#<trial>" names; `merge` refuses missing, duplicated and mismatched lifetime
 * parts and an option of another kind's report, with located errors (exit 2); every
 * line of the parts is valid under the published part-record schema.
 * Cheap: 5 digits, 2 curves × 2 trials, 2 years, in-process runs (one thread each).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fnv1a32 } from "../../src/faultsim/fault-shard.ts";
import { partRecordSchema } from "../../src/formats/part-kinds-format.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-life-shard-"));
const sweep = ["lifetime", "bnn-mnist-784x1024x10", "--delta", "40,35", "--years", "2", "--images", "5", "--trials", "2", "--jobs", "1"];
const parts = [0, 1, 2].map((i) => join(dir, `life-${i}.jsonl`));

describe("lifetime --shard + merge", () => {
  it("three shards merged give the unsharded sweep's JSON; units land where the hash says", async () => {
    for (const [i, out] of parts.entries()) {
      const r = await runMain([...sweep, "--shard", `${i}/3`, "--out", out]);
      expect(r.code, r.stderr).toBe(0);
    }
    const whole = await runMain([...sweep, "--json"]);
    expect(whole.code, whole.stderr).toBe(0);
    const merged = await runMain(["merge", ...parts, "--json"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    // unit ids "Δ = 40#0", "Δ = 40#1", "Δ = 35#0", "Δ = 35#1": each in shard fnv1a32(id) mod 3
    const where = (id: string) => fnv1a32(id) % 3;
    parts.forEach((p, i) => {
      const lines = readFileSync(p, "utf8").trim().split("\n").map((l) => JSON.parse(l));
      for (const line of lines) expect(partRecordSchema.safeParse(line).success, JSON.stringify(line)).toBe(true);
      for (const rec of lines.slice(1, -1)) expect(where(`${rec.curve}#${rec.trial}`)).toBe(i);
    });
    const total = parts.reduce((n, p) => n + readFileSync(p, "utf8").trim().split("\n").length - 2, 0);
    expect(total).toBe(4);
  }, 120_000);

  it("refuses a missing, a duplicated and a mismatched part, and a coverage option (exit 2, located)", async () => {
    const missing = await runMain(["merge", parts[0], parts[2]]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/shard\(s\) 1\/3 missing/);
    const dup = await runMain(["merge", parts[0], parts[1], parts[2], parts[0]]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain(`${parts[0]}:1: shard 0/3 is also ${parts[0]}`);
    const other = join(dir, "other-1.jsonl"); // shard 1 of a sweep with another seed
    expect((await runMain([...sweep, "--seed", "2", "--shard", "1/3", "--out", other])).code).toBe(0);
    const mixed = await runMain(["merge", parts[0], other, parts[2]]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${other}:1: sweep options (years, step, Δ curves, trials, seed, digits, reference) differs from ${parts[0]}:1`);
    const html = await runMain(["merge", ...parts, "--html", join(dir, "r.html")]);
    expect(html.code).toBe(2);
    expect(html.stderr).toMatch(/--html does not apply to snn-atpg-lifetime-part parts \(their report takes --svg, --floor, --json\)/);
    const schema = JSON.parse(readFileSync(join(repoRoot, "schemas", "part-record.schema.json"), "utf8"));
    expect(schema.anyOf).toHaveLength(9); // header, record and end of each of the three kinds (coverage, lifetime, dictionary)
  }, 120_000);
});
