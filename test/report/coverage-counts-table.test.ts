/**
 * One table for coverage counts in every command: counts with thousands separators,
 * FC before TC, n/a without faults (TC: without testable ones), columns never run
 * together. Hand values: FC = (100,000 + 0.5·3,456) / 123,456 = 101,728 / 123,456 =
 * 82.40 %; TC over 123,456 − 456 = 123,000 testable = 82.71 %. On black-pixel-4x1 the
 * generated program detects 17 of 21 faults and 4 are UD (README): FC 80.95 %, TC 100 %.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { coverageCountsTable } from "../../src/report/coverage-table.ts";
import { formatTable } from "../../src/report/format-table.ts";
import { runMain } from "../helpers/run-main.ts";

const cellsOf = (line: string) => line.trim().split(/ {2,}/);

describe("coverageCountsTable", () => {
  it("separates six-digit columns, orders FC before TC, prints n/a without faults", () => {
    const big = { all: 123456, DT: 100000, PD: 3456, ND: 19544, AU: 0, UD: 456, faultCoverage: 101728 / 123456, testCoverage: 101728 / 123000 };
    const none = { all: 0, DT: 0, PD: 0, ND: 0, AU: 0, UD: 0, faultCoverage: 0, testCoverage: 0 };
    const lines = coverageCountsTable("model", [["dead-synapse", big], ["retention-flip", none]]);
    expect(cellsOf(lines[0]!)).toEqual(["model", "faults", "DT", "PD", "ND", "AU", "UD", "FC", "TC"]);
    expect(cellsOf(lines[1]!)).toEqual(["dead-synapse", "123,456", "100,000", "3,456", "19,544", "0", "456", "82.40 %", "82.71 %"]);
    expect(cellsOf(lines[2]!)).toEqual(["retention-flip", "0", "0", "0", "0", "0", "0", "n/a", "n/a"]);
    const widths = new Set(lines.map((l) => l.length));
    expect(widths.size).toBe(1); // right-aligned to one width
  });
});

mkdirSync(resolve("out"), { recursive: true });
const dir = mkdtempSync(join(resolve("out"), "counts-table-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("generate's summary uses the same table as coverage", () => {
  it("black-pixel-4x1: header and total row, FC before TC", async () => {
    const r = await runMain(["generate", "black-pixel-4x1", "-o", join(dir, "bp.json")]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(cellsOf(lines.find((l) => l.trimStart().startsWith("model"))!)).toEqual(["model", "faults", "DT", "PD", "ND", "AU", "UD", "FC", "TC"]);
    expect(cellsOf(lines.find((l) => l.trimStart().startsWith("total"))!)).toEqual(["total", "21", "17", "0", "0", "0", "4", "80.95 %", "100.00 %"]);
  });
});

describe("formatTable options (sweep-open's table: every column left-aligned, 3 spaces apart)", () => {
  it("aligns per column and sets the gap", () => {
    expect(formatTable(["site", "ohms"], [["rop1", "16.1 kΩ"], ["rop10", "775 Ω"]], { align: ["left", "left"], gap: 3 })).toEqual(["site    ohms", "rop1    16.1 kΩ", "rop10   775 Ω"]);
    expect(formatTable(["site", "n"], [["a", "7"], ["b", "12"]])).toEqual(["site   n", "a      7", "b     12"]);
  });
});
