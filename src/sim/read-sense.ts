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
 * tests). The sense amplifier sits at the column bottom, before the neuron, so neuron
 * defects are invisible to READ; the reference column of a differential read is not
 * involved. How it decides is the device's `readScheme` (one rule, `senseDecision`):
 *
 *   midpoint-reference  bit = I₁ > I_ref, I_ref from a reference cell at the conductance
 *                       midpoint of the nominal P and AP branches in the same position
 *                       (nominal segments). Cell-to-cell variation of R_P moves I₁ alone.
 *   self-reference      destructive self-referenced read (Jeong et al., IEEE JSSC 38(11),
 *                       2003): sense I₁, write the known state k (P by default), sense I₂,
 *                       bit = I₁ > ρ·I₂ with ρ = (1 + I_nom(1−k)/I_nom(k))/2 (the nominal
 *                       current midpoint, expressed as a ratio), then write the sensed bit
 *                       back when it is not k. Both currents flow through the same cell and
 *                       path, so R_P's variation cancels; a cell stuck in any state reads
 *                       k (I₁ = I₂); a series open compresses I₁/I₂ towards 1. Cost: a READ
 *                       is two senses and one or two writes (the cell is rewritten, so a
 *                       storage fault's cell follows those writes too).
 *
 *   const rule = readRuleOf(net, 0, 5);
 *   readThroughPort(rule, cols, { senseUa: () => senseRowUa(net, 0, 5), write: (bits) => … });
 */
import { endStateOhms, levelCount, mtjOhms, type CompiledLayer, type CompiledNetwork } from "./compile.ts";
import { columnOutputUa } from "./crossbar.ts";
import type { StoredBit } from "./cell-storage.ts";
import type { DeviceParams } from "../formats/testbench-format.ts";

/** Read voltage of a network (the device's `readVoltageV`, else its write voltage). */
export function readVoltageOf(net: CompiledNetwork): number {
  return net.device.readVoltageV ?? net.writeVoltageV;
}

/** Nominal branch conductances (MTJ + access) of a P and an AP cell, and the reference midway, S. */
export function senseConductances(net: CompiledNetwork): { pS: number; apS: number; refS: number } {
  const d = net.device;
  const pS = 1 / (endStateOhms(d, 1) + d.accessOhms);
  const apS = 1 / (endStateOhms(d, 0) + d.accessOhms);
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

/** Sense currents of every column of a row, closed form, µA. */
export function senseRowUa(net: CompiledNetwork, layer: number, row: number): Float64Array {
  const l = net.layers[layer];
  const v = readVoltageOf(net);
  const out = new Float64Array(l.cols);
  for (let c = 0; c < l.cols; c++) out[c] = senseSeriesUa(l, row, c, v);
  return out;
}

export type ReadScheme = NonNullable<DeviceParams["readScheme"]>;

/** The device's sensing scheme (absent = the fixed midpoint reference). */
export function readSchemeOf(net: CompiledNetwork): ReadScheme {
  return net.device.readScheme ?? { kind: "midpoint-reference" };
}

/** Nominal sense current of a good cell storing `bit` at `row` of a layer (nominal branch and path), µA. */
export function nominalSenseUa(net: CompiledNetwork, layer: number, row: number, bit: StoredBit): number {
  const d = net.device;
  const mtj = endStateOhms(d, bit);
  return (readVoltageOf(net) / (mtj + d.accessOhms + nominalPathOhms(net, net.layers[layer], row))) * 1e6;
}

/** How the sense amplifier decides a READ at one row (see header). */
export type ReadRule = { kind: "midpoint-reference"; refUa: number } | { kind: "self-reference"; knownBit: StoredBit; ratio: number };

/** The read rule of (layer, row) under the device's scheme. */
export function readRuleOf(net: CompiledNetwork, layer: number, row: number): ReadRule {
  const s = readSchemeOf(net);
  if (s.kind === "midpoint-reference") return { kind: s.kind, refUa: referenceSenseUa(net, layer, row) };
  const k = s.knownBit;
  const ratio = (1 + nominalSenseUa(net, layer, row, k === 1 ? 0 : 1) / nominalSenseUa(net, layer, row, k)) / 2;
  return { kind: s.kind, knownBit: k, ratio };
}

/** The decision, in one place: the first sense current against the reference, or against ρ × the second (after the known write). */
export function senseDecision(rule: ReadRule, firstUa: number, secondUa: number): StoredBit {
  return (rule.kind === "midpoint-reference" ? firstUa > rule.refUa : firstUa > rule.ratio * secondUa) ? 1 : 0;
}

/** What a READ needs from whatever holds the cells: their sense currents now, and a WRITE of the row. */
export interface ReadPort {
  senseUa(): ArrayLike<number>;
  write(bits: string): void;
}

/**
 * One READ of `width` columns through a port: the bits sensed. Under self-reference the
 * port is written twice (the known state, then the sensed bits back where they differ
 * from it) — the same sequence for the simulated chip (a whole row) and both graders
 * (one cell).
 */
export function readThroughPort(rule: ReadRule, width: number, port: ReadPort): string {
  const first = port.senseUa();
  if (rule.kind === "midpoint-reference") {
    let bits = "";
    for (let c = 0; c < width; c++) bits += senseDecision(rule, first[c], 0);
    return bits;
  }
  const known = String(rule.knownBit).repeat(width);
  port.write(known);
  const second = port.senseUa();
  let bits = "";
  for (let c = 0; c < width; c++) bits += senseDecision(rule, first[c], second[c]);
  if (bits !== known) port.write(bits);
  return bits;
}

/**
 * Level READ of a multi-level (domain-wall) cell: L − 1 midpoint references per row, the
 * j-th midway in conductance between the nominal branches of levels j and j + 1 (the
 * binary midpoint reference is the case L = 2), through the row's nominal path; the
 * level read is the number of references the cell's current exceeds. Self-reference has
 * no level form: the program check refuses a level READ on such a device.
 *
 *   const refs = levelReferencesUa(net, 0, 5);   senseLevel(refs, 1.42)   // → 6
 */
export function levelReferencesUa(net: CompiledNetwork, layer: number, row: number): Float64Array {
  const d = net.device;
  const top = levelCount(d) - 1;
  const path = nominalPathOhms(net, net.layers[layer], row);
  const v = readVoltageOf(net);
  const g = (lv: number) => 1 / (mtjOhms(d, lv / top) + d.accessOhms);
  const refs = new Float64Array(top);
  for (let j = 0; j < top; j++) refs[j] = (v / (2 / (g(j) + g(j + 1)) + path)) * 1e6;
  return refs;
}

/** The level a sense current reads as against a row's level references. */
export function senseLevel(refsUa: ArrayLike<number>, currentUa: number): number {
  let lv = 0;
  while (lv < refsUa.length && currentUa > refsUa[lv]) lv++;
  return lv;
}
