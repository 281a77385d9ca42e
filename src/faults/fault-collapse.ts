/**
 * Fault collapsing rules: faults that give the same faulty behaviour for EVERY
 * stimulus share one representative. Only provable equivalences are used; each rule
 * names why it is exact in the simulator's circuit (src/sim/crossbar.ts ladder).
 *
 *   identical-effect  faults that leave the chip in the same state: same element, same
 *                     new value (dead-synapse ≡ resistive-open = ∞ at the cell's .series
 *                     site). Storage faults (stuck-at, transition, retention flip) are never
 *                     merged: on the mission weights a retention flip and a stuck-at-P look
 *                     alike, but a march test tells them apart (cell-storage.ts).
 *   series-chain      an open R in segment 0 of a column ≡ an open R in series inside the
 *                     cell of row 0: node 0 joins only that cell and segment 0, so the two
 *                     resistances are one series branch (and with R = ∞ both ≡ a dead
 *                     synapse on row 0). Seed 000 tells Rop1 (16 kΩ) and the in-cell Rop4
 *                     (67 kΩ) apart only through transistor-level effects the ladder lacks.
 *   silent-neuron     any neuron fault after which the neuron can provably never fire
 *                     (e.g. threshold out of reach, gain 0) ≡ dead-neuron.
 *
 * Not collapsed, on purpose: dead synapses (or flips) on different cells of a column,
 * even with identical weights — they sit on different rows, so a stimulus that drives
 * one row and not the other tells them apart, and line resistance makes even equal
 * rows differ; opens in segments k > 0 versus anything else (segment k carries the
 * current of rows 0..k); faults proved undetectable are kept apart (each has its reason).
 *
 *   sameValue(50000, 50000.0000000001) === true
 */

export const collapseRules = {
  "identical-effect": "same element, same faulty value (e.g. dead-synapse ≡ resistive-open=∞ at .series)",
  "series-chain": "open R in segment 0 ≡ open R in series inside the row-0 cell (node 0 joins only the two)",
  "silent-neuron": "a neuron fault that makes the neuron unable to ever fire ≡ dead-neuron",
} as const;

export type CollapseRuleId = keyof typeof collapseRules;

/** Equal up to floating-point rounding of the same physical value. */
export function sameValue(a: number | string, b: number | string): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/** Group members by equal value (values null are never grouped); keeps first-seen order. */
export function groupByValue<T extends { value: number | string | null }>(members: readonly T[]): T[][] {
  const groups: T[][] = [];
  for (const m of members) {
    const v = m.value;
    const g = v === null ? undefined : groups.find((x) => x[0].value !== null && sameValue(x[0].value, v));
    if (g) g.push(m);
    else groups.push([m]);
  }
  return groups;
}
