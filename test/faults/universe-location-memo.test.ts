/**
 * The count walk's location memo (fault-universe.ts): a cell location where no fault object
 * is built is counted from the groups of an earlier location with the same layer, weight,
 * cell ohms, segment ohms and row-0-ness. The reference is the walk that builds every fault
 * (enumerateFaults without `at`), which never uses the memo. The chip is altered so that
 * those keys matter: some cells and row-0 segments are off their nominal resistance, and two
 * test models (a cell set to an absolute resistance, a segment set to one) merge with a
 * resistive open only where the cell or segment is nominal.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { countFaults, defaultFaultModelDir, enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { locationKey } from "../../src/faults/fault-universe.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const OPEN_OHMS = 50_000; // resistive-open's default resistanceOhms

function model(id: string, siteKind: string, value: number) {
  return {
    $schema: "../schemas/fault-model.schema.json",
    schemaVersion: 1,
    id,
    title: `${id} (test model): the element set to ${value} Ω`,
    abbreviation: id.slice(0, 4).toUpperCase(),
    origin: { description: "A test-only model whose effect equals a resistive open's on nominal elements only.", seeds: ["000"], reference: "test/faults/universe-location-memo.test.ts" },
    siteKind,
    parameters: {},
    perturbation: [{ quantity: "ohms", op: "set", value }],
  };
}

describe("the count walk's location memo", () => {
  const loaded = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
  const net = compileNetwork(loaded.bench);
  const l0 = net.layers[0];
  const nominalOn = l0.cellOhms[l0.weights.indexOf(1)];
  const nominalSeg = l0.segmentOhms[0];
  // off-nominal: every third weight-1 cell of layer 0, and the row-0 segment of columns 2 and 3
  // (row 0 holds weight 0 in even columns and 1 in odd ones: each weight meets a nominal seg0 first, then an altered one)
  let altered = 0;
  for (let i = 0; i < l0.weights.length; i++) if (l0.weights[i] === 1 && i % 3 === 0) (l0.cellOhms[i] += 1_000), altered++;
  for (const c of [2, 3]) l0.segmentOhms[c * l0.rows] *= 2;
  // and a weight-1 cell at the resistance of a weight-0 one (the weight decides which models apply: retention-flip needs 0)
  const nominalOff = l0.cellOhms[l0.weights.indexOf(0)];
  const disguised = l0.weights.findIndex((w, i) => w === 1 && i % 3 !== 0 && i % l0.rows !== 0);
  l0.cellOhms[disguised] = nominalOff;
  const dir = mkdtempSync(join(tmpdir(), "memo-models-"));
  // on a nominal weight-1 cell: cellOhms + open = this (merges with the .series open); on an altered one it does not
  writeFileSync(join(dir, "cell-set.json"), JSON.stringify(model("cell-set", "synapse", nominalOn + OPEN_OHMS)));
  // seg0 acts as a cell branch of ohms + (new − seg): equals the .series open only where seg0 is nominal
  writeFileSync(join(dir, "seg-set.json"), JSON.stringify(model("seg-set", "line-segment", nominalSeg + OPEN_OHMS)));
  const models = loadFaultModels([defaultFaultModelDir, join(repoRoot, "fixtures", "fault-models"), dir]);

  it("counts as the walk that builds every fault, collapsed and not, and it ran", () => {
    expect(altered).toBeGreaterThan(5);
    expect([0, 1, 2, 3].map((c) => l0.weights[c * l0.rows])).toEqual([0, 1, 0, 1]);
    for (const collapse of [true, false]) {
      const full = enumerateFaults(net, loaded.bench, models, { collapse });
      const stats = { cellLocations: 0, memoised: 0 };
      const counted = countFaults(net, loaded.bench, models, { collapse, stats });
      expect(counted).toEqual(full.counts);
      // 16×8 + 8×4 cell locations; the memo counted most of them
      expect(stats.cellLocations).toBe(16 * 8 + 8 * 4);
      expect(stats.memoised).toBeGreaterThan(stats.cellLocations / 2);
      if (collapse) {
        // the altered elements matter: the test models merge with opens at some locations only
        const merged = full.faults.filter((f) => f.equivalents?.some((e) => e.startsWith("cell-set") || e.startsWith("seg-set")) || f.modelId.endsWith("-set")).filter((f) => f.classSize > 1);
        expect(merged.length).toBeGreaterThan(0);
        expect(merged.length).toBeLessThan(full.faults.filter((f) => f.modelId.endsWith("-set") || f.equivalents?.some((e) => e.includes("-set@"))).length);
      }
    }
  });

  it("builds at the listed locations the very faults of the full walk, with the full walk's counts", () => {
    const full = enumerateFaults(net, loaded.bench, models);
    const picks = full.faults.filter((_, k) => k % 37 === 0);
    const at = new Set(picks.map((f) => locationKey(f.site)));
    const stats = { cellLocations: 0, memoised: 0 };
    const listed = enumerateFaults(net, loaded.bench, models, { at, stats });
    expect(stats.memoised).toBeGreaterThan(0);
    expect(listed.counts).toEqual(full.counts);
    const expected = full.faults.filter((f) => at.has(locationKey(f.site)));
    expect(listed.faults.map((f) => [f.id, f.classSize, f.equivalents])).toEqual(expected.map((f) => [f.id, f.classSize, f.equivalents]));
  });
});
