/**
 * Documented size limits (issue 11 item 8, src/formats/limits.ts): hostile sizes are bad
 * input, refused before anything is allocated with exit 2 naming the limit — never a
 * stack overflow (100,000-deep JSON), an invalid typed-array length (a 10⁵×10⁵ layer) or
 * a hang (10⁹ windows, 10¹² trials). Every loader is fed the same 100,000-deep document.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { limits } from "../../src/formats/limits.ts";
import { runMain } from "../helpers/run-main.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const put = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const deepText = "[".repeat(100_000) + "]".repeat(100_000);
const deep = put("deep.json", deepText);
mkdirSync(join(dir, "models"));
put("models/deep.json", deepText);
const program = join(repoRoot, "fixtures/bench/black-pixel-4x1.program.json");
const bench = JSON.parse(readFileSync(join(repoRoot, "testbenches/black-pixel-4x1.json"), "utf8")) as { layers: { rows: number; cols: number }[] };

async function refused(args: string[], limit: keyof typeof limits): Promise<void> {
  const r = await runMain(args);
  expect(r.stderr).not.toMatch(/RangeError|internal error|\n\s+at /);
  expect(r.stderr).toContain(`limit \`${limit}\``);
  expect(r.stderr).toContain(`at most ${limits[limit].max}`);
  expect(r.code).toBe(2);
}

describe("size limits", () => {
  it.each([
    ["testbench", ["faults", deep]],
    ["program", ["run", deep]],
    ["program (.jsonl)", ["run", put("deep.jsonl", `${deepText}\n`)]],
    ["datalog", ["diagnose", program, put("deep-log.jsonl", `${deepText}\n`)]],
    ["fault model", ["faults", "black-pixel-4x1", "--models-dir", join(dir, "models")]],
    ["march test", ["generate", "black-pixel-4x1", "--phases", "array", "--march", deep, "-o", join(dir, "m.json")]],
    ["device", ["device", "info", deep]],
  ])("100,000-deep JSON as a %s: exit 2 naming jsonDepth", async (_what, args) => {
    await refused(args as string[], "jsonDepth");
  });

  it("a fault list (plain text) line of 200,000 brackets: exit 2, the line shown cut to a few dozen characters", async () => {
    const r = await runMain(["coverage", "black-pixel-4x1", program, "--faults", deep]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(200,000 characters)");
    expect(r.stderr.length).toBeLessThan(600);
  });

  it("a 10⁵×10⁵ layer and a 10⁷-row bench are refused by the schema", async () => {
    const huge = put("huge.json", JSON.stringify({ ...bench, $schema: undefined, layers: [{ ...bench.layers[0], rows: 100_000, cols: 100_000 }] }));
    await refused(["faults", huge], "layerRows");
    const tall = put("tall.json", JSON.stringify({ ...bench, $schema: undefined, layers: [{ ...bench.layers[0], rows: 10_000_000 }] }));
    await refused(["generate", tall, "-o", join(dir, "t.json")], "layerRows");
    // Within the per-layer bounds but 2³⁰ cells in all: the bench limit.
    const wide = put("wide.json", JSON.stringify({ ...bench, $schema: undefined, layers: [{ ...bench.layers[0], rows: 32_768, cols: 32_768 }] }));
    await refused(["faults", wide], "benchCells");
  });

  it("10⁹ windows or repetitions in a program, and in options", async () => {
    const p = JSON.parse(readFileSync(program, "utf8")) as { vectors: Record<string, unknown>[] };
    await refused(["run", put("w.json", JSON.stringify({ ...p, vectors: [{ ...p.vectors[0], windows: 1e9 }] }))], "windows");
    await refused(["run", put("r.json", JSON.stringify({ ...p, vectors: [{ ...p.vectors[0], repetitions: 1e9 }] }))], "repetitions");
    await refused(["simulate", "black-pixel-4x1", "--windows", "1e9"], "windows");
    await refused(["retention", "mlp-16x8x4", "--delta", "40", "--trials", "1e12"], "trials");
    await refused(["retention", "mlp-16x8x4", "--delta", "40", "--steps", "1e9"], "timeSteps");
  });

  it("docs/limits.md lists every limit with its value", () => {
    const doc = readFileSync(join(repoRoot, "docs/limits.md"), "utf8");
    for (const [id, l] of Object.entries(limits)) expect(doc).toMatch(new RegExp(`\\| \`${id}\` \\| ${l.max.toLocaleString("en-US")}\\b`));
  });
});
