/**
 * Differential read: the neuron of column c sees the column's current minus the current
 * of the layer's reference column for the same driven rows,
 *
 *   I_neuron(c, S) = I_col(c, S) − I_ref(S)          (S = the driven rows)
 *
 * both solved as exact ladders (crossbar.ts) with their own segment and neuron-input
 * resistances. Without a reference column (`layer.reference === null`) I_ref = 0 and
 * this is the single-ended read. I_neuron may be negative; the neuron models integrate
 * only above their critical current. A binary crossbar with R_H ≈ 2·R_L read
 * single-ended sums a current set mostly by how many rows are driven; against a
 * weight-0.5 reference each driven row adds about (G_cell − G_ref)·V, + for a weight-1
 * cell and − for a weight-0 one, so the neuron current follows the column's weights instead.
 *
 *   const iUa = neuronCurrentUa(layer, 3, active, net.writeVoltageV);
 *   iUa === columnOutputUa(columnElectrics(layer, 3, V), active) − referenceCurrentUa(layer, active, V)
 *
 * Every place that computes a neuron current goes through here or subtracts
 * `referenceCurrentUa` itself (the fast fault engine keeps it per driven-row set).
 */
import type { CompiledLayer } from "./compile.ts";
import { columnOutputUa, type ColumnElectrics } from "./crossbar.ts";

/** Electrics of column c of a layer (views into the layer's arrays). */
export function columnElectrics(layer: CompiledLayer, c: number, writeVoltageV: number): ColumnElectrics {
  const o = c * layer.rows;
  return {
    cellOhms: layer.cellOhms.subarray(o, o + layer.rows),
    segmentOhms: layer.segmentOhms.subarray(o, o + layer.rows),
    neuronInputOhms: layer.neuronInputOhms[c],
    writeVoltageV,
  };
}

/** Electrics of the layer's reference column, or null for a single-ended read. */
export function referenceElectrics(layer: CompiledLayer, writeVoltageV: number): ColumnElectrics | null {
  const ref = layer.reference;
  if (!ref) return null;
  return { cellOhms: ref.cellOhms, segmentOhms: ref.segmentOhms, neuronInputOhms: ref.neuronInputOhms, writeVoltageV };
}

/** Current of the reference column for a set of driven rows, µA (0 without one). */
export function referenceCurrentUa(layer: CompiledLayer, active: ArrayLike<number>, writeVoltageV: number): number {
  const e = referenceElectrics(layer, writeVoltageV);
  return e ? columnOutputUa(e, active) : 0;
}

/** Neuron current of column c for a set of driven rows, µA: column minus reference. */
export function neuronCurrentUa(layer: CompiledLayer, c: number, active: ArrayLike<number>, writeVoltageV: number): number {
  return columnOutputUa(columnElectrics(layer, c, writeVoltageV), active) - referenceCurrentUa(layer, active, writeVoltageV);
}
