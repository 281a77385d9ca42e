/**
 * The fault universe: hand-counted on black-pixel-4x1, the collapsing rules (and
 * what they must NOT merge), site filters, and the counting path agreeing with full
 * enumeration. bnn-784x1024x10 counts come from the CLI in seconds.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../src/formats/format-error.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { countFaults, defaultFaultModelDir, enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { repoRoot, runCli } from "../helpers/run-cli.ts";

const bench = (id: string) => {
  const loaded = loadTestbench(join(repoRoot, "testbenches", `${id}.json`));
  return { bench: loaded.bench, net: compileNetwork(loaded.bench) };
};
const models = loadFaultModels();

describe("fault universe of black-pixel-4x1 (hand count)", () => {
  const { bench: b, net } = bench("black-pixel-4x1");

  it("one neuron × 5 neuron models, 4 cells, 4 segments + 4 series + 4 read opens, no weight-0 cell", () => {
    // Neuron models: 1 each. Dead synapse: 4 cells. Retention flip: 0 (all cells are R_L).
    // Resistive open: 4 segments + 4 .series + 4 .read = 12; seg0 ≡ r0.series (series-chain) → 11.
    const c = countFaults(net, b, models);
    expect(c.byModel).toEqual({
      "dead-neuron": { uncollapsed: 1, collapsed: 1 },
      "dead-synapse": { uncollapsed: 4, collapsed: 4 },
      "fast-to-integrate": { uncollapsed: 1, collapsed: 1 },
      "fast-to-leak": { uncollapsed: 1, collapsed: 1 },
      "resistive-open": { uncollapsed: 12, collapsed: 11 },
      "retention-flip": { uncollapsed: 0, collapsed: 0 },
      "slow-to-integrate": { uncollapsed: 1, collapsed: 1 },
      "slow-to-leak": { uncollapsed: 1, collapsed: 1 },
    });
    expect(c.total).toEqual({ uncollapsed: 21, collapsed: 20 });
  });

  it("an infinite open collapses with the dead synapse of its cell (and seg0 with row 0)", () => {
    // Rows 1..3: {dead-synapse, r.series ∞} → 1 each (identical-effect, 3 merged).
    // Row 0: {dead-synapse, seg0 ∞, r0.series ∞} → 1 (series-chain, 2 merged). 21 − 5 = 16.
    const u = enumerateFaults(net, b, models, { params: { "resistive-open": { resistanceOhms: Infinity } } });
    expect(u.counts.total).toEqual({ uncollapsed: 21, collapsed: 16 });
    expect(Object.fromEntries(u.counts.rules.map((r) => [r.rule, r.merged]))).toEqual({ "identical-effect": 3, "series-chain": 2, "silent-neuron": 0 });
    const ds0 = u.faults.find((f) => f.id === "dead-synapse@l0.r0.c0")!;
    expect(ds0.classSize).toBe(3);
    expect(ds0.equivalents).toEqual(["resistive-open@l0.c0.seg0:inf", "resistive-open@l0.r0.c0.series:inf"]);
    // Uncollapsed enumeration keeps every fault on its own.
    const flat = enumerateFaults(net, b, models, { collapse: false, params: { "resistive-open": { resistanceOhms: Infinity } } });
    expect(flat.faults).toHaveLength(21);
    expect(flat.faults.every((f) => f.classSize === 1 && !f.equivalents)).toBe(true);
  });

  it("dead synapses on different cells of one column are never merged, even with equal weights", () => {
    const u = enumerateFaults(net, b, loadFaultModels(undefined, ["dead-synapse"]));
    expect(u.faults.map((f) => f.id)).toEqual(["dead-synapse@l0.r0.c0", "dead-synapse@l0.r1.c0", "dead-synapse@l0.r2.c0", "dead-synapse@l0.r3.c0"]);
  });

  it("site filters take ids and aliases; unknown sites are a NotFoundError", () => {
    const u = enumerateFaults(net, b, models, { sites: ["rop1", "l0.r2.c0", "l0.n0"] });
    expect(u.faults.map((f) => f.id).sort()).toEqual(
      ["dead-neuron@l0.n0", "dead-synapse@l0.r2.c0", "fast-to-integrate@l0.n0", "fast-to-leak@l0.n0", "resistive-open@l0.c0.seg0:50000", "slow-to-integrate@l0.n0", "slow-to-leak@l0.n0"].sort(),
    );
    expect(() => enumerateFaults(net, b, models, { sites: ["l0.r4.c0"] })).toThrow(NotFoundError);
  });

  it("fault objects carry the perturbations of their model and serialise to plain JSON", () => {
    const f = enumerateFaults(net, b, models).faults.find((x) => x.id === "slow-to-leak@l0.n0")!;
    expect(f.perturbations).toEqual([{ site: { kind: "neuron", layer: 0, col: 0 }, quantity: "leakTauNs", op: "scale", value: 3 }]);
    expect(JSON.parse(JSON.stringify(f))).toMatchObject({ id: "slow-to-leak@l0.n0", modelId: "slow-to-leak", siteId: "l0.n0", layer: 0, params: { leakFactor: 3 }, classSize: 1 });
  });
});

describe("counting path = enumeration", () => {
  it("on mlp-16x8x4 with every model (shipped + fixtures), several parameter and site choices", () => {
    const { bench: b, net } = bench("mlp-16x8x4");
    const all = loadFaultModels([defaultFaultModelDir, join(repoRoot, "fixtures", "fault-models")]);
    const options = [
      {},
      { collapse: false },
      { params: { "resistive-open": { resistanceOhms: Infinity } } },
      { sites: ["l0.n3", "l1.r2.c1", "l0.c5.seg0", "l0.r0.c5.series", "l1.r7.c3.read"] },
    ];
    for (const o of options) {
      const u = enumerateFaults(net, b, all, o);
      expect(countFaults(net, b, all, o), JSON.stringify(o)).toEqual(u.counts);
      expect(u.faults.length).toBe(u.counts.total.collapsed);
      expect(u.faults.reduce((s, f) => s + f.classSize, 0)).toBe(u.counts.total.uncollapsed);
    }
  });

  it("bnn-784x1024x10: `faults --json` counts the 3.6 M-fault universe in seconds", () => {
    const t0 = performance.now();
    const r = runCli(["faults", "bnn-784x1024x10", "--json"], { timeoutMs: 60_000 });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout).counts;
    const { net } = bench("bnn-784x1024x10");
    const cells = 784 * 1024 + 1024 * 10;
    const zeros = net.layers.reduce((s, l) => s + l.weights.filter((w) => w === 0).length, 0);
    expect(c.byModel["dead-synapse"]).toEqual({ uncollapsed: cells, collapsed: cells });
    expect(c.byModel["retention-flip"]).toEqual({ uncollapsed: zeros, collapsed: zeros });
    // Opens: one per segment (rows × cols) plus .series and .read per cell; seg0 ≡ r0.series in each of the 1034 columns.
    expect(c.byModel["resistive-open"]).toEqual({ uncollapsed: 3 * cells, collapsed: 3 * cells - 1034 });
    expect(c.byModel["dead-neuron"]).toEqual({ uncollapsed: 1034, collapsed: 1034 });
    expect(c.total.uncollapsed).toBeGreaterThan(1_000_000);
    expect(seconds).toBeLessThan(45); // generous: a loaded 2-core CI machine; ~1.5 s idle
  });
});
