/**
 * Faults of a ternary (differential-pair) array, from fault models as data: one fault
 * per model and synapse site (r, c) — Hou et al.'s `set_victim_list` — with the cells it
 * affects (the model's `extent`) and the write rule it puts on them.
 *
 *   extent          cells affected by a fault at (r, c), row 0 at the top
 *   cell            (r, c)
 *   row             (r, 0 … cols − 1)
 *   row-from        (r, c … cols − 1)
 *   column          (0 … rows − 1, c)
 *   column-above    (0 … r, c)
 *   column-below    (r … rows − 1, c)
 *
 * A WRITE of w to an affected cell gives the cell the model's `dvPerTick` perturbation
 * (set / scale / add on the good draw) when w is the model's `activeWhenWritten` (or the
 * model has none); any other write draws normally (Hou's `write_synapse`).
 *
 *   const faults = enumerateTernaryFaults(bench, loadFaultModels(houFaultModelDir));
 *   faults[0].id   // "sif-bc-w1@l0.r0.c0"
 */
import { InputError } from "../formats/errors.ts";
import type { FaultExtent } from "../formats/fault-model-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { expandWeights } from "../sim/compile.ts";
import { ternaryLayout, type CellWriteRule, type TernaryValue } from "../sim/ternary-array.ts";
import type { LoadedFaultModel } from "./fault-model-loader.ts";

/** One single fault of a ternary array. */
export interface TernaryFault {
  /** `<model>@l0.r<row>.c<col>`. */
  readonly id: string;
  readonly model: LoadedFaultModel;
  readonly row: number;
  readonly col: number;
  /** Affected cells, index r·cols + c, ascending. */
  readonly cells: readonly number[];
  /** The write rule on the affected cells. */
  readonly rule: CellWriteRule;
}

/** Cells of an extent at (r, c) on a rows × cols array, index r·cols + c, ascending. */
export function extentCells(extent: FaultExtent, r: number, c: number, rows: number, cols: number): number[] {
  const out: number[] = [];
  const cell = (i: number, j: number) => out.push(i * cols + j);
  switch (extent) {
    case "cell": cell(r, c); break;
    case "row": for (let j = 0; j < cols; j++) cell(r, j); break;
    case "row-from": for (let j = c; j < cols; j++) cell(r, j); break;
    case "column": for (let i = 0; i < rows; i++) cell(i, c); break;
    case "column-above": for (let i = 0; i <= r; i++) cell(i, c); break;
    case "column-below": for (let i = r; i < rows; i++) cell(i, c); break;
  }
  return out;
}

function applyOp(x: number, op: "set" | "scale" | "add", v: number): number {
  return op === "set" ? v : op === "scale" ? x * v : x + v;
}

/** The dV rule of one model: (value written, good draw) → dV held, checked against what a ternary array has. */
export function ternaryDvRule(m: LoadedFaultModel): (value: TernaryValue, drawn: number) => number {
  const model = m.model;
  if (m.siteKinds.length !== 1 || m.siteKinds[0] !== "synapse") throw new InputError(`${m.file}: siteKind: a ternary array has synapse sites only (got ${m.siteKinds.join(", ")})`);
  const ops = model.perturbation.map((p, i) => {
    if (p.quantity !== "dvPerTick") throw new InputError(`${m.file}: perturbation[${i}].quantity: a ternary synapse has dvPerTick only (got "${p.quantity}")`);
    const v = typeof p.value === "number" ? p.value : model.parameters[p.value.slice(1, -1)].default;
    return { op: p.op, v };
  });
  if (ops.length === 0) throw new InputError(`${m.file}: perturbation: a ternary fault needs a dvPerTick perturbation`);
  const when = model.activeWhenWritten;
  return (value, drawn) => (when !== undefined && value !== when ? drawn : ops.reduce((x, o) => applyOp(x, o.op, o.v), drawn));
}

/** Every single fault of `models` on the bench's ternary array (model order, then row, then column). */
export function enumerateTernaryFaults(tb: Testbench, models: readonly LoadedFaultModel[]): TernaryFault[] {
  const { rows, cols } = ternaryLayout(tb);
  const mission = expandWeights(tb.layers[0]);
  const faults: TernaryFault[] = [];
  for (const m of models) {
    const dv = ternaryDvRule(m);
    const { weights, layers } = m.model.appliesTo;
    if (layers && !layers.includes(0)) continue;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (weights && !weights.includes(mission[c * rows + r])) continue;
        const cells = extentCells(m.model.extent, r, c, rows, cols);
        const hit = new Set(cells);
        const rule: CellWriteRule = (i, j, value, drawn) => (hit.has(i * cols + j) ? dv(value, drawn) : drawn);
        faults.push(Object.freeze({ id: `${m.id}@l0.r${r}.c${c}`, model: m, row: r, col: c, cells: Object.freeze(cells), rule }));
      }
    }
  }
  return faults;
}
