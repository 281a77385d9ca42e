/**
 * Diagnosis from READ failures: the fail bitmap of an array phase, its shape, and the
 * faults that explain it.
 *
 *   const d = diagnoseArray(program, loaded, log.steps);
 *   d.bitmap   // [{ layer: 0, cells: [[2, 3]], shape: "single cell l0.r2.c3" }]
 *   d.candidates[0]  // { faultId: "stuck-at-p@l0.r2.c3", firstStep: "…e1.r2.0r0", exact: true }
 *
 * READ failures map straight to cells. Shapes a memory test engineer reads: one cell
 * (a cell defect), a whole row, a whole column or the cells of a column from row 0 down
 * to some row (an open in the column line below that row, or the column's sense path),
 * else scattered cells. Candidates are the faults of the failing columns (every model,
 * memory-test ones included) whose predicted first failing READ (array-grader.ts, fast
 * engine) is the first failing READ observed and whose predicted failing cells cover the
 * observed ones — ranked by how exactly they predict the failing cells.
 */
import type { DatalogStep } from "../formats/datalog-format.ts";
import type { Program } from "../formats/program-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import { gradeArraySteps } from "../faultsim/array-grader.ts";
import { splitProgram } from "../faultsim/program-campaign.ts";
import { loadFaultModels } from "../faults/fault-model-loader.ts";
import { enumerateFaults } from "../faults/fault-universe.ts";
import { compileNetwork } from "../sim/compile.ts";

export interface BitmapLayer {
  layer: number;
  /** Failing cells as [row, col], sorted. */
  cells: [number, number][];
  shape: string;
}

export interface ArrayCandidate {
  faultId: string;
  equivalents: string[];
  firstStep: string;
  /** |cells it can fail ∩ failing cells| / |cells it can fail ∪ failing cells| (1 = exactly the failing cells). */
  score: number;
}

export interface ArrayDiagnosis {
  failingReads: string[];
  /** Shape of every layer of the bench (what the bitmap is drawn over). */
  layers: { rows: number; cols: number }[];
  bitmap: BitmapLayer[];
  candidates: ArrayCandidate[];
}

function shapeOf(layer: number, cells: [number, number][], rows: number, cols: number): string {
  if (cells.length === 1) return `single cell l${layer}.r${cells[0][0]}.c${cells[0][1]} (a cell defect: stuck-at, transition, retention, dead synapse or an in-cell open)`;
  const colsHit = [...new Set(cells.map(([, c]) => c))];
  const rowsHit = [...new Set(cells.map(([r]) => r))];
  if (rowsHit.length === 1 && colsHit.length === cols) return `whole row ${rowsHit[0]} of layer ${layer} (its word line or row driver)`;
  if (colsHit.length === 1) {
    const maxRow = Math.max(...rowsHit);
    const fromTop = rowsHit.length === maxRow + 1;
    if (rowsHit.length === rows) return `whole column ${colsHit[0]} of layer ${layer} (its sense path or the line segment feeding the sense input)`;
    if (fromTop) return `column ${colsHit[0]} of layer ${layer}, rows 0..${maxRow} (an open in the column line below row ${maxRow}: segment ${maxRow})`;
    return `${cells.length} cells of column ${colsHit[0]} of layer ${layer}`;
  }
  return `${cells.length} scattered cells in ${colsHit.length} columns of layer ${layer}`;
}

/** Diagnose the READ failures of a run (the datalog's step records). */
export function diagnoseArray(program: Program, programFile: string, loaded: LoadedTestbench, steps: readonly DatalogStep[], limit = 10): ArrayDiagnosis {
  const failing = steps.filter((s) => s.kind === "read" && s.verdict === "fail");
  const net = compileNetwork(loaded.bench);
  const byLayer = new Map<number, Set<string>>();
  for (const s of failing) {
    const set = byLayer.get(s.layer!) ?? new Set<string>();
    for (const c of s.failingColumns ?? []) set.add(`${s.row},${c}`);
    byLayer.set(s.layer!, set);
  }
  const bitmap: BitmapLayer[] = [...byLayer.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([layer, set]) => {
      const cells = [...set].map((k) => k.split(",").map(Number) as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const l = net.layers[layer];
      return { layer, cells, shape: shapeOf(layer, cells, l.rows, l.cols) };
    });
  const layers = net.layers.map((l) => ({ rows: l.rows, cols: l.cols }));
  if (failing.length === 0) return { failingReads: [], layers, bitmap, candidates: [] };
  const split = splitProgram(program, programFile);
  const sites = bitmap.flatMap((b) =>
    [...new Set(b.cells.map(([, c]) => c))].flatMap((c) => Array.from({ length: net.layers[b.layer].rows }, (_, r) => [`l${b.layer}.r${r}.c${c}`, `l${b.layer}.r${r}.c${c}.series`, `l${b.layer}.r${r}.c${c}.read`, `l${b.layer}.c${c}.seg${r}`]).flat()),
  );
  const models = loadFaultModels(undefined, undefined, { arrayTests: true });
  const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: true, sites });
  const graded = gradeArraySteps(net, faults, split.arraySteps, "fast");
  const first = failing[0].stepId;
  const observedCols = new Set(bitmap.flatMap((b) => b.cells.map(([, c]) => `${b.layer}.${c}`)));
  const observed = new Set(bitmap.flatMap((b) => b.cells.map(([r, c]) => `${b.layer}.${r}.${c}`)));
  const candidates: ArrayCandidate[] = [];
  faults.forEach((f, i) => {
    const g = graded[i];
    const s = f.site;
    if (!g.detected || g.firstStep !== first || s.kind === "neuron" || !observedCols.has(`${s.layer}.${s.col}`)) return;
    // The cells a fault can fail: its own cell, or rows 0..k of its column for an open in segment k.
    const rows = s.kind === "segment" ? Array.from({ length: s.index + 1 }, (_, r) => r) : [s.row];
    const touched = new Set(rows.map((r) => `${s.layer}.${r}.${s.col}`));
    let both = 0;
    for (const k of touched) if (observed.has(k)) both++;
    const score = both / (touched.size + observed.size - both);
    candidates.push({ faultId: f.id, equivalents: f.equivalents ?? [], firstStep: g.firstStep!, score });
  });
  candidates.sort((a, b) => b.score - a.score);
  return { failingReads: failing.map((s) => s.stepId), layers, bitmap, candidates: candidates.slice(0, limit) };
}

/** Of the given faults (by site), the ids whose READ steps in this program would fail: a device whose READs all passed has none of them. */
export function faultsFailingReads(program: Program, programFile: string, loaded: LoadedTestbench, siteIds: readonly string[]): Set<string> {
  if (siteIds.length === 0) return new Set();
  const net = compileNetwork(loaded.bench);
  const models = loadFaultModels(undefined, undefined, { arrayTests: true });
  const { faults } = enumerateFaults(net, loaded.bench, models, { collapse: true, sites: [...new Set(siteIds)] });
  const graded = gradeArraySteps(net, faults, splitProgram(program, programFile).arraySteps, "fast");
  return new Set(faults.flatMap((f, i) => (graded[i].detected ? [f.id, ...(f.equivalents ?? [])] : [])));
}
