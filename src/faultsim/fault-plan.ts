/**
 * How the fast engine evaluates a fault, decided once from its element effects:
 *
 *   cell     one cell's branch resistance changes: the column current follows exactly
 *            from the good column's sensitivity (crossbar.ts outputWithCellChange), O(1)
 *   column   anything confined to one column and its neuron (segment opens, neuron
 *            parameters, several cells): re-solve that column only, re-run that neuron
 *   general  effects on several columns: re-simulate the whole faulty network
 *
 *   planOf(effects)  // { kind: "cell", layer: 0, col: 3, row: 2, oldOhms: 40611, newOhms: Infinity }
 */
import type { ElementEffect } from "../faults/fault-effect.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";

export interface CellPlan {
  kind: "cell";
  layer: number;
  col: number;
  row: number;
  oldOhms: number;
  newOhms: number;
}

export interface ColumnPlan {
  kind: "column";
  layer: number;
  col: number;
  cells: { row: number; ohms: number }[];
  segments: { index: number; ohms: number }[];
  /** Faulty neuron parameters, or null when unchanged. */
  params: NeuronParams | null;
  /** Faulty neuron input resistance, or null when unchanged. */
  inputOhms: number | null;
  /** Highest changed segment index, −1 if none (segment k only carries current when a row ≤ k is driven). */
  segMaxIndex: number;
}

export interface GeneralPlan {
  kind: "general";
}

export type FaultPlan = CellPlan | ColumnPlan | GeneralPlan;

/** Choose how to evaluate a fault with these (non-empty) effects. */
export function planOf(effects: readonly ElementEffect[]): FaultPlan {
  const e0 = effects[0];
  if (effects.length === 1 && e0.kind === "cell") {
    return { kind: "cell", layer: e0.layer, col: e0.col, row: e0.row, oldOhms: e0.oldOhms, newOhms: e0.newOhms };
  }
  if (!effects.every((e) => e.layer === e0.layer && e.col === e0.col)) return { kind: "general" };
  const plan: ColumnPlan = { kind: "column", layer: e0.layer, col: e0.col, cells: [], segments: [], params: null, inputOhms: null, segMaxIndex: -1 };
  for (const e of effects) {
    if (e.kind === "cell") {
      plan.cells.push({ row: e.row, ohms: e.newOhms });
    } else if (e.kind === "segment") {
      plan.segments.push({ index: e.index, ohms: e.newOhms });
      plan.segMaxIndex = Math.max(plan.segMaxIndex, e.index);
    } else {
      plan.params = e.params;
      if (e.newInputOhms !== e.oldInputOhms) plan.inputOhms = e.newInputOhms;
    }
  }
  return plan;
}
