/**
 * `--json` output at realistic size (issue 11, item 11): the report is written in pieces,
 * so no single string grows with the fault universe (the bnn universe's one-string JSON
 * passed V8's ~512 MB limit and lost an 11-minute run). The pieces, joined, parse to
 * exactly what JSON.stringify gives.
 */
import { describe, expect, it } from "vitest";
import { jsonPieces } from "../../src/report/json-stream.ts";
import { runMain } from "../helpers/run-main.ts";

describe("jsonPieces", () => {
  it("cuts top-level arrays longer than the batch, keeps key order, drops undefined like JSON.stringify", () => {
    const value = { a: 1, list: [1, 2, 3, 4, 5, 6, 7], gone: undefined, short: [1, 2], b: { c: "x" } };
    const pieces = [...jsonPieces(value, 3)];
    // 7 entries in batches of 3: the head up to "list":[, then 1,2,3 / 4,5,6 / 7, then the rest
    expect(pieces).toEqual(['{"a":1,"list":[', "1,2,3,", "4,5,6,", "7", '],"short":[1,2],"b":{"c":"x"}}']);
    expect(pieces.join("")).toBe(JSON.stringify(value));
    expect([...jsonPieces({ list: [] }, 3)].join("")).toBe('{"list":[]}');
    expect([...jsonPieces({ list: [1, 2, 3, 4] }, 3)].join("\n")).toBe('{"list":[\n1,2,3,\n4\n]}');
  });
});

describe("coverage --json on mlp-16x8x4 (770 collapsed faults)", () => {
  it("prints one JSON object in pieces of at most 256 fault entries", async () => {
    const r = await runMain(["coverage", "mlp-16x8x4", "fixtures/coverage/mlp-16x8x4-random8.json", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.faults).toHaveLength(770);
    const lines = r.stdout.split("\n");
    // 770 entries in batches of 256: 4 lines of entries, none holding the whole list
    const longest = Math.max(...lines.map((l) => l.length));
    expect(longest).toBeLessThan(r.stdout.length / 2);
    expect(lines.filter((l) => l.startsWith('{"id":')).length).toBe(4);
  });
});
