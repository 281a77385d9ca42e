/**
 * Test-weight plans of the neuron phase: what the board writes into the crossbar so that
 * every neuron of a layer sits at its threshold edge and its spike reaches an output.
 *
 * A plan is for a chip whose last two layers are a hidden layer H (= n − 2, the first
 * layer on a two-layer chip) and the output layer O (= n − 1); on a one-layer chip the
 * layer's neurons are outputs. Inputs drive the first `active` rows of layer 0.
 *
 *   hiddenOnes[c]  the number of weight-1 cells of hidden column c among the driven rows
 *                  (0 = a silent column: its neuron is not under test in this vector);
 *                  every driven row of column c below hiddenOnes[c] holds 1, the rest 0
 *   outputRows[j]  the hidden rows (neurons) whose cell in output column j holds 1
 *
 * Rows that are never driven (active ≤ r on layer 0, or a hidden neuron that never
 * fires) carry no current, so the plan writes only the driven rows of layer 0 and every
 * row of the output layer — a WRITE per row, as the march does.
 *
 * The stimulus: `pulses` pulse windows, `spacing` apart (spacing 2 leaves an empty
 * window between pulses, so the leaky window shows), the last pulse in the decisive
 * window d = (pulses − 1)·spacing; then one more window per later layer for the spikes
 * to travel to the outputs (a spike in window w drives the next layer in window w + 1).
 *
 *   const steps = planWrites(net, plan, "np3");        // WRITE steps (phase "neuron")
 *   const v = planVector(net, plan, "np3.v");           // the spike vector's stimulus fields
 */
import type { ArrayStep } from "../faultsim/array-grader.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { compactPattern } from "./candidate-vector.ts";

export interface TestWeightPlan {
  /** Driven first-layer rows (rows 0 … active − 1). */
  active: number;
  /** Per column of layer 0: weight-1 cells among the driven rows (one-layer chip: the outputs). */
  hiddenOnes: readonly number[];
  /** Per output column: the hidden rows holding 1 (empty on a one-layer chip). */
  outputRows: readonly (readonly number[])[];
  pulses: number;
  spacing: number;
  iwPs: number;
  lwPs: number;
}

/** The window whose pulse decides the first layer's spikes. */
export function decisiveWindow(p: Pick<TestWeightPlan, "pulses" | "spacing">): number {
  return (p.pulses - 1) * p.spacing;
}

/** Windows of the vector: the decisive window, then one per later layer. */
export function planWindows(net: CompiledNetwork, p: Pick<TestWeightPlan, "pulses" | "spacing">): number {
  return decisiveWindow(p) + net.layers.length;
}

/** The pattern (one string per window, compacted) that drives the plan. */
export function planPattern(net: CompiledNetwork, p: TestWeightPlan): string[] {
  const rows = net.layers[0].rows;
  const on = "1".repeat(p.active) + "0".repeat(rows - p.active);
  const off = "0".repeat(rows);
  const d = decisiveWindow(p);
  const windows = planWindows(net, p);
  const pat: string[] = [];
  for (let w = 0; w < windows; w++) pat.push(w <= d && (d - w) % p.spacing === 0 ? on : off);
  return compactPattern(pat, windows);
}

/** WRITE steps that put the plan's weights into the crossbar (driven rows of layer 0, every row of the output layer). */
export function planWrites(net: CompiledNetwork, p: TestWeightPlan, idPrefix: string): ArrayStep[] {
  const out: ArrayStep[] = [];
  const l0 = net.layers[0];
  for (let r = 0; r < p.active; r++) {
    let bits = "";
    for (let c = 0; c < l0.cols; c++) bits += r < p.hiddenOnes[c] ? "1" : "0";
    out.push({ kind: "write", id: `${idPrefix}.l0.r${r}`, phase: "neuron", layer: 0, row: r, bits });
  }
  if (net.layers.length >= 2) {
    const o = net.layers.length - 1;
    const lo = net.layers[o];
    const rowsOf = p.outputRows.map((rs) => new Set(rs));
    for (let r = 0; r < lo.rows; r++) {
      let bits = "";
      for (let j = 0; j < lo.cols; j++) bits += rowsOf[j]?.has(r) ? "1" : "0";
      out.push({ kind: "write", id: `${idPrefix}.l${o}.r${r}`, phase: "neuron", layer: o, row: r, bits });
    }
  }
  return out;
}

/**
 * Hidden groups of a vector: `groups` disjoint groups of `size` hidden neurons taken from
 * a rotation of the hidden layer (offset `shift`), one per output column.
 */
export function rotatedGroups(hidden: number, size: number, groups: number, start: number): number[][] {
  const out: number[][] = [];
  for (let g = 0; g < groups; g++) {
    const members: number[] = [];
    for (let k = 0; k < size; k++) members.push((start + g * size + k) % hidden);
    out.push(members);
  }
  return out;
}
