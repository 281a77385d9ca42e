/**
 * A mistyped bench id exits 2, lists the shipped ids and names the closest one (edit
 * distance); the distances below are counted by hand.
 */
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { closestMatch, editDistance } from "../../src/cli/closest-match.ts";
import { runMain } from "../helpers/run-main.ts";

const shipped = ["black-pixel-4x1", "black-pixel-4x1-macrospin", "bnn-784x1024x10", "bnn-mnist-784x1024x10", "bnn-mnist-adapted-784x1024x10", "hou-itc22-n16", "hou-itc22-n32", "hou-itc22-n64", "hou-itc22-n8", "mlp-16x8x4", "seed001-dw-4x2", "seed001-dw-784x10", "seed001-dw-784x100", "seed002-stochastic-784x9", "seed003-dmtj-mlp-400x100x10", "seed003-smtj-mlp-400x100x10"];

describe("edit distance", () => {
  it.each([
    ["black-pixl-4x1", "black-pixel-4x1", 1], // one insertion
    ["black-pixel-4x2", "black-pixel-4x1", 1], // one substitution
    ["kitten", "sitting", 3], // k→s, e→i, +g
    ["", "abc", 3],
    ["mlp-16x8x4", "mlp-16x8x4", 0],
  ])("%s → %s = %i", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it("picks the nearest, a unique prefix, or nothing when far off", () => {
    expect(closestMatch("bnn-784x1024x1", shipped)).toBe("bnn-784x1024x10");
    expect(closestMatch("bnn-mnist-784x1024", shipped)).toBe("bnn-mnist-784x1024x10");
    expect(closestMatch("mlp", shipped)).toBe("mlp-16x8x4");
    expect(closestMatch("zzz", shipped)).toBeUndefined();
  });
});

describe("a wrong bench id on the command line", () => {
  it("the test's list is the shipped one", () => {
    const ids = readdirSync("testbenches").filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();
    expect(ids).toEqual(shipped);
  });

  it("exits 2 naming the closest id and every shipped id", async () => {
    const r = await runMain(["faults", "black-pixl-4x1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('black-pixl-4x1: no such file and no shipped bench with that id. Did you mean "black-pixel-4x1"?');
    for (const id of shipped) expect(r.stderr).toContain(id);
    expect(r.stdout).toBe("");
  });

  it("without a near id lists the shipped ids and no guess", async () => {
    const r = await runMain(["simulate", "zzz", "--pattern", "1111"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/Did you mean/);
    expect(r.stderr).toContain(`Shipped ids: ${shipped.join(", ")}`);
  });

  it("a missing path is still reported by the loader", async () => {
    const r = await runMain(["faults", "no-such-bench.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-bench\.json: cannot read testbench \(ENOENT\)/);
  });
});
