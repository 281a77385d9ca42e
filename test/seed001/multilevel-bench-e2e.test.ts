/**
 * End to end on the reduced STDP bench seed001-dw-784x10 (the full 784×100 one is
 * measured in docs/seed001-multilevel.md): `generate --phases array` writes a march, the
 * level check and a level restore; `coverage` grades the domain-wall models with it;
 * `run --target sim` fails an injected stuck wall at a level READ and passes a good chip.
 * Restricted to three domain-wall models to keep the test's CPU near 20 s.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

const models = "dw-stuck-wall,dw-level-shift-up,dw-pinned-p-end";

describe("seed001-dw-784x10 end to end", () => {
  it("generate --phases array, coverage and run", { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "dw-"));
    const out = join(dir, "p.json");
    const g = await runMain(["generate", "seed001-dw-784x10", "--phases", "array", "--models", models, "-o", out]);
    expect(g.code, g.stderr).toBe(0);
    const p = JSON.parse(readFileSync(out, "utf8")) as { vectors: { id: string; kind?: string; levels?: number[]; expectedLevels?: number[] }[] };
    // level check: per row, W/R level 7 then 8 (the middle levels of 0..15); restore: mission levels
    expect(p.vectors.filter((s) => s.id.startsWith("level-check.")).length).toBe(784 * 4);
    expect(p.vectors.find((s) => s.id === "level-check.l0.r0.w7")?.levels).toEqual(new Array(10).fill(7));
    expect(p.vectors.find((s) => s.id === "restore.l0.r0.r")?.expectedLevels?.length).toBe(10);
    // every fault of the three models is detected: a stuck wall reads its mission level at W7/W8 (it cannot be both),
    // +1 lands at 8 for W7, a wall pinned at P reads 15
    const c = await runMain(["coverage", "seed001-dw-784x10", out, "--models", models]);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/dw-stuck-wall\s+7,840\s+7,840\s+0\s+0\s+0\s+0\s+100\.00 %/);
    expect(c.stdout).toMatch(/dw-level-shift-up\s+7,840\s+7,840\s+0\s+0\s+0\s+0\s+100\.00 %/);
    const good = await runMain(["run", out, "--target", "sim"]);
    expect(good.code, good.stderr).toBe(0);
    const bad = await runMain(["run", out, "--target", "sim", "--inject", "dw-stuck-wall@l0.r300.c4"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/FAIL/);
  });
});
