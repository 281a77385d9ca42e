/**
 * A pooled campaign's warm-up (campaign-warm-up.ts): the faults of a few columns from the
 * middle of every layer (mlp-16x8x4 by hand: 8 hidden columns → 4 from column 2, 4 output
 * columns → 2 from column 1), graded by the pool's threads on the program's first vector, then its first 12;
 * the campaign after it on the same pool grades the chip the warm-up shared (`sharedNet`) and
 * gives the in-process outcomes.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, runParallelCampaign } from "../../src/faultsim/index.ts";
import { WARM_UP_COLUMNS, WARM_UP_VECTORS, warmCampaignThreads, warmUpFaults } from "../../src/faultsim/campaign-warm-up.ts";
import { createJobPool } from "../../src/parallel/job-pool.ts";
import { shareValue } from "../../src/parallel/shared-value.ts";
import { applyPerturbations, compileNetwork, createRng } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { randomVectors } from "./random-bench.ts";

const benchFile = join(repoRoot, "testbenches", "mlp-16x8x4.json");
const { bench } = loadTestbench(benchFile);
const models = loadFaultModels();

describe("the warm-up's faults", () => {
  it("mlp-16x8x4, 4 hidden and 2 output columns: hidden columns 2–5 and output columns 1–2, as the universe lists them", () => {
    const net = compileNetwork(bench);
    const picked = warmUpFaults(net, bench, models, { collapse: true }, { hidden: 4, last: 2 });
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const at = (layer: number, cols: number[]) => u.faults.filter((f) => f.site.layer === layer && cols.includes(f.site.col));
    const expected = [...at(0, [2, 3, 4, 5]), ...at(1, [1, 2])];
    expect(expected.length).toBeGreaterThan(0);
    expect(picked.map((f) => f.id)).toEqual(expected.map((f) => f.id));
  });

  it(`mlp-16x8x4 by default (${WARM_UP_COLUMNS.hidden} hidden columns, more than its 8): every hidden column, output columns 1–2`, () => {
    expect(WARM_UP_COLUMNS).toEqual({ hidden: 16, last: 2 });
    const net = compileNetwork(bench);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const expected = u.faults.filter((f) => f.site.layer === 0 || (f.site.layer === 1 && (f.site.col === 1 || f.site.col === 2)));
    expect(warmUpFaults(net, bench, models, { collapse: true }).map((f) => f.id)).toEqual(expected.map((f) => f.id));
  });
});

describe("a campaign after the warm-up", () => {
  const pool = createJobPool(2);
  afterAll(() => pool.close());

  it("grades the chip the warm-up shared, with the in-process outcomes", async () => {
    const net = compileNetwork(bench);
    const vectors = randomVectors(createRng(41), net, WARM_UP_VECTORS + 2);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop: true };
    const warm = await warmCampaignThreads(pool, spec, net, bench, models);
    expect(warm.vectors).toBe(WARM_UP_VECTORS);
    expect(warm.passes).toEqual([1, WARM_UP_VECTORS]); // every per-run object made twice before the campaign (campaign-warm-up.ts)
    expect(warm.faults).toBe(warmUpFaults(net, bench, models, spec).length);
    const r = await runParallelCampaign(spec, net, u.faults, { pool, minFaultsPerJob: 1, analysis: u.analysis, sharedNet: warm.sharedNet });
    expect(r.threadElapsedMs).toHaveLength(2);
    expect(r.outcomes).toEqual(faultEngines.fast.run(net, u.faults, vectors, { drop: true, analysis: u.analysis }).outcomes);
  }, 120_000);

  it("the threads grade the shared chip handed over (here another chip: neuron 0 of every layer dead), not a new share of `net`", async () => {
    const net = compileNetwork(bench);
    const other = applyPerturbations(net, net.layers.map((_, layer) => ({ site: { kind: "neuron" as const, layer, col: 0 }, quantity: "dead", op: "set" as const, value: 1 })));
    const vectors = randomVectors(createRng(43), net, 4);
    const u = enumerateFaults(net, bench, models, { collapse: true });
    const onNet = faultEngines.fast.run(net, u.faults, vectors, { drop: false, analysis: u.analysis });
    const onOther = faultEngines.fast.run(other, u.faults, vectors, { drop: false });
    expect(onOther.outcomes).not.toEqual(onNet.outcomes); // the comparison can tell the chips apart
    const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop: false };
    const r = await runParallelCampaign(spec, net, u.faults, { pool, minFaultsPerJob: 1, sharedNet: shareValue(other) });
    expect(r.outcomes).toEqual(onOther.outcomes);
  }, 120_000);
});
