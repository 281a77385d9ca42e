/**
 * sweep-open on the seed 000 reference circuit (black-pixel-4x1): table VI's directions,
 * the calibrated rop1 edge, the 16:4:1-like ratios a resistive column predicts, and
 * located errors for bad sites.
 */
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

interface Cell {
  minDetectableOhms: number | null;
  maxUndetectedOhms: number;
  detectable: boolean;
}
interface TableJson {
  rows: { site: string; cells: Record<"original" | "iwPlus" | "lwMinus", Cell>; paper?: Record<string, number> }[];
}

describe("sweep-open --table on black-pixel-4x1", () => {
  // A tight bisection (0.1 %) so a direction is a separation of brackets, not bisection noise:
  // "raises" means the changed window's largest undetected open exceeds the original's smallest detected one.
  const table = runMain(["sweep-open", "black-pixel-4x1", "--table", "--json", "--tolerance", "0.001"]).then((r) => {
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as TableJson;
  });

  it("lists rop1, rop2, rop3 with the paper's numbers beside ours", async () => {
    const t = await table;
    expect(t.rows.map((r) => r.site)).toEqual(["rop1", "rop2", "rop3"]);
    expect(t.rows[0].paper?.iwPlus).toBe(33_000);
    for (const r of t.rows) for (const c of Object.values(r.cells)) expect(c.detectable).toBe(true);
  });

  it("IW+0.2 ns raises the minimum detectable open at every site (table VI column 2)", async () => {
    for (const r of (await table).rows) {
      expect(r.cells.iwPlus.maxUndetectedOhms, r.site).toBeGreaterThan(r.cells.original.minDetectableOhms!);
    }
  });

  it("LW−0.1 ns raises the minimum detectable open at every site (table VI column 3)", async () => {
    for (const r of (await table).rows) {
      expect(r.cells.lwMinus.maxUndetectedOhms, r.site).toBeGreaterThan(r.cells.original.minDetectableOhms!);
    }
  });

  it("rop1 is within 25 % of seed 000's 16 kΩ and rop1:rop2, rop2:rop3 are each in [3, 5.5]", async () => {
    const [r1, r2, r3] = (await table).rows.map((r) => r.cells.original.minDetectableOhms!);
    expect(Math.abs(r1 - 16_000) / 16_000).toBeLessThan(0.25);
    expect(r1 / r2).toBeGreaterThanOrEqual(3);
    expect(r1 / r2).toBeLessThanOrEqual(5.5);
    expect(r2 / r3).toBeGreaterThanOrEqual(3);
    expect(r2 / r3).toBeLessThanOrEqual(5.5);
  });
});

describe("sweep-open on one site", () => {
  it("brackets the edge to the requested tolerance and the bracket really straddles it", async () => {
    const r = await runMain(["sweep-open", "black-pixel-4x1", "--site", "rop1", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.siteId).toBe("l0.c0.seg0");
    expect((j.minDetectableOhms - j.maxUndetectedOhms) / j.minDetectableOhms).toBeLessThanOrEqual(0.01);
    // Independent check with the simulate command: a spike just below the edge, none at it.
    const below = await runMain(["simulate", "black-pixel-4x1", "--open", `rop1=${j.maxUndetectedOhms}`, "--json"]);
    const at = await runMain(["simulate", "black-pixel-4x1", "--open", `rop1=${j.minDetectableOhms}`, "--json"]);
    expect(JSON.parse(below.stdout).spikes.length).toBe(1);
    expect(JSON.parse(at.stdout).spikes.length).toBe(0);
  });

  it("a stimulus the good chip does not spike on makes the open undetectable", async () => {
    const r = await runMain(["sweep-open", "black-pixel-4x1", "--site", "rop3", "--pattern", "1110", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).detectable).toBe(false);
  });

  it("a bad site id exits 2 with a message naming the flag, the file and the valid forms", async () => {
    const r = await runMain(["sweep-open", "black-pixel-4x1", "--site", "rop9"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--site rop9: .*black-pixel-4x1\.json: unknown site "rop9"/);
    expect(r.stderr).toMatch(/aliases: rop1, rop2, rop3/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("a site outside the bench and a neuron site exit 2 too", async () => {
    const outside = await runMain(["sweep-open", "black-pixel-4x1", "--site", "l0.c5.seg0"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/outside layer 0 \(4 rows × 1 columns\)/);
    const neuron = await runMain(["sweep-open", "black-pixel-4x1", "--site", "l0.n0"]);
    expect(neuron.code).toBe(2);
    expect(neuron.stderr).toMatch(/is a neuron/);
  });
});
