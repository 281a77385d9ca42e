/**
 * A stratified random sample of a fault universe too large to simulate whole (the MNIST
 * chip has ~3.7 M faults): per fault model and layer (the strata), `perModel` faults
 * drawn uniformly from that stratum's faults (uncollapsed). Sites are drawn uniformly per
 * layer and simulator kind, the faults at those sites enumerated through the fault
 * layer, and each stratum's list shuffled and cut (a stratum with fewer faults keeps all
 * it found). Layers are strata because they differ by orders of magnitude in size and
 * in what a fault costs (an output neuron decides a whole class).
 * A share measured on the sample carries a Wilson 95 % interval (`shareWithInterval`).
 *
 *   const s = sampleFaults(net, bench, loadFaultModels(), { perModel: 30, seed: 1 });
 *   s.faults.length   // ≤ 30 × models × layers;  s.universe.byModel["dead-synapse"].uncollapsed
 */
import type { LoadedFaultModel } from "../faults/fault-model-loader.ts";
import { countFaults, enumerateFaults, type UniverseCounts } from "../faults/fault-universe.ts";
import type { Fault } from "../faults/fault.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { createRng } from "../sim/rng.ts";
import { wilsonInterval } from "../stats/binomial-confidence.ts";

export interface FaultSample {
  faults: Fault[];
  /** The whole universe's counts (to scale sample shares up). */
  universe: UniverseCounts;
  perModel: number;
  seed: number;
}

/** k of n with its Wilson 95 % interval. */
export function shareWithInterval(k: number, n: number): { k: number; n: number; share: number; low: number; high: number } {
  const { low, high } = n ? wilsonInterval(k, n) : { low: 0, high: 1 };
  return { k, n, share: n ? k / n : NaN, low, high };
}

export function sampleFaults(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], o: { perModel: number; seed?: number }): FaultSample {
  const seed = o.seed ?? 1;
  const rng = createRng(seed);
  const pick = (n: number) => Math.floor(rng.next() * n);
  const sites = new Set<string>();
  const draws = 4 * o.perModel;
  net.layers.forEach((l, li) => {
    for (let d = 0; d < draws; d++) {
      sites.add(`l${li}.r${pick(l.rows)}.c${pick(l.cols)}`);
      sites.add(`l${li}.r${pick(l.rows)}.c${pick(l.cols)}.series`);
      sites.add(`l${li}.c${pick(l.cols)}.seg${pick(l.rows)}`);
      sites.add(`l${li}.n${pick(l.cols)}`);
    }
  });
  const found = enumerateFaults(net, bench, models, { collapse: false, sites: [...sites] }).faults;
  const faults: Fault[] = [];
  for (const m of models) {
    for (let li = 0; li < net.layers.length; li++) {
      const mine = found.filter((f) => f.modelId === m.id && f.layer === li);
      for (let i = mine.length - 1; i > 0; i--) {
        const j = pick(i + 1);
        [mine[i], mine[j]] = [mine[j], mine[i]];
      }
      faults.push(...mine.slice(0, o.perModel));
    }
  }
  return { faults, universe: countFaults(net, bench, models, { collapse: false }), perModel: o.perModel, seed };
}
