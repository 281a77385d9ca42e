/**
 * A fault table handed to a pooled campaign (ParallelOptions.sharedFaults): coverage encodes
 * its universe for the threads once enumerated, and the campaign then starts without
 * encoding it (0.3 s on bnn's 3.66 M faults). The campaign uses a handed table only when it
 * was encoded from that very list (isSharingOf): shown by a table whose entries for two
 * faults of one column were swapped after encoding — the campaign that uses it grades each
 * of the two in the other's place — and by a table of another list of the same length, which
 * the campaign ignores (it re-encodes: the in-process outcomes). On mlp-16x8x4, 2 threads.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { faultEngines, runParallelCampaign } from "../../src/faultsim/index.ts";
import { isSharingOf, shareFaults } from "../../src/faultsim/shared-universe.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createJobPool } from "../../src/parallel/job-pool.ts";
import { compileNetwork, createRng } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";
import { randomVectors } from "./random-bench.ts";

const benchFile = join(repoRoot, "testbenches", "mlp-16x8x4.json");
const { bench } = loadTestbench(benchFile);
const net = compileNetwork(bench);
const u = enumerateFaults(net, bench, loadFaultModels(), { collapse: true });
const vectors = randomVectors(createRng(57), net, 5);
const spec = { benchFile, collapse: true, vectors, engine: "fast" as const, drop: false };
const inProcess = faultEngines.fast.run(net, u.faults, vectors, { drop: false, analysis: u.analysis }).outcomes;

describe("isSharingOf", () => {
  it("a table is of the list it was encoded from, not of an equal copy or a part", () => {
    const table = shareFaults(u.faults)!;
    expect(isSharingOf(table, u.faults)).toBe(true);
    expect(isSharingOf(table, [...u.faults])).toBe(false);
    expect(isSharingOf(table, u.faults.slice(1))).toBe(false);
  });
});

describe("a campaign handed the caller's fault table", () => {
  const pool = createJobPool(2);
  afterAll(() => pool.close());
  const run = (sharedFaults: ReturnType<typeof shareFaults>) => runParallelCampaign(spec, net, u.faults, { pool, minFaultsPerJob: 1, analysis: u.analysis, sharedFaults });

  it("uses it: two faults of one column swapped in the table are graded each in the other's place", async () => {
    // two faults of the same column (the campaign's column blocks stay whole) that the in-process run classifies apart
    const at = (i: number) => `${u.faults[i].site.layer}.${u.faults[i].site.col}`;
    let pair: [number, number] | undefined;
    for (let i = 0; i < u.faults.length && !pair; i++)
      for (let j = i + 1; j < u.faults.length && at(j) === at(i); j++)
        if (inProcess[i].cls !== inProcess[j].cls && u.faults[i].site.kind === u.faults[j].site.kind) {
          pair = [i, j];
          break;
        }
    expect(pair, "mlp-16x8x4 has two faults of one column classified apart").toBeDefined();
    const [i, j] = pair!;
    const table = shareFaults(u.faults)!;
    const t = new Int32Array(table.table);
    for (let k = 0; k < 3; k++) [t[3 * i + k], t[3 * j + k]] = [t[3 * j + k], t[3 * i + k]];
    const r = await run(table);
    expect(r.threadElapsedMs).toHaveLength(2);
    expect(r.outcomes[i].faultId).toBe(u.faults[i].id); // the caller's ids, the swapped faults' verdicts
    expect(r.outcomes[i].cls).toBe(inProcess[j].cls);
    expect(r.outcomes[j].cls).toBe(inProcess[i].cls);
    const others = r.outcomes.filter((_, k) => k !== i && k !== j);
    expect(others).toEqual(inProcess.filter((_, k) => k !== i && k !== j));
  }, 120_000);

  it("the caller's own table: the in-process outcomes", async () => {
    const r = await run(shareFaults(u.faults));
    expect(r.outcomes).toEqual(inProcess);
  }, 120_000);

  it("ignores a table of another list of the same length (the faults reversed): the in-process outcomes", async () => {
    const reversed = [...u.faults].reverse();
    const r = await run(shareFaults(reversed));
    expect(r.outcomes).toEqual(inProcess);
  }, 120_000);
});
