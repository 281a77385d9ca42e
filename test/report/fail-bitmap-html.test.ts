/**
 * `diagnose --html`: the READ fail bitmap per layer as inline SVG. Expectations by hand:
 * a 50 kΩ open in segment 9 of layer 0's column 5 carries the read current of rows 0..9
 * only (rows 10..15 reach the sense input below it), and 50 kΩ against a 11.5 kΩ P branch
 * pulls every P read of those rows under the midpoint reference (March C− reads every
 * cell as 1), so exactly r0.c5 … r9.c5 of layer 0 are red and layer 1 has none; a
 * stuck-at-P cell fails only itself.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failBitmap } from "../../src/report/svg-charts.ts";
import { runMain } from "../helpers/run-main.ts";

mkdirSync(resolve("out"), { recursive: true }); // a fresh clone has no out/ yet
const dir = mkdtempSync(join(resolve("out"), "fail-bitmap-html-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const program = join(dir, "mlp-march.json");

/** The failing-cell titles drawn in layer `layer`'s section. */
function redCells(html: string, layer: number): string[] {
  const sec = new RegExp(`<section id="bitmap-${layer}">([\\s\\S]*?)</section>`).exec(html);
  expect(sec, `section bitmap-${layer}`).not.toBeNull();
  return [...sec![1]!.matchAll(/<rect class="fail"[^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]!);
}

async function bitmapOf(fault: string): Promise<string> {
  const log = join(dir, `${fault.replace(/[^\w]/g, "_")}.jsonl`);
  const r = await runMain(["run", program, "--inject", fault, "--datalog", log]);
  expect(r.code, r.stderr).toBe(1);
  const html = join(dir, `${fault.replace(/[^\w]/g, "_")}.html`);
  const d = await runMain(["diagnose", program, log, "--html", html]);
  expect(d.code, d.stderr).toBe(0);
  expect(d.stdout).toContain(`HTML fail bitmap written to ${html}`);
  return readFileSync(html, "utf8");
}

describe("diagnose --html", () => {
  beforeAll(async () => {
    const g = await runMain(["generate", "mlp-16x8x4", "--phases", "array", "-o", program]);
    expect(g.code, g.stderr).toBe(0);
  }, 60_000);

  it("draws the rows 0..9 of column 5 for an open in segment 9, and names the shape", async () => {
    const html = await bitmapOf("resistive-open@l0.c5.seg9");
    expect(redCells(html, 0)).toEqual(Array.from({ length: 10 }, (_, r) => `r${r}.c5`));
    expect(redCells(html, 1)).toEqual([]);
    expect(html).toMatch(/<section id="bitmap-0"><h3[^>]*>layer 0: 16 × 8 cells, 10 failing<\/h3><svg/);
    expect(html).toContain("column 5 of layer 0, rows 0..9 (an open in the column line below row 9: segment 9)");
    expect(html).toContain("No failing cell on this layer.");
    expect(html).toMatch(/<table id="candidates">[\s\S]*resistive-open@l0\.c5\.seg9/);
  }, 60_000);

  it("draws one cell for a stuck-at-P cell in layer 1", async () => {
    const html = await bitmapOf("stuck-at-p@l1.r4.c2");
    expect(redCells(html, 0)).toEqual([]);
    expect(redCells(html, 1)).toEqual(["r4.c2"]);
    expect(html).toContain("single cell l1.r4.c2");
  }, 60_000);

  it("refuses --html for a program without READ steps, naming the option", async () => {
    const spikeOnly = "fixtures/coverage/black-pixel-three-inputs.json";
    const log = join(dir, "spike.jsonl");
    const r = await runMain(["run", spikeOnly, "--datalog", log]);
    expect(r.code, r.stderr).toBeLessThan(2);
    const d = await runMain(["diagnose", spikeOnly, log, "--html", join(dir, "x.html")]);
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/--html .*no READ step/);
  }, 60_000);
});

describe("fail bitmap of a real-size layer", () => {
  it("bins 784 × 1024 cells by 4 (⌈1024/280⌉) and titles a bin with its range and count", () => {
    const svg = failBitmap([[500, 700], [501, 703], [0, 0]], 784, 1024, "l0");
    expect([...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1])).toEqual([
      "rows 0–3, columns 0–3: 1 failing",
      "rows 500–503, columns 700–703: 2 failing",
    ]);
    expect(svg).toContain("bins of 4");
  });
});
