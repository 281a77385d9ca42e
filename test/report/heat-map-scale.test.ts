/**
 * Heat-map colour scale: viridis (matplotlib's published stops), reversed so that one
 * undetected fault is the lightest colour and the worst bin the darkest; a legend with
 * 0 (white), 1 and max; an output layer of few columns drawn with wide cells.
 * Hand derivations: viridis(2/3) lies a third of the way from the 0.625 stop #28ae80 to
 * the 0.75 stop #5ec962: (40 + 54/3, 174 + 27/3, 128 − 30/3) = (58, 183, 118) = #3ab776;
 * In the report of black-pixel-4x1 under the three-inputs fixture (every cell fault ND
 * but the in-cell .read opens, UD; row 0's series open is collapsed into segment 0's),
 * row 0 holds 1 undetected cell fault (its dead synapse) and rows 1–3 hold 2 (dead
 * synapse and series open): max 2, so row 0 is #fde725 and rows 1–3 #440154.
 * viridis(1/3) two thirds from #3b528b to #2c728e: (59 − 10, 82 + 21.3, 139 + 2) = #31678d.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";
import { countColour, viridis } from "../../src/report/colour-scale.ts";
import { heatMap } from "../../src/report/svg-charts.ts";

describe("viridis", () => {
  it("meets the published stops and interpolates between them", () => {
    expect(viridis(0)).toBe("#440154");
    expect(viridis(0.5)).toBe("#21918c");
    expect(viridis(1)).toBe("#fde725");
    expect(viridis(2 / 3)).toBe("#3ab776");
    expect(viridis(-1)).toBe("#440154");
    expect(viridis(2)).toBe("#fde725");
  });

  it("is ordered in lightness (readable in greyscale): relative luminance rises with t", () => {
    const lum = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).reduce((s, v, i) => s + [0.2126, 0.7152, 0.0722][i]! * v, 0);
    const ls = Array.from({ length: 33 }, (_, k) => lum(viridis(k / 32)));
    for (let k = 1; k < ls.length; k++) expect(ls[k]!).toBeGreaterThan(ls[k - 1]!);
  });

  it("counts: 1 is the lightest, max the darkest, 2 of 4 at viridis(2/3)", () => {
    expect(countColour(1, 4)).toBe("#fde725");
    expect(countColour(4, 4)).toBe("#440154");
    expect(countColour(2, 4)).toBe("#3ab776");
    expect(countColour(1, 1)).toBe("#440154");
  });
});

const cells = (svg: string) => [...svg.matchAll(/<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)" fill="(#[0-9a-f]{6})"><title>(\d+)<\/title>/g)];

describe("heatMap SVG", () => {
  it("fills each non-zero cell with its count's colour and draws a legend 0, 1 … max", () => {
    const svg = heatMap([[0, 1], [2, 4]], 4, { rows: "row", cols: "column", unit: "undetected faults per cell" });
    const body = svg.split('<g class="legend"')[0]!;
    expect(cells(body).map((m) => [m[6], m[5]])).toEqual([["1", "#fde725"], ["2", "#3ab776"], ["4", "#440154"]]);
    const legend = svg.split('<g class="legend"')[1]!;
    expect(legend).toContain(">0</text>");
    expect(legend).toContain(">1</text>");
    expect(legend).toContain(">4</text>");
    expect(legend).toContain("undetected faults per cell");
    expect(cells(legend).map((m) => m[5])).toEqual(["#fde725", "#3ab776", "#31678d", "#440154"]);
  });

  it("an output layer of 128 row bins × 10 columns gets wide cells (24 px), not 4-px squares", () => {
    const counts = Array.from({ length: 128 }, () => Array.from({ length: 10 }, () => 1));
    const [first] = cells(heatMap(counts, 1, { rows: "row", cols: "column" }));
    expect([first![3], first![4]]).toEqual(["24", "4"]); // 560/10 capped at 24 wide, 560/128 = 4 tall
  });
});

mkdirSync(resolve("out"), { recursive: true });
const dir = mkdtempSync(join(resolve("out"), "heat-map-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the coverage HTML report's heat map", () => {
  it("colours black-pixel-4x1's rows by their undetected cell faults and shows the legend", async () => {
    const file = join(dir, "r.html");
    expect((await runMain(["coverage", "black-pixel-4x1", "fixtures/coverage/black-pixel-three-inputs.json", "--html", file])).code).toBe(0);
    const html = readFileSync(file, "utf8");
    const svg = /<svg[^>]*aria-label="undetected cell faults">[\s\S]*?<\/svg>/.exec(html)![0];
    const [body, legend] = svg.split('<g class="legend"');
    expect(cells(body!).map((m) => [m[2], m[6], m[5]])).toEqual([
      ["10", "1", "#fde725"],
      ["34", "2", "#440154"],
      ["58", "2", "#440154"],
      ["82", "2", "#440154"],
    ]);
    expect(legend).toContain("undetected faults per cell");
    expect(html).toContain("max 2 per bin");
  });
});
