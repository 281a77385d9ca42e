/**
 * The `sim` target: the simulated chip (simulated-chip.ts) as a device under test,
 * optionally with a fault's perturbations applied, called directly — no link, so no
 * retries and no logs. Same contract as a board: timing and spike times at the bench's
 * tick, outputs in PROTOCOL.md numbering; a stochastic bench draws each repetition from
 * its own stream (salt = repetition index), so a run is reproducible. With `chipSeed`
 * the chip's thermal noise never repeats, as a real one's does not: run k (the k-th
 * `open`, from 1) draws repetition r from salt mixSeed(chipSeed, k, r), so runs are
 * independent and the sequence of runs is reproducible. On a ternary-array bench it
 * also has the `ternary` controls (write −1/0/+1, set threshold and polarity).
 *
 *   const t = createSimTarget({ bench });                       // good chip
 *   const f = createSimTarget({ bench, perturbations: fault.perturbations });
 */
import type { Testbench } from "../formats/testbench-format.ts";
import type { Perturbation } from "../sim/perturbation.ts";
import { mixSeed } from "../sim/rng.ts";
import { createSimulatedChip, type StorageFault } from "./simulated-chip.ts";
import type { Target, TargetInfo } from "./target.ts";
import type { CellWriteRule, TernaryNeuronSetting } from "../sim/ternary-array.ts";
import { ChipUnsupportedError, type TernarySimulatedChip } from "./ternary-simulated-chip.ts";

export interface SimTargetOptions {
  bench: Testbench;
  perturbations?: readonly Perturbation[];
  storage?: StorageFault;
  /** An injected ternary-array fault's cell-write rule. */
  cellWriteRule?: CellWriteRule;
  /** Seed of a stochastic chip's thermal noise across runs; absent or 0 = salt is the repetition index in every run. */
  chipSeed?: number;
}

export function createSimTarget(o: SimTargetOptions): Target {
  const chip = createSimulatedChip(o);
  // A noise seed makes it another device: a datalog resumes only on the same one.
  const identity = `sim:${chip.info.benchId}${o.chipSeed ? `:chip-seed-${o.chipSeed}` : ""}`;
  const info: TargetInfo = { kind: "sim", identity, inputs: chip.info.inputs, outputs: chip.info.outputs, tickPs: chip.info.tickPs };
  let runs = 0;
  return {
    async open() {
      runs++;
      return info;
    },
    async setTiming(iwPs, lwPs) {
      return chip.setTiming(iwPs, lwPs);
    },
    async writeRow(layer, row, bits) {
      chip.writeRow(layer, row, bits);
    },
    async readRow(layer, row) {
      return chip.readRow(layer, row);
    },
    async writeLevels(layer, row, levels) {
      if (!chip.writeLevels) throw new ChipUnsupportedError(`${o.bench.id}: this chip has no multi-level cells`);
      chip.writeLevels(layer, row, levels);
    },
    async readLevels(layer, row) {
      if (!chip.readLevels) throw new ChipUnsupportedError(`${o.bench.id}: this chip has no multi-level cells`);
      return chip.readLevels(layer, row);
    },
    async pause(dwellNs) {
      chip.age(dwellNs);
    },
    async apply(stim) {
      const rep = stim.repetition ?? 0;
      const salt = o.chipSeed ? mixSeed(o.chipSeed, runs, rep) : rep;
      return { spikes: chip.fire({ events: stim.events, windows: stim.windows, salt }), retries: 0, logs: [] };
    },
    async close() {},
    ...("ternary" in chip
      ? {
          ternary: {
            async writeAll(value: -1 | 0 | 1) {
              (chip as TernarySimulatedChip).ternary.writeAll(value);
            },
            async setNeuron(n: TernaryNeuronSetting) {
              (chip as TernarySimulatedChip).ternary.setNeuron(n);
            },
          },
        }
      : {}),
  };
}
