/**
 * The interface every simulated chip satisfies — the crossbar (simulated-chip.ts) and
 * the ternary array (ternary-simulated-chip.ts) — and that the sim target, the board
 * emulator and the SCPI emulator wrap. Kept apart so the chip kinds need not import each
 * other.
 *
 *   const chip: SimulatedChip = createSimulatedChip({ bench });
 *   chip.fire({ events, windows: 3, salt: 0 });   // [{ output: 0, timePs: 20520 }]
 */
import type { InputEvent } from "../sim/stimulus.ts";

/** What the chip is: its bench, pins and resolution. */
export interface SimulatedChipInfo {
  benchId: string;
  /** First-layer rows (input pins). */
  inputs: number;
  /** Observable neurons (output pins). */
  outputs: number;
  /** Timing resolution, ps. */
  tickPs: number;
  /** Crossbar shape of every layer (what WRITE and READ may address). */
  layers: readonly { rows: number; cols: number }[];
}

/** Window timing, ps. */
export interface ChipTiming {
  iwPs: number;
  lwPs: number;
}

/** One run of the chip. */
export interface ChipFire {
  events: InputEvent[];
  windows: number;
  /** Stream of a stochastic bench (a repetition index, a FIRE count). */
  salt: number;
  /** Timing of this run instead of the chip's own (a pulse generator sets it per acquisition). */
  timing?: ChipTiming;
}

export interface SimulatedChip {
  readonly info: SimulatedChipInfo;
  /** Timing the chip uses now. */
  readonly timing: ChipTiming;
  /** Set window timing; returns the values rounded to the tick. */
  setTiming(iwPs: number, lwPs: number): ChipTiming;
  /** Program one crossbar row: one 0/1 character per column. */
  writeRow(layer: number, row: number, bits: string): void;
  /** Sense one crossbar row: one 0/1 character per column. */
  readRow(layer: number, row: number): string;
  /** Program one row of multi-level cells: one level 0 … levels − 1 per column (a binary chip: 0 / 1). */
  writeLevels?(layer: number, row: number, levels: readonly number[]): void;
  /** Sense one row of multi-level cells as levels (midpoint references between adjacent levels, read-sense.ts). */
  readLevels?(layer: number, row: number): number[];
  /** Run a stimulus; output spikes at the tick, by time then output. Throws StimulusError for events outside the run. */
  fire(f: ChipFire): { output: number; timePs: number }[];
  /** Power-on state: the bench's weights and timing again (the fault stays). */
  reset(): void;
  /** Let `dwellNs` pass (a retention pause): a decaying faulty cell may flip. */
  age(dwellNs: number): void;
}
