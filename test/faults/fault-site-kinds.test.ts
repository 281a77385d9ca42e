/**
 * The fault-site-kind registry drives the universe: a test-only registry changes what
 * is enumerated, and `faultSiteKindOf` is the registry's inverse. Counts are the hand
 * count of black-pixel-4x1 (4 rows × 1 column, one neuron; see fault-universe.test.ts):
 * resistive-open sits on 4 segments + 4 `.series` + 4 `.read` paths = 12.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { countFaults, faultSiteKindOf, faultSiteKinds, loadFaultModels, type FaultSiteKindRegistry } from "../../src/faults/index.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import type { Site } from "../../src/sim/sites.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const { bench } = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json"));
const net = compileNetwork(bench);
const models = loadFaultModels(undefined, ["resistive-open", "dead-neuron"]);
const count = (siteKinds?: FaultSiteKindRegistry) => {
  const c = countFaults(net, bench, models, { collapse: false, siteKinds });
  return { open: c.byModel["resistive-open"].uncollapsed, neuron: c.byModel["dead-neuron"].uncollapsed };
};

describe("fault site kinds registry", () => {
  it("the shipped registry: 12 opens (4 seg + 4 series + 4 read), 1 neuron fault", () => {
    expect(count()).toEqual({ open: 12, neuron: 1 });
  });

  it("a registry without line segments drops the 4 segment opens; one without neurons drops the neuron fault", () => {
    expect(count({ ...faultSiteKinds, "line-segment": { simKinds: [], title: "none" } })).toEqual({ open: 8, neuron: 1 });
    expect(count({ ...faultSiteKinds, neuron: { simKinds: [], title: "none" } })).toEqual({ open: 12, neuron: 0 });
  });

  it("cell-internal without its path narrowing sits on the listed paths only", () => {
    expect(count({ ...faultSiteKinds, "cell-internal": { simKinds: ["cell-series"], title: "write path only" } })).toEqual({ open: 8, neuron: 1 });
  });

  it("faultSiteKindOf is the registry's inverse", () => {
    const simKinds: Site["kind"][] = ["cell", "neuron", "segment", "cell-series", "cell-read"];
    expect(simKinds.map(faultSiteKindOf)).toEqual(["synapse", "neuron", "line-segment", "cell-internal", "cell-internal"]);
    for (const k of simKinds) expect(faultSiteKinds[faultSiteKindOf(k)].simKinds).toContain(k);
  });
});
