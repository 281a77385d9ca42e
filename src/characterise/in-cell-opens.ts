/**
 * Opens inside a bit-cell (seed 000 fig. 10, table V) and in the column line, with the
 * access transistor modelled: where an open sits decides how much current it takes
 * away, which the column ladder (crossbar.ts, one linear resistor per cell) cannot tell.
 *
 * The cell on the synaptic path, row driver to column node (seed 000 §II-B: 40 nm,
 * V_DD 1.1 V; the spike drives the row and the access transistor's gate):
 *
 *   V_row ─ MTJ (R_L) ─ rop4 ─ drain │nMOS│ source ─ rop6 ─ contact ─ rop7 ─ node k ─ column …
 *                                   gate = V_row
 *
 *   rop4  drain side: in series with the MTJ / between the MTJ and the access transistor
 *         (the MTJ joins only these, so both places are one series branch)
 *   rop5  the cell's read (sense) path: carries no write current, never detectable by spikes
 *   rop6  the access transistor's source;  rop7  source contact to the column line: one
 *         series branch with rop6 (table V's rop6 = rop7 is what places them there:
 *         fig. 10 itself is not in our copy of seed 000), and with segment 0 (rop1)
 *
 * The access transistor is a level-1 nMOS (square law, channel-length modulation λ):
 *   V_ov = V_GS − V_t;  I = β/2·V_ov²·(1 + λV_DS) in saturation (V_DS ≥ V_ov),
 *   I = β·(V_ov·V_DS − V_DS²/2)·(1 + λV_DS) in triode.
 * V_t and λ are assumptions for a 40 nm nMOS (docs/in-cell-opens.md); β is fitted to the
 * bench's one-cell current (table III's 27.07 µA). At that point the transistor is
 * saturated (V_DS 0.97 V > V_ov 0.70 V): a drain-side open only eats headroom until it
 * pushes the transistor into triode, a source-side open also lowers V_GS at once.
 *
 * Exact for ANY transistor model (a node joining exactly two elements makes them one
 * series branch): rop6 ≡ rop7 ≡ an open in segment 0 (node 0 joins only cell 0's source
 * side and segment 0) — the collapsing rule `series-chain` (fault-collapse.ts), with the
 * simulator's `.series` site at this source-side position. rop4 is NOT equivalent to
 * them: it is not in that branch.
 *
 *   const col = fitTransistorColumn(net, bench);            // β for 27.07 µA
 *   minDetectableTransistorOhms(col, { kind: "cell", position: "drain", row: 0 }, 94.87)
 */
import type { Testbench } from "../formats/testbench-format.ts";
import { mtjOhms, type CompiledNetwork } from "../sim/compile.ts";
import { columnOutputUa } from "../sim/crossbar.ts";
import type { Segment } from "../sim/stimulus.ts";
import { runNeuron } from "../sim/network.ts";

/** Level-1 access transistor of a cell and the voltages around it. */
export interface AccessTransistor {
  /** Threshold voltage, V (assumption for 40 nm; docs/in-cell-opens.md). */
  vtV: number;
  /** Channel-length modulation, 1/V (assumption). */
  lambdaPerV: number;
  /** μ·C_ox·W/L, A/V² (fitted to the bench's one-cell current = table III). */
  betaAPerV2: number;
  /** Row drive and gate voltage during the integrate window, V. */
  rowV: number;
  /** The MTJ of the cell (R_L), ohms. */
  mtjOhms: number;
}

/** Where an in-cell open sits (see the header). */
export type InCellPosition = "drain" | "source" | "read";

/** One column with transistor-level cells: segments and neuron input as in the ladder. */
export interface TransistorColumn {
  cell: AccessTransistor;
  segmentOhms: ArrayLike<number>;
  neuronInputOhms: number;
}

function drainCurrentA(t: AccessTransistor, vgs: number, vds: number): number {
  const vov = vgs - t.vtV;
  if (vov <= 0 || vds <= 0) return 0;
  const clm = 1 + t.lambdaPerV * vds;
  return vds >= vov ? (t.betaAPerV2 / 2) * vov * vov * clm : t.betaAPerV2 * (vov * vds - (vds * vds) / 2) * clm;
}

/** Current of one cell whose source-side node sits at `nodeV`, with opens on its drain and source side, A. */
export function cellCurrentA(t: AccessTransistor, nodeV: number, drainOpenOhms = 0, sourceOpenOhms = 0): number {
  const rd = t.mtjOhms + drainOpenOhms;
  let lo = 0;
  let hi = Math.max(0, (t.rowV - nodeV) / (rd + sourceOpenOhms));
  // The transistor's current falls as the cell current rises (V_GS and V_DS both drop): one root.
  for (let k = 0; k < 80; k++) {
    const i = (lo + hi) / 2;
    const f = drainCurrentA(t, t.rowV - nodeV - i * sourceOpenOhms, t.rowV - nodeV - i * (rd + sourceOpenOhms));
    if (f > i) lo = i;
    else hi = i;
  }
  return (lo + hi) / 2;
}

/** In-cell opens by row (ohms; absent = none). */
export interface CellOpens {
  drainOhms?: ArrayLike<number>;
  sourceOhms?: ArrayLike<number>;
}

/**
 * Neuron current of a column of transistor-level cells, µA. Shooting from the top node:
 * segment k carries the current of cells 0..k, so a guess of node 0's voltage fixes
 * every node below; the neuron node must then equal I_total·R_in (residual increasing
 * in the guess: bisection).
 */
export function transistorColumnUa(col: TransistorColumn, active: ArrayLike<number>, opens: CellOpens = {}, extraSegmentOhms?: ArrayLike<number>): number {
  const n = active.length;
  const shoot = (v0: number): [number, number] => {
    let v = v0;
    let total = 0;
    for (let k = 0; k < n; k++) {
      if (active[k]) total += cellCurrentA(col.cell, v, opens.drainOhms?.[k] ?? 0, opens.sourceOhms?.[k] ?? 0);
      v -= total * (col.segmentOhms[k] + (extraSegmentOhms?.[k] ?? 0));
    }
    return [v - total * col.neuronInputOhms, total];
  };
  let lo = 0;
  let hi = col.cell.rowV;
  for (let k = 0; k < 80; k++) {
    const m = (lo + hi) / 2;
    if (shoot(m)[0] > 0) hi = m;
    else lo = m;
  }
  return shoot(lo)[1] * 1e6;
}

/** Assumed process figures of the access transistor (docs/in-cell-opens.md). */
export interface TransistorAssumptions {
  vtV: number;
  lambdaPerV: number;
}

/** Default assumptions: a generic 40 nm nMOS. */
export const default40nmNmos: TransistorAssumptions = { vtV: 0.4, lambdaPerV: 0.1 };

/**
 * The transistor column of layer 0, column 0 of a bench, with β fitted so that one R_L
 * cell gives the bench's own one-cell current (the ladder's, itself table III's 27.07 µA).
 */
export function fitTransistorColumn(net: CompiledNetwork, bench: Testbench, a: TransistorAssumptions = default40nmNmos): TransistorColumn {
  const layer = net.layers[0];
  const rows = layer.rows;
  const one = new Uint8Array(rows);
  one[0] = 1;
  const segmentOhms = layer.segmentOhms.subarray(0, rows);
  const ladder = { cellOhms: layer.cellOhms.subarray(0, rows), segmentOhms, neuronInputOhms: layer.neuronInputOhms[0], writeVoltageV: net.writeVoltageV };
  const targetUa = columnOutputUa(ladder, one);
  const base = { vtV: a.vtV, lambdaPerV: a.lambdaPerV, rowV: net.writeVoltageV, mtjOhms: mtjOhms(bench.device, layer.weights[0]) };
  let lo = 1e-9;
  let hi = 1;
  for (let k = 0; k < 100; k++) {
    const b = Math.sqrt(lo * hi);
    const ua = transistorColumnUa({ cell: { ...base, betaAPerV2: b }, segmentOhms, neuronInputOhms: ladder.neuronInputOhms }, one);
    if (ua > targetUa) hi = b;
    else lo = b;
  }
  return { cell: { ...base, betaAPerV2: hi }, segmentOhms, neuronInputOhms: ladder.neuronInputOhms };
}

/**
 * Smallest constant neuron current (µA) at which `windows` windows of the bench timing,
 * the current flowing during every IW, make the bench's first neuron fire.
 */
export function neuronThresholdUa(net: CompiledNetwork, iwPs: number, lwPs: number, windows = 3): number {
  const layer = net.layers[0];
  const segments: Segment[] = [];
  const T = iwPs + lwPs;
  for (let w = 0; w < windows; w++) {
    segments.push({ startPs: w * T, endPs: w * T + iwPs, window: w, activeRows: new Int32Array([0]), key: 1 });
    segments.push({ startPs: w * T + iwPs, endPs: (w + 1) * T, window: w, activeRows: new Int32Array(0), key: 0 });
  }
  const fires = (ua: number) => runNeuron(layer.model, layer.neurons[0], segments, (s) => (s % 2 === 0 ? ua : 0), null).length > 0;
  let lo = 0;
  let hi = 1;
  while (!fires(hi)) {
    hi *= 2;
    if (hi > 1e9) throw new RangeError("the bench's neuron does not fire at any current");
  }
  for (let k = 0; k < 80; k++) {
    const m = (lo + hi) / 2;
    if (fires(m)) hi = m;
    else lo = m;
  }
  return hi;
}

/** Where an open sits in the transistor column. */
export type TransistorSite = { kind: "segment"; index: number } | { kind: "cell"; position: InCellPosition; row: number };

/**
 * Minimum detectable open at a site with all rows driven: the smallest R that takes the
 * column current below `thresholdUa`; null when even 1 GΩ does not (or the site carries
 * no write current: the read path).
 */
export function minDetectableTransistorOhms(col: TransistorColumn, site: TransistorSite, thresholdUa: number, relTol = 1e-4): number | null {
  if (site.kind === "cell" && site.position === "read") return null;
  const rows = col.segmentOhms.length;
  const all = new Uint8Array(rows).fill(1);
  const current = (r: number) => {
    const v = new Float64Array(rows);
    if (site.kind === "segment") {
      v[site.index] = r;
      return transistorColumnUa(col, all, {}, v);
    }
    v[site.row] = r;
    return transistorColumnUa(col, all, site.position === "drain" ? { drainOhms: v } : { sourceOhms: v });
  };
  if (current(0) < thresholdUa) return 0;
  let lo = 0;
  let hi = 100;
  while (current(hi) >= thresholdUa) {
    lo = hi;
    hi *= 2;
    if (hi > 1e9) return null;
  }
  while ((hi - lo) / hi > relTol) {
    const m = (lo + hi) / 2;
    if (current(m) < thresholdUa) hi = m;
    else lo = m;
  }
  return hi;
}

/** Seed 000's opens: table VI (segments, original windows) and table V (in the cell of row 0), ohms; null = not detectable. */
export const seed000Opens: Record<string, { site: TransistorSite; paperOhms: number | null; where: string }> = {
  rop1: { site: { kind: "segment", index: 0 }, paperOhms: 16_000, where: "column segment 0 (behind one cell)" },
  rop2: { site: { kind: "segment", index: 1 }, paperOhms: 3_100, where: "column segment 1 (behind two cells)" },
  rop3: { site: { kind: "segment", index: 3 }, paperOhms: 1_000, where: "column segment 3 (behind four cells)" },
  rop4: { site: { kind: "cell", position: "drain", row: 0 }, paperOhms: 67_000, where: "in series with the MTJ, between it and the access drain" },
  rop5: { site: { kind: "cell", position: "read", row: 0 }, paperOhms: null, where: "the cell's read (sense) path: no write current" },
  rop6: { site: { kind: "cell", position: "source", row: 0 }, paperOhms: 19_000, where: "access transistor source" },
  rop7: { site: { kind: "cell", position: "source", row: 0 }, paperOhms: 19_000, where: "source to column line (same series chain as rop6)" },
};

/** One row of the in-cell table. */
export interface InCellRow {
  open: string;
  where: string;
  /** Transistor-level prediction, ohms (null = not detectable). */
  predictedOhms: number | null;
  paperOhms: number | null;
}

/** Seed 000's opens predicted with transistor-level cells and the bench's neuron threshold. */
export function inCellTable(net: CompiledNetwork, bench: Testbench, o: { iwPs?: number; lwPs?: number; windows?: number; transistor?: TransistorAssumptions } = {}): { thresholdUa: number; betaAPerV2: number; rows: InCellRow[] } {
  const col = fitTransistorColumn(net, bench, o.transistor);
  const thresholdUa = neuronThresholdUa(net, o.iwPs ?? net.iwPs, o.lwPs ?? net.lwPs, o.windows);
  const rows = Object.entries(seed000Opens).map(([open, s]) => ({
    open,
    where: s.where,
    predictedOhms: minDetectableTransistorOhms(col, s.site, thresholdUa),
    paperOhms: s.paperOhms,
  }));
  return { thresholdUa, betaAPerV2: col.cell.betaAPerV2, rows };
}
