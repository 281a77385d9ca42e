/**
 * Lateral inhibition in the network step (src/sim/inhibition.ts, seed 002): a common
 * inhibitory signal holds every neuron of a layer off for τ_inh after any spike. Values
 * are hand-derived from seed 000's fact that (1,1,1,1) needs 3 write pulses to fire.
 */
import { describe, expect, it } from "vitest";
import { faultEngines } from "../../src/faultsim/engine-registry.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../../src/faults/fault-universe.ts";
import { testbenchSchema, type Testbench } from "../../src/formats/testbench-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, patternEvents, simulateNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const { bench: bp } = loadTestbench(`${repoRoot}/testbenches/black-pixel-4x1.json`);

/** black-pixel with two identical columns (all weights 1), optionally inhibited and stochastic. */
function twoColumns(inhibition?: Testbench["layers"][number]["inhibition"], stochastic = false): Testbench {
  const neuron = stochastic ? { ...bp.neuron, model: "stochastic-lif-she" as const, sigmoidWidth: 0.2, seed: 7 } : bp.neuron;
  return { ...bp, neuron, layers: [{ ...bp.layers[0], cols: 2, inhibition }] };
}

const windowsOf = (tb: Testbench, col: number, windows = 8, salt = 0) =>
  simulateNetwork(compileNetwork(tb), { iwPs: 1000, lwPs: 9000, windows, events: patternEvents(["1111"], windows, 1000, 9000) }, { rngSalt: salt })
    .spikes.filter((s) => s.neuron === col)
    .map((s) => s.window);

describe("common lateral inhibition", () => {
  it("holds every neuron off for τ_inh after a spike: fires at windows 2, 5 without it, 2, 6 with τ_inh = 15 ns", () => {
    // Without inhibition: 3 pulses (windows 0, 1, 2) fire, reset, 3 more (3, 4, 5) fire again.
    // With τ_inh = 15 ns: both columns spike in window 2 (simultaneous: both count) at t ≈ 20.5 ns,
    // so segments starting before ≈ 35.5 ns are inhibited — window 3's pulse (30 ns) is lost,
    // window 4's (40 ns) is not: pulses 4, 5, 6 fire at window 6.
    for (const col of [0, 1]) {
      expect(windowsOf(twoColumns(), col)).toEqual([2, 5]);
      expect(windowsOf(twoColumns({ kind: "common", tauInhNs: 15 }), col)).toEqual([2, 6]);
    }
    // τ_inh longer than the rest of the run: one spike each.
    expect(windowsOf(twoColumns({ kind: "common", tauInhNs: 100 }), 0)).toEqual([2]);
  });

  it("an inhibition too short to cover any segment start leaves stochastic spikes exactly as without it (same streams)", () => {
    // A spike lies inside an IW; τ_inh = 1 ps never reaches the next segment start.
    for (let salt = 0; salt < 5; salt++) {
      for (const col of [0, 1]) {
        expect(windowsOf(twoColumns({ kind: "common", tauInhNs: 0.001 }, true), col, 8, salt)).toEqual(windowsOf(twoColumns(undefined, true), col, 8, salt));
      }
    }
  });

  it("the schema rejects a non-positive τ_inh and an unknown kind, naming the field", () => {
    const raw = JSON.parse(JSON.stringify(twoColumns({ kind: "common", tauInhNs: 25 }))) as { layers: { inhibition: unknown }[] };
    raw.layers[0].inhibition = { kind: "common", tauInhNs: 0 };
    const bad = testbenchSchema.safeParse(raw);
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0].path).toEqual(["layers", 0, "inhibition", "tauInhNs"]);
    raw.layers[0].inhibition = { kind: "per-neuron", tauInhNs: 25 };
    expect(testbenchSchema.safeParse(raw).success).toBe(false);
  });

  it("the fast engine grades an inhibited bench by full re-simulation and agrees with the reference engine", () => {
    const tb = twoColumns({ kind: "common", tauInhNs: 15 });
    const net = compileNetwork(tb);
    const faults = enumerateFaults(net, tb, loadFaultModels(), { collapse: false }).faults;
    const stimulus = { iwPs: 1000, lwPs: 9000, windows: 8, events: patternEvents(["1111"], 8, 1000, 9000) };
    const vectors = [{ id: "v1", stimulus, toleranceBandPs: 500 }];
    const fast = faultEngines.fast.run(net, faults, vectors);
    const ref = faultEngines.reference.run(net, faults, vectors);
    expect(fast.outcomes.map((o) => o.cls)).toEqual(ref.outcomes.map((o) => o.cls));
    expect(fast.pathEvaluations?.cell ?? 0).toBe(0);
    expect(fast.pathEvaluations?.general).toBeGreaterThan(0);
  });
});
