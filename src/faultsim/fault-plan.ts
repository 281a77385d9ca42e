/**
 * How the fast engine evaluates each fault, decided once from its element effects and
 * kept as a struct-of-arrays table (one typed-array slot per fault, no object per fault):
 *
 *   cell     one cell's branch resistance changes (a synapse fault, an in-cell series
 *            open): exact from the good column's sensitivity (crossbar.ts
 *            outputWithCellChange), O(1) per driven segment
 *   segment  one column-line segment's resistance changes (a resistive open in the line):
 *            exact from the good column's forward/backward Norton quantities
 *            (crossbar.ts outputWithSegmentChange), O(1) per driven segment
 *   neuron   the neuron's parameters and/or input resistance change: good currents, or
 *            outputWithInputChange, O(1) per driven segment
 *   column   anything else confined to one column (several elements): re-solve that column
 *   general  effects on several columns: re-simulate the whole faulty network
 *
 *   const t = createPlanTable(faults.length);
 *   setPlan(t, p, effects);   t.kind[p] === PlanKind.segment; t.index[p] === 3; t.newOhms[p] === 50e3
 *
 * The fast engine lays the table out in the order it visits the faults (layer by layer,
 * column by column: slot p holds fault `t.fault[p]`, each plan written straight into its
 * slot): a column's plans are then contiguous, and the inner loop reads each array front
 * to back instead of jumping through 3.7 M slots (issue 17: the random reads, six arrays
 * per fault, were most of a batch's time).
 */
import type { ElementEffect } from "../faults/fault-effect.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";

/** Plan kinds (values of `PlanTable.kind`); `none` marks a fault that is never simulated (UD). */
export const PlanKind = { none: 0, cell: 1, segment: 2, neuron: 3, column: 4, general: 5 } as const;
export type PlanKindId = (typeof PlanKind)[keyof typeof PlanKind];
/** Path names by plan kind, as counted in `FaultSimResult.pathEvaluations`. */
export const planKindNames = ["none", "cell", "segment", "neuron", "column", "general"] as const;

/** A several-element change confined to one column (the re-solve path). */
export interface ColumnPlan {
  cells: { row: number; ohms: number }[];
  segments: { index: number; ohms: number }[];
  /** Faulty neuron parameters, or null when unchanged. */
  params: NeuronParams | null;
  /** Faulty neuron input resistance, or null when unchanged. */
  inputOhms: number | null;
  /** Highest changed segment index, −1 if none (segment k only carries current when a row ≤ k is driven). */
  segMaxIndex: number;
}

/** Plans of every fault of a campaign, by fault index. */
export interface PlanTable {
  kind: Uint8Array;
  layer: Int32Array;
  col: Int32Array;
  /** Cell: its row; segment: its index; otherwise −1. */
  index: Int32Array;
  /** Cell / segment / neuron input resistance before and after, ohms (NaN when a neuron plan keeps its input). */
  oldOhms: Float64Array;
  newOhms: Float64Array;
  /** Neuron plans: faulty parameters (undefined when unchanged); column plans: the plan. Sparse. */
  extra: Map<number, NeuronParams | ColumnPlan>;
  /** A table in visiting order: the fault index of each slot (absent: slot = fault index). */
  fault?: Int32Array;
}

export function createPlanTable(n: number, fault?: Int32Array): PlanTable {
  // `fault` in the literal, not added after (a spread plus a field): every table then has one map — with a table of another
  // map per engine run, the optimised vector loop was thrown back to the interpreter at every later run of the thread
  // ("wrong map" at t.kind, 136 deopts in 12 runs on bnn; --trace-deopt)
  return {
    kind: new Uint8Array(n),
    layer: new Int32Array(n),
    col: new Int32Array(n),
    index: new Int32Array(n).fill(-1),
    oldOhms: new Float64Array(n),
    newOhms: new Float64Array(n),
    extra: new Map(),
    fault,
  };
}

/**
 * Slots [a, b) back to no plan (a pooled thread's window, before its next chunk is planned
 * there). `extra` keeps what it held for them: it is read only for a neuron or column plan,
 * and setPlan writes those anew.
 */
export function resetPlans(t: PlanTable, a: number, b: number): void {
  t.kind.fill(PlanKind.none, a, b);
  t.index.fill(-1, a, b);
}

/** Choose how to evaluate fault i with these effects, and store it in the table; no effect leaves it PlanKind.none (it changes nothing: never simulated). */
export function setPlan(t: PlanTable, i: number, effects: readonly ElementEffect[]): void {
  if (effects.length === 0) return;
  const e0 = effects[0];
  t.layer[i] = e0.layer;
  t.col[i] = e0.col;
  if (effects.length === 1) {
    if (e0.kind === "cell" || e0.kind === "segment") {
      t.kind[i] = e0.kind === "cell" ? PlanKind.cell : PlanKind.segment;
      t.index[i] = e0.kind === "cell" ? e0.row : e0.index;
      t.oldOhms[i] = e0.oldOhms;
      t.newOhms[i] = e0.newOhms;
      return;
    }
    t.kind[i] = PlanKind.neuron;
    t.extra.set(i, e0.params);
    const inputChanges = e0.newInputOhms !== e0.oldInputOhms;
    t.oldOhms[i] = inputChanges ? e0.oldInputOhms : Number.NaN;
    t.newOhms[i] = inputChanges ? e0.newInputOhms : Number.NaN;
    return;
  }
  if (!effects.every((e) => e.layer === e0.layer && e.col === e0.col)) {
    t.kind[i] = PlanKind.general;
    return;
  }
  const plan: ColumnPlan = { cells: [], segments: [], params: null, inputOhms: null, segMaxIndex: -1 };
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
  t.kind[i] = PlanKind.column;
  t.extra.set(i, plan);
}
