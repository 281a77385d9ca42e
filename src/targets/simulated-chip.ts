/**
 * The simulated chip: one testbench compiled to a network, with an injected fault's
 * perturbations stacked on top of whatever was written to it. Every simulated target
 * wraps this one chip — the `sim` target directly, the board emulator behind
 * PROTOCOL.md, the SCPI emulator behind its instrument commands — so they all answer
 * the same stimulus with the same spikes; the wrappers keep only their protocol.
 *
 *   const chip = createSimulatedChip({ bench, perturbations: fault.perturbations });
 *   chip.setTiming(1004, 8996);                    // → { iwPs: 1000, lwPs: 9000 } (bench tick 10 ps)
 *   chip.writeRow(0, 2, "0");                      // WRITE: the row's cells go to weight 0 / 1
 *   chip.readRow(0, 2);                            // "0" (or what the fault makes of it)
 *   chip.writeLevels(0, 2, [5]);  chip.readLevels(0, 2)   // [5] on a 16-level domain-wall bench
 *   chip.fire({ events, windows: 3, salt: 0 });   // [{ output: 0, timePs: 20520 }]
 *
 * The chip's rules, each written once here:
 *   write   a bit sets the cell's MTJ state (weight 1 = P, 0 = AP), a level ℓ of a domain-wall
 *           cell its wall position (weight ℓ/top, compile.ts `mtjOhms`); the cell keeps any
 *           extra series resistance; the fault's perturbations are applied after it
 *           (a stuck or dead cell stays stuck or dead whatever is written)
 *   read    the electrical sense model (read-sense.ts): the cell's current through its column
 *           path, decided by the device's read scheme (a midpoint reference, or a
 *           self-referenced read that writes the known state and the sensed bits back
 *           through this chip's own WRITE); a read-path open lowers the current too
 *   storage a storage fault's cell holds what cell-storage.ts says (stuck, failed transition,
 *           a weak cell that flips over a pause, `age`), not what was written
 *   timing  windows rounded to the bench tick (at least one tick)
 *   fire    every fire starts with the neurons at rest (as after RESET); a stochastic
 *           bench draws from the stream of `salt`; spike times at the tick, outputs
 *           numbered as the pins (PROTOCOL.md)
 *
 * A WRITE patches one row in place (the written network is the chip's own copy, and a
 * faulty layer is re-perturbed only at that row), so a 784-row rewrite of a
 * 784×1024 layer costs 784 row updates, not 784 network copies.
 */
import { InputError } from "../formats/errors.ts";
import { observableOutputCount } from "../formats/observable-outputs.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { storageInitial, storagePause, storageWrite, type StorageFault } from "../sim/cell-storage.ts";
import { compileNetwork, levelCount, levelOfWeight, type CompiledNetwork } from "../sim/compile.ts";
import { levelReferencesUa, readRuleOf, readThroughPort, senseLevel, senseRowUa } from "../sim/read-sense.ts";
import { observableSpikes, simulateNetwork } from "../sim/network.ts";
import { applyPerturbations, applyPerturbationsInPlace, type Perturbation } from "../sim/perturbation.ts";
import { chipKindOf } from "../sim/chip-kind.ts";
import type { CellWriteRule } from "../sim/ternary-array.ts";
import { createTernarySimulatedChip } from "./ternary-simulated-chip.ts";

export interface SimulatedChipOptions {
  bench: Testbench;
  /** Perturbations of an injected fault (applied after every WRITE). */
  perturbations?: readonly Perturbation[];
  /** A storage fault's cell and behaviour (stuck-at, transition, retention): its stored bit follows WRITEs and time, not the mission-weight perturbation. */
  storage?: StorageFault;
  /** A ternary-array fault's cell-write rule (a bench with `ternaryArray`: ternary-simulated-chip.ts). */
  cellWriteRule?: CellWriteRule;
}

export type { StorageFault };

export type { ChipFire, ChipTiming, SimulatedChip, SimulatedChipInfo } from "./chip-interface.ts";
import type { ChipTiming, SimulatedChip, SimulatedChipInfo } from "./chip-interface.ts";

/** A WRITE or READ the chip cannot do (no such layer, row, or a bits string of the wrong width). */
export class ChipAddressError extends InputError {}

/** The perturbations a WRITE of `levels` (0 … top) to a row amounts to. */
function writePerturbations(layer: number, row: number, levels: readonly number[], top: number): Perturbation[] {
  return levels.map((lv, col) => ({ site: { kind: "cell", layer, row, col }, quantity: "weight", op: "set", value: lv / top }));
}

const onRow = (p: Perturbation, layer: number, row: number) => (p.site.kind === "cell" || p.site.kind === "cell-series") && p.site.layer === layer && p.site.row === row;

export function createSimulatedChip(o: SimulatedChipOptions): SimulatedChip {
  if (chipKindOf(o.bench) === "ternary-array") {
    if (o.perturbations?.length || o.storage) throw new InputError(`${o.bench.id}: a ternary-array chip takes a cell-write-rule fault (faults/ternary-faults.ts), not crossbar perturbations`);
    return createTernarySimulatedChip({ bench: o.bench, cellWriteRule: o.cellWriteRule });
  }
  const st = o.storage;
  // A storage fault's weight perturbations only describe it on the mission weights; its stored bit drives the weight here.
  const fault = (o.perturbations ?? []).filter((p) => !st || (p.quantity !== "weight" && p.quantity !== "level"));
  /** Top level of a cell (1 = binary; levels − 1 on a domain-wall bench). */
  const top = levelCount(o.bench.device) - 1;
  /** Level the storage-fault cell holds. */
  let stored = 0;
  /** Time the storage-fault cell has held its value since its last write, ns. */
  let heldNs = 0;
  const storedPerturbation = (): Perturbation[] => (st ? [{ site: { kind: "cell", layer: st.layer, row: st.row, col: st.col }, quantity: "weight", op: "set", value: stored / top }] : []);
  const tickPs = o.bench.timing.tickPs;
  const benchTiming = (): ChipTiming => ({ iwPs: o.bench.timing.iwPs, lwPs: o.bench.timing.lwPs });
  /** The chip as written (our own copy: WRITEs patch it in place). */
  let written: CompiledNetwork;
  /** What the pins see: `written` with the fault on top (its faulty layers are copies). */
  let chip: CompiledNetwork;
  let timing = benchTiming();
  const powerOn = () => {
    written = compileNetwork(o.bench);
    if (st) {
      const l = written.layers[st.layer];
      stored = storageInitial(st.behaviour, levelOfWeight(o.bench.device, l.weights[st.col * l.rows + st.row]), top);
      heldNs = 0;
    }
    chip = applyPerturbations(written, [...fault, ...storedPerturbation()]);
    timing = benchTiming();
  };
  powerOn();
  const info: SimulatedChipInfo = {
    benchId: o.bench.id,
    inputs: written!.layers[0].rows,
    outputs: observableOutputCount(o.bench),
    tickPs,
    layers: written!.layers.map((l) => ({ rows: l.rows, cols: l.cols })),
  };
  const toTick = (ps: number) => Math.round(ps / tickPs) * tickPs;

  const checkRow = (layer: number, row: number) => {
    const l = info.layers[layer];
    if (!Number.isInteger(layer) || !l) throw new ChipAddressError(`layer ${layer} does not exist (0..${info.layers.length - 1})`);
    if (!Number.isInteger(row) || row < 0 || row >= l.rows) throw new ChipAddressError(`row ${row} does not exist in layer ${layer} (0..${l.rows - 1})`);
    return l;
  };

  const writeRow = (layer: number, row: number, bits: string): void => {
    const l = checkRow(layer, row);
    if (!/^[01]*$/.test(bits)) throw new ChipAddressError(`bits "${bits.slice(0, 20)}" for layer ${layer} row ${row} must be a 0/1 string, one per column`);
    if (bits.length !== l.cols) throw new ChipAddressError(`bits for layer ${layer} row ${row} has ${bits.length} column(s), the layer has ${l.cols}`);
    writeLevels(layer, row, Array.from(bits, (b) => (b === "1" ? top : 0)));
  };

  const writeLevels = (layer: number, row: number, levels: readonly number[]): void => {
    const l = checkRow(layer, row);
    if (levels.length !== l.cols) throw new ChipAddressError(`the write of layer ${layer} row ${row} has ${levels.length} column(s), the layer has ${l.cols}`);
    const bad = levels.findIndex((lv) => !Number.isInteger(lv) || lv < 0 || lv > top);
    if (bad >= 0) throw new ChipAddressError(`level ${levels[bad]} of column ${bad} (layer ${layer} row ${row}): this bench's cells have levels 0..${top}`);
    applyPerturbationsInPlace(written, writePerturbations(layer, row, levels, top));
    const faulty = chip.layers[layer];
    const mine = written.layers[layer];
    if (faulty === mine) return; // the fault does not touch this layer: the pins see the written one
    // Re-derive the faulty copy at this row only: the written cells, then the fault's perturbations of those cells.
    for (let col = 0; col < l.cols; col++) {
      const i = col * l.rows + row;
      faulty.weights[i] = mine.weights[i];
      faulty.cellOhms[i] = mine.cellOhms[i];
    }
    applyPerturbationsInPlace(chip, fault.filter((p) => onRow(p, layer, row)));
    if (st && st.layer === layer && st.row === row) {
      stored = storageWrite(st.behaviour, stored, levels[st.col], top);
      heldNs = 0;
      applyPerturbationsInPlace(chip, storedPerturbation());
    }
  };

  return {
    info,
    get timing() {
      return { ...timing };
    },
    setTiming(iwPs, lwPs) {
      timing = { iwPs: Math.max(tickPs, toTick(iwPs)), lwPs: Math.max(tickPs, toTick(lwPs)) };
      return { ...timing };
    },
    writeRow,
    age(dwellNs) {
      if (!st) return;
      heldNs += dwellNs;
      stored = storagePause(st.behaviour, stored, heldNs, top);
      applyPerturbationsInPlace(chip, storedPerturbation());
    },
    readRow(layer, row) {
      const l = checkRow(layer, row);
      return readThroughPort(readRuleOf(chip, layer, row), l.cols, { senseUa: () => senseRowUa(chip, layer, row), write: (bits) => writeRow(layer, row, bits) });
    },
    writeLevels,
    readLevels(layer, row) {
      checkRow(layer, row);
      if (readRuleOf(chip, layer, row).kind !== "midpoint-reference") throw new ChipAddressError(`a level READ (layer ${layer} row ${row}) needs the midpoint-reference read scheme; self-reference has no level form`);
      const refs = levelReferencesUa(chip, layer, row);
      return Array.from(senseRowUa(chip, layer, row), (ua) => senseLevel(refs, ua));
    },
    fire(f) {
      const t = f.timing ?? timing;
      const r = simulateNetwork(chip, { iwPs: t.iwPs, lwPs: t.lwPs, windows: f.windows, events: f.events }, { rngSalt: f.salt });
      return observableSpikes(chip, r.spikes)
        .map((s) => ({ output: s.output, timePs: toTick(s.timePs) }))
        .sort((a, b) => a.timePs - b.timePs || a.output - b.output);
    },
    reset: powerOn,
  };
}
