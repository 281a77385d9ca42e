/**
 * A guard band whose Monte-Carlo chips are simulated elsewhere, in slices (what
 * `generate --jobs N` does with a neuron-phase candidate's chips, neuron-candidate-pool.ts),
 * gives the verdict of the one-thread band: the statistics are folded in chip order
 * whatever order the slices were computed in. Checked on mlp-16x8x4 for random vectors
 * the band accepts and for ones it rejects with at least two λ-scaled failures — the case
 * that also draws the 1.5λ population (its failures counted in slices as well).
 */
import { describe, expect, it } from "vitest";
import { candidateStimulus, createGuardBand, evaluateGuardBand, randomCandidate } from "../../src/atpg/index.ts";
import { evaluateGuardBandWith, guardBandChips, guardBandFarFails, guardBandNominal, type GuardBand, type GuardBandChipRunner } from "../../src/atpg/guard-band.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { createRng } from "../../src/sim/rng.ts";
import type { Stimulus } from "../../src/sim/stimulus.ts";
import { repoRoot } from "../helpers/run-cli.ts";

/** Slices [0, 5), [5, 16), [16, n), computed last first, joined in chip order; counts the far-population calls. */
function slicedRunner(gb: GuardBand, stim: Stimulus): GuardBandChipRunner & { farCalls: number } {
  const nominal = guardBandNominal(gb, stim);
  const cuts = [0, 5, 16, gb.count];
  const sliced = async <R,>(f: (a: number, b: number) => R[]): Promise<R[]> => {
    const parts: R[][] = [];
    for (let k = cuts.length - 2; k >= 0; k--) parts[k] = f(cuts[k], cuts[k + 1]);
    return parts.flat();
  };
  const runner = {
    farCalls: 0,
    chips: () => sliced((a, b) => guardBandChips(gb, stim, nominal, a, b)),
    farFails: (tol: number) => {
      runner.farCalls++;
      return sliced((a, b) => guardBandFarFails(gb, stim, nominal, tol, a, b));
    },
  };
  return runner;
}

describe("guard band with its chips simulated in slices", () => {
  it("the one-thread verdict, for accepted vectors and for rejected ones that need the 1.5λ population", async () => {
    const lb = loadTestbench(`${repoRoot}/testbenches/mlp-16x8x4.json`);
    const net = compileNetwork(lb.bench);
    const gb = createGuardBand(net, lb.bench, { seed: 99, chips: 32, tickPs: lb.bench.timing.tickPs, streaming: true });
    const rng = createRng(7);
    let accepted = 0;
    let curved = 0;
    for (let k = 0; k < 200 && (accepted < 2 || curved < 2); k++) {
      const stim = candidateStimulus(randomCandidate(16, 4, { iwPs: lb.bench.timing.iwPs, lwPs: lb.bench.timing.lwPs }, rng));
      const single = evaluateGuardBand(gb, stim);
      if (!(single.accepted && accepted < 2) && !(single.scaledFails >= 2 && curved < 2)) continue;
      const runner = slicedRunner(gb, stim);
      expect(await evaluateGuardBandWith(gb, stim, runner)).toEqual(single);
      expect(runner.farCalls).toBe(single.scaledFails >= 2 ? 1 : 0);
      if (single.accepted) accepted++;
      else curved++;
    }
    expect([accepted, curved]).toEqual([2, 2]);
  }, 120_000);
});
