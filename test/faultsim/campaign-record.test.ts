/**
 * A campaign's record of verdicts (campaign.ts): `createCampaign` runs `record` on fault 0
 * for type feedback and puts fault 0 back — a campaign that records nothing must still
 * report fault 0 (and every fault) as not detected, with no first vector and, without drop,
 * no detecting vectors; one that records a PD then a DT keeps both first vectors. Expected
 * values by hand from the verdicts recorded.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { createCampaign } from "../../src/faultsim/campaign.ts";
import { compileNetwork, patternEvents } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const { bench } = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
const net = compileNetwork(bench);
const faults = enumerateFaults(net, bench, loadFaultModels(undefined, ["dead-synapse"]), { collapse: true }).faults;
const vectors = [0, 1].map((k) => ({ id: `v${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 1, events: patternEvents(["1".repeat(16)], 1, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 }));

describe("a campaign's record", () => {
  for (const drop of [true, false]) {
    it(`records nothing it was not given (drop ${drop}): fault 0 not detected, no first vector${drop ? "" : ", no detecting vectors"}`, () => {
      const c = createCampaign(net, faults, vectors, { drop, proveUndetectable: false });
      expect(c.active(0)).toBe(true);
      const r = c.result("test", 0, 0, performance.now());
      expect(r.outcomes[0]).toMatchObject({ cls: "ND", firstVector: null, firstPossibleVector: null });
      if (!drop) expect(r.outcomes[0]).toMatchObject({ detectingVectors: [], detectedVectors: [] });
      expect(r.outcomes.every((o) => o.cls === "ND")).toBe(true);
    });
  }

  it("keeps a PD on v0 then a DT on v1 of fault 0: DT first at v1, first possible at v0; dropped with drop", () => {
    const c = createCampaign(net, faults, vectors, { drop: true, proveUndetectable: false });
    c.record(0, 0, 1);
    expect(c.active(0)).toBe(true);
    c.record(0, 1, 2);
    expect(c.active(0)).toBe(false);
    const r = c.result("test", 0, 0, performance.now());
    expect(r.outcomes[0]).toMatchObject({ cls: "DT", firstVector: "v1", firstPossibleVector: "v0" });
    expect(r.outcomes[1].cls).toBe("ND");
  });
});
