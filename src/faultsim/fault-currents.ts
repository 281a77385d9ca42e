/**
 * Faulty neuron currents of one planned fault in one vector (the fast engine's O(1)
 * electrical answers, fast-engine.ts): a cell fault from the good column's sensitivity
 * (outputWithCellChange), a segment open from its forward/backward Norton quantities
 * (outputWithSegmentChange), a neuron's input resistance (outputWithInputChange), a
 * several-element column by re-solving that column; and the skips that need no current
 * (a row never driven, the comparison principle, a segment no driven row reaches).
 *
 *   if (!skips(ctx, t, i, monotone, observable)) cur = faultyCurrents(net, ctx, t, i, buf);
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { columnOutputUa, outputWithCellChange, outputWithInputChange, outputWithSegmentChange } from "../sim/crossbar.ts";
import { PlanKind, type ColumnPlan, type PlanTable } from "./fault-plan.ts";
import type { VectorContext } from "./vector-context.ts";

/** Faulty currents of a several-element column plan (null when nothing electrical changes and the neuron is unchanged). */
function columnCurrents(net: CompiledNetwork, ctx: VectorContext, li: number, col: number, p: ColumnPlan, buf: Float64Array): Float64Array | null {
  const L = ctx.layers[li];
  const cur = L.run.currentsUa;
  const anyDriven = L.firstActiveRow !== Infinity;
  const electrical =
    anyDriven && (p.inputOhms !== null || p.segMaxIndex >= L.firstActiveRow || p.cells.some((c) => L.everActive[c.row] === 1));
  if (!electrical) {
    if (p.params === null) return null;
    for (let s = 0; s < cur.length; s++) buf[s] = cur[s][col];
    return buf;
  }
  const layer = net.layers[li];
  const o = col * layer.rows;
  const cellOhms = layer.cellOhms.slice(o, o + layer.rows);
  const segmentOhms = layer.segmentOhms.slice(o, o + layer.rows);
  for (const c of p.cells) cellOhms[c.row] = c.ohms;
  for (const g of p.segments) segmentOhms[g.index] = g.ohms;
  const electrics = { cellOhms, segmentOhms, neuronInputOhms: p.inputOhms ?? layer.neuronInputOhms[col], writeVoltageV: net.writeVoltageV };
  const byMask = new Map<Uint8Array, number>();
  for (let s = 0; s < cur.length; s++) {
    if (L.run.segments[s].activeRows.length === 0) {
      buf[s] = 0;
      continue;
    }
    const mask = L.active[s];
    let v = byMask.get(mask);
    if (v === undefined) {
      v = columnOutputUa(electrics, mask) - ctx.referenceUa(li, s); // a fault never changes the reference column
      byMask.set(mask, v);
    }
    buf[s] = v;
  }
  return buf;
}

/**
 * Faulty neuron currents of fault i in every segment of this vector, into buf (null when
 * the fault provably changes nothing in this vector).
 */
export function faultyCurrents(net: CompiledNetwork, ctx: VectorContext, t: PlanTable, i: number, buf: Float64Array): Float64Array | null {
  const li = t.layer[i];
  const col = t.col[i];
  const L = ctx.layers[li];
  const cur = L.run.currentsUa;
  const segs = L.run.segments;
  const k = t.index[i];
  switch (t.kind[i]) {
    case PlanKind.cell:
      for (let s = 0; s < cur.length; s++) {
        buf[s] = L.active[s][k] ? outputWithCellChange(ctx.sensitivity(li, s, col), k, t.oldOhms[i], t.newOhms[i], net.writeVoltageV) : cur[s][col];
      }
      return buf;
    case PlanKind.segment:
      if (k < L.firstActiveRow) return null; // segment k carries current only when a row ≤ k is driven
      for (let s = 0; s < cur.length; s++) {
        buf[s] = segs[s].activeRows.length === 0 ? 0 : outputWithSegmentChange(ctx.segmentSensitivity(li, s, col), k, t.oldOhms[i], t.newOhms[i]);
      }
      return buf;
    case PlanKind.neuron: {
      const inputChanges = !Number.isNaN(t.newOhms[i]) && L.firstActiveRow !== Infinity;
      for (let s = 0; s < cur.length; s++) {
        if (!inputChanges) buf[s] = cur[s][col];
        else buf[s] = segs[s].activeRows.length === 0 ? 0 : outputWithInputChange(ctx.segmentSensitivity(li, s, col), t.oldOhms[i], t.newOhms[i]);
      }
      return buf;
    }
    default:
      return columnCurrents(net, ctx, li, col, t.extra.get(i) as ColumnPlan, buf);
  }
}

/**
 * The cheap skips that need no current: a cell on a row never driven, the comparison
 * principle for a monotone neuron (a lower current never wakes a silent neuron; a higher
 * one keeps a neuron that fires in every window firing in every window — not seen when
 * the layer is observable), a segment no driven row reaches.
 */
export function skips(ctx: VectorContext, t: PlanTable, i: number, monotone: boolean, observable: boolean): boolean {
  const kind = t.kind[i];
  const L = ctx.layers[t.layer[i]];
  if (kind === PlanKind.segment) return t.index[i] < L.firstActiveRow;
  if (kind !== PlanKind.cell) return false;
  if (!L.everActive[t.index[i]]) return true;
  if (!monotone) return false;
  const good = ctx.trains[t.layer[i]][t.col[i]];
  if (t.newOhms[i] > t.oldOhms[i] && good.length === 0) return true;
  return t.newOhms[i] < t.oldOhms[i] && good.length === ctx.vector.stimulus.windows && !observable;
}
