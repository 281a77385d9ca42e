/**
 * `compare-arrays` on seed 003's two cells (issue 15 §2), on reduced copies of the two
 * shipped benches (layer 0 12 × 6, layer 1 6 × 3; the device values are table II's). Every
 * expected value is derived by hand from the bench's resistances:
 *
 *   path of row r   (rows − r) · R_seg + R_in   (segments r … rows − 1, then the sense input)
 *   sense window    V/(R_P + path) − V/(R_AP + path) at the bottom row (path R_seg + R_in)
 *   midpoint READ   the reference is the branch-conductance midpoint G_ref = (1/R_P + 1/R_AP)/2
 *                   in the same position, so a P cell with an open R reads AP once
 *                   R > 1/G_ref − R_P — whatever the path and the read voltage
 *   self-reference  (known state P) an AP cell reads P once (R_P + p + R)/(R_AP + p + R) > ρ,
 *                   ρ = (1 + (R_P + p)/(R_AP + p))/2; solving gives R > R_AP + p: at row 0
 *                   p = rows · R_seg + R_in, and for the segment at the sense input the
 *                   bottom row's p = R_seg + R_in decides
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-compare-arrays-"));
const reduced = (id: string) => {
  const tb = JSON.parse(readFileSync(join("testbenches", `${id}.json`), "utf8"));
  delete tb.$schema;
  tb.id = `${id}-reduced`;
  tb.layers[0].rows = 12;
  tb.layers[0].cols = 6;
  tb.layers[1].rows = 6;
  tb.layers[1].cols = 3;
  // the shipped trained weights are 400×100×10: a reduced copy carries seeded random ones
  tb.layers.forEach((l: { weights: unknown }, i: number) => (l.weights = { generator: "random", density: 0.5, seed: 3400 + i }));
  const file = join(dir, `${tb.id}.json`);
  writeFileSync(file, JSON.stringify(tb));
  return { file, d: tb.device as { rLowOhms: number; rHighOhms: number; segmentOhms: number; neuronInputOhms: number; readVoltageV: number } };
};

interface Row {
  bench: string;
  readScheme: string;
  senseWindowUa: number;
  minOpenOhms: { series: number; read: number; segment: number };
  coverage: { testCoverage: number };
}

describe("compare-arrays: seed 003 SMTJ vs DMTJ (reduced arrays)", () => {
  const smtj = reduced("seed003-smtj-mlp-400x100x10");
  const dmtj = reduced("seed003-dmtj-mlp-400x100x10");

  it("sense window and the smallest open each READ scheme catches, per cell, as derived by hand", async () => {
    const r = await runMain(["compare-arrays", smtj.file, dmtj.file, "--read-scheme", "both", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout).rows as Row[];
    expect(rows.map((x) => `${x.bench} ${x.readScheme}`)).toEqual([
      "seed003-smtj-mlp-400x100x10-reduced midpoint-reference",
      "seed003-smtj-mlp-400x100x10-reduced self-reference",
      "seed003-dmtj-mlp-400x100x10-reduced midpoint-reference",
      "seed003-dmtj-mlp-400x100x10-reduced self-reference",
    ]);
    for (const [k, { d }] of [smtj, dmtj].entries()) {
      const [mid, self] = [rows[2 * k], rows[2 * k + 1]];
      const bottom = d.segmentOhms + d.neuronInputOhms;
      const top = 12 * d.segmentOhms + d.neuronInputOhms;
      const windowUa = (d.readVoltageV / (d.rLowOhms + bottom) - d.readVoltageV / (d.rHighOhms + bottom)) * 1e6;
      expect(mid.senseWindowUa).toBeCloseTo(windowUa, 6);
      // bisection stops within 0.1 % above the boundary
      const within = (got: number, want: number) => {
        expect(got / want).toBeGreaterThanOrEqual(0.9999);
        expect(got / want).toBeLessThanOrEqual(1.001);
      };
      const midpoint = 1 / ((1 / d.rLowOhms + 1 / d.rHighOhms) / 2) - d.rLowOhms;
      within(mid.minOpenOhms.series, midpoint);
      within(mid.minOpenOhms.read, midpoint);
      within(mid.minOpenOhms.segment, midpoint);
      within(self.minOpenOhms.series, d.rHighOhms + top);
      within(self.minOpenOhms.read, d.rHighOhms + top);
      within(self.minOpenOhms.segment, d.rHighOhms + bottom);
    }
    // the double barrier: a 2.9× narrower sense window (0.121 V against 0.338 V), yet a larger open is needed to flip a
    // midpoint READ (2.5 vs 3.7 kΩ at table II's values): the reference scales with the read voltage
    expect(rows[0].senseWindowUa / rows[2].senseWindowUa).toBeGreaterThan(2.8);
    expect(rows[2].minOpenOhms.series).toBeGreaterThan(rows[0].minOpenOhms.series);
    for (const x of rows) expect(x.coverage.testCoverage).toBeGreaterThan(0.9);
  }, 300_000);

  it("--read-scheme with an unknown value is an option error naming the choices", async () => {
    const r = await runMain(["compare-arrays", smtj.file, "--read-scheme", "self"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--read-scheme expects one of bench, midpoint-reference, self-reference, both");
  });
});
