/**
 * READ: sensing a bit-cell's state through its column, electrically.
 *
 * A READ of row r of a layer turns on only row r's access transistors and drives the
 * row at the read voltage V_read; every other cell of the column is cut off. The sense
 * current of column c therefore flows in series through
 *
 *   cell branch (MTJ + access + in-cell series open) + in-cell read-path open
 *   → node r → line segments r … rows−1 → sense input (R_in) → ground
 *
 *   I_sense = V_read / (R_cell + R_read + Σ_{k ≥ r} R_seg,k + R_in)
 *
 * (`senseCurrentUa` solves the same ladder with `columnOutputUa` and the single active
 * row — the exact nodal solution — so the closed form is checked against it in the
 * tests). The sense amplifier compares it with a reference current from a reference
 * cell at the conductance midpoint of the nominal P and AP branches in the same
 * position (nominal segments): a bit reads 1 (P, weight 1) when I_sense > I_ref. The
 * sense amplifier sits at the column bottom, before the neuron, so neuron defects are
 * invisible to READ; the reference column of a differential read is not involved.
 *
 *   const bits = senseRow(net, 0, 5);          // "1011…", one bit per column
 *   senseCurrentUa(net.layers[0], 5, 3, 0.05); // µA
 */
import { highOhms, type CompiledLayer, type CompiledNetwork } from "./compile.ts";
import { columnOutputUa } from "./crossbar.ts";

/** Read voltage of a network (the device's `readVoltageV`, else its write voltage). */
export function readVoltageOf(net: CompiledNetwork): number {
  return net.device.readVoltageV ?? net.writeVoltageV;
}

/** Nominal branch conductances (MTJ + access) of a P and an AP cell, and the reference midway, S. */
export function senseConductances(net: CompiledNetwork): { pS: number; apS: number; refS: number } {
  const d = net.device;
  const pS = 1 / (d.rLowOhms + d.accessOhms);
  const apS = 1 / (highOhms(d) + d.accessOhms);
  return { pS, apS, refS: (pS + apS) / 2 };
}

/** Σ of the nominal line segments from row r to the sense input, ohms. */
function nominalPathOhms(net: CompiledNetwork, l: CompiledLayer, row: number): number {
  return (l.rows - row) * net.device.segmentOhms + net.device.neuronInputOhms;
}

/** Reference current for row `row` of a layer, µA. */
export function referenceSenseUa(net: CompiledNetwork, layer: number, row: number): number {
  const l = net.layers[layer];
  return (readVoltageOf(net) / (1 / senseConductances(net).refS + nominalPathOhms(net, l, row))) * 1e6;
}

/** Series resistance of column c's sense path below row r (segments r … rows−1 + sense input), ohms. */
export function sensePathOhms(l: CompiledLayer, row: number, col: number): number {
  let s = l.neuronInputOhms[col];
  const o = col * l.rows;
  for (let k = row; k < l.rows; k++) s += l.segmentOhms[o + k];
  return s;
}

/** Sense current of cell (row, col), closed form (see header), µA. */
export function senseSeriesUa(l: CompiledLayer, row: number, col: number, readVoltageV: number): number {
  const i = col * l.rows + row;
  const r = l.cellOhms[i] + (l.readExtraOhms?.get(i) ?? 0) + sensePathOhms(l, row, col);
  return Number.isFinite(r) ? (readVoltageV / r) * 1e6 : 0;
}

/** Sense current of cell (row, col) from the exact ladder solve with only that row active, µA. */
export function senseCurrentUa(l: CompiledLayer, row: number, col: number, readVoltageV: number): number {
  const o = col * l.rows;
  const cellOhms = l.cellOhms.slice(o, o + l.rows);
  cellOhms[row] += l.readExtraOhms?.get(o + row) ?? 0;
  if (!Number.isFinite(cellOhms[row])) return 0;
  const active = new Uint8Array(l.rows);
  active[row] = 1;
  return columnOutputUa({ cellOhms, segmentOhms: l.segmentOhms.subarray(o, o + l.rows), neuronInputOhms: l.neuronInputOhms[col], writeVoltageV: readVoltageV }, active);
}

/** READ of one row: one bit per column, "1" when the sense current exceeds the reference. */
export function senseRow(net: CompiledNetwork, layer: number, row: number): string {
  const l = net.layers[layer];
  const v = readVoltageOf(net);
  const ref = referenceSenseUa(net, layer, row);
  let bits = "";
  for (let c = 0; c < l.cols; c++) bits += senseSeriesUa(l, row, c, v) > ref ? "1" : "0";
  return bits;
}
