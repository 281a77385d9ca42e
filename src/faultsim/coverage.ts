/**
 * Fault coverage from fault-simulation outcomes: counts per class, by fault model
 * and by layer, and the two coverage figures with the formulas used.
 *
 *   FC = (DT + c·PD) / all          fault coverage
 *   TC = (DT + c·PD) / (all − UD)   test coverage (proved-undetectable faults left out)
 *
 * c is the PD credit (default 0.5). Counts are over the uncollapsed universe: a
 * collapsed representative counts once per fault it stands for (its equivalents'
 * own models and layers); `collapsed` gives the same over representatives only.
 *
 *   const cov = computeCoverage(result.outcomes, faults, { pdCredit: 0.5 });
 *   cov.total.faultCoverage   // 0.8 (a fraction)
 *   coverageOfResult(result, faults)  // the same, tallied from the engine's outcome table (no outcome objects built)
 *   const cov2 = await computeCoverageAsync(outcomes, faults, opts, () => checkpoint(signal));  // Ctrl-C between steps
 */
import type { Fault } from "../faults/fault.ts";
import type { FaultClass, FaultOutcome, FaultSimResult } from "./fault-engine.ts";
import { deepFreeze } from "../faults/deep-freeze.ts";
import { drainSteps, drainStepsAsync } from "../formats/interrupt-checkpoint.ts";
import { classOfCode, outcomeTableOf } from "./outcome-table.ts";

export const faultClasses = ["DT", "PD", "ND", "AU", "UD"] as const satisfies readonly FaultClass[];

/** Counts per class and the coverage figures (fractions 0..1; NaN-free: 0 when the denominator is 0). */
export interface CoverageCounts {
  all: number;
  DT: number;
  PD: number;
  ND: number;
  AU: number;
  UD: number;
  faultCoverage: number;
  testCoverage: number;
}

/** Frozen, JSON-serialisable coverage record (report sinks take it). */
export interface CoverageRecord {
  pdCredit: number;
  formulas: { faultCoverage: string; testCoverage: string; counting: string };
  /** Uncollapsed universe. */
  total: CoverageCounts;
  /** Collapsed representatives only. */
  collapsed: CoverageCounts;
  /** Uncollapsed, by fault-model id. */
  byModel: Record<string, CoverageCounts>;
  /** Uncollapsed, by layer index. */
  byLayer: CoverageCounts[];
}

/** Credit of a possibly-detected fault when none is given (the ITC convention of counting PD as half). */
export const DEFAULT_PD_CREDIT = 0.5;

export interface CoverageOptions {
  /** Credit of a possibly-detected fault, 0..1 (default `DEFAULT_PD_CREDIT`). */
  pdCredit?: number;
  /** Model ids to list in byModel even when they have no fault on this bench. */
  models?: readonly string[];
}

/** Empty counts. */
export function emptyCounts(): CoverageCounts {
  return { all: 0, DT: 0, PD: 0, ND: 0, AU: 0, UD: 0, faultCoverage: 0, testCoverage: 0 };
}

/** Fill in FC and TC from the class counts. */
export function finishCounts(c: CoverageCounts, pdCredit: number): CoverageCounts {
  const credited = c.DT + pdCredit * c.PD;
  c.faultCoverage = c.all > 0 ? credited / c.all : 0;
  c.testCoverage = c.all - c.UD > 0 ? credited / (c.all - c.UD) : 0;
  return c;
}

function add(c: CoverageCounts, cls: FaultClass, n: number): void {
  c.all += n;
  c[cls] += n;
}

/** The model id of a fault id (`<model>@<site>…`). */
export function modelOfFaultId(id: string): string {
  const at = id.indexOf("@");
  return at < 0 ? id : id.slice(0, at);
}

/** Faults between two yields of computeCoverageSteps (a few ms of work). */
export const COVERAGE_STEP_FAULTS = 65_536;

/** Compute coverage; every fault needs an outcome (matched by id). */
export function computeCoverage(outcomes: readonly FaultOutcome[], faults: readonly Fault[], opts: CoverageOptions = {}): CoverageRecord {
  return drainSteps(computeCoverageSteps(outcomes, faults, opts));
}

/** computeCoverage with `between` awaited every COVERAGE_STEP_FAULTS faults (a Ctrl-C checkpoint on the full bnn universe). */
export async function computeCoverageAsync(outcomes: readonly FaultOutcome[], faults: readonly Fault[], opts: CoverageOptions, between: () => Promise<void>): Promise<CoverageRecord> {
  return drainStepsAsync(computeCoverageSteps(outcomes, faults, opts), between);
}

/** computeCoverage as a generator: yields the faults counted so far every COVERAGE_STEP_FAULTS faults. */
export function computeCoverageSteps(outcomes: readonly FaultOutcome[], faults: readonly Fault[], opts: CoverageOptions = {}): Generator<number, CoverageRecord> {
  // Engines return outcomes in fault order: match by index, and build an id map only when that fails.
  let byId: Map<string, FaultOutcome> | null = null;
  return tallySteps(faults, opts, (f, i) => {
    let o = outcomes[i];
    if (o === undefined || o.faultId !== f.id) {
      byId ??= new Map(outcomes.map((x) => [x.faultId, x]));
      o = byId.get(f.id)!;
      if (!o) throw new Error(`no outcome for fault ${f.id}`);
    }
    return o.cls;
  });
}

/** Coverage of an engine's result over the faults it graded (in its order): from its outcome table when it has one. */
export function coverageOfResult(r: FaultSimResult, faults: readonly Fault[], opts: CoverageOptions = {}): CoverageRecord {
  return drainSteps(coverageOfResultSteps(r, faults, opts));
}

/** coverageOfResult with `between` awaited every COVERAGE_STEP_FAULTS faults (a Ctrl-C checkpoint on the 6.9 M-fault bnn universe). */
export async function coverageOfResultAsync(r: FaultSimResult, faults: readonly Fault[], opts: CoverageOptions, between: () => Promise<void>): Promise<CoverageRecord> {
  return drainStepsAsync(coverageOfResultSteps(r, faults, opts), between);
}

/** coverageOfResult as a generator (yields every COVERAGE_STEP_FAULTS faults). */
export function coverageOfResultSteps(r: FaultSimResult, faults: readonly Fault[], opts: CoverageOptions): Generator<number, CoverageRecord> {
  const t = outcomeTableOf(r);
  if (!t || t.cls.length !== faults.length) return computeCoverageSteps(r.outcomes, faults, opts);
  return tallyCodes(faults, opts, t.cls);
}

/**
 * tally() over class codes (outcome-table.ts): counts go to Float64Arrays of 5 per layer
 * and per model (the model's counts found by the identity of its id string, which a
 * universe's faults share), and become CoverageCounts at the end.
 */
function* tallyCodes(faults: readonly Fault[], opts: CoverageOptions, cls: Uint8Array): Generator<number, CoverageRecord> {
  checkCredit(opts);
  const K = classOfCode.length;
  const total = new Float64Array(K);
  const collapsed = new Float64Array(K);
  const layers: Float64Array[] = [];
  const models = new Map<string, Float64Array>();
  for (const m of opts.models ?? []) models.set(m, new Float64Array(K));
  const modelCounts = (id: string) => {
    let c = models.get(id);
    if (!c) models.set(id, (c = new Float64Array(K)));
    return c;
  };
  let lastId = "";
  let lastCounts: Float64Array | null = null;
  for (let i = 0; i < faults.length; i++) {
    if (i > 0 && i % COVERAGE_STEP_FAULTS === 0) yield i;
    const f = faults[i];
    const k = cls[i];
    const size = f.classSize;
    total[k] += size;
    collapsed[k] += 1;
    (layers[f.layer] ??= new Float64Array(K))[k] += size;
    const id = f.modelId;
    if (id !== lastId || !lastCounts) (lastId = id), (lastCounts = modelCounts(id));
    const eq = f.equivalents;
    lastCounts[k] += eq ? 1 : size;
    if (eq) for (const e of eq) modelCounts(modelOfFaultId(e))[k] += 1;
  }
  const counts = (a: Float64Array): CoverageCounts => {
    const c = emptyCounts();
    for (let k = 0; k < K; k++) add(c, classOfCode[k], a[k]);
    return c;
  };
  for (let l = 0; l < layers.length; l++) layers[l] ??= new Float64Array(K);
  const byModel: Record<string, CoverageCounts> = {};
  for (const [id, a] of models) byModel[id] = counts(a);
  return record(opts, counts(total), counts(collapsed), byModel, layers.map(counts));
}

function checkCredit(opts: CoverageOptions): void {
  const pdCredit = opts.pdCredit ?? DEFAULT_PD_CREDIT;
  if (!(pdCredit >= 0 && pdCredit <= 1)) throw new RangeError(`pdCredit must be within 0..1, got ${pdCredit}`);
}

function* tallySteps(faults: readonly Fault[], opts: CoverageOptions, classOf: (f: Fault, i: number) => FaultClass): Generator<number, CoverageRecord> {
  checkCredit(opts);
  const total = emptyCounts();
  const collapsed = emptyCounts();
  const byModel: Record<string, CoverageCounts> = {};
  for (const m of opts.models ?? []) byModel[m] = emptyCounts();
  const byLayer: CoverageCounts[] = [];
  for (let i = 0; i < faults.length; i++) {
    if (i > 0 && i % COVERAGE_STEP_FAULTS === 0) yield i;
    const f = faults[i];
    const cls = classOf(f, i);
    add(total, cls, f.classSize);
    add(collapsed, cls, 1);
    add((byLayer[f.layer] ??= emptyCounts()), cls, f.classSize);
    const eq = f.equivalents;
    add((byModel[f.modelId] ??= emptyCounts()), cls, eq ? 1 : f.classSize);
    if (eq) for (const e of eq) add((byModel[modelOfFaultId(e)] ??= emptyCounts()), cls, 1);
  }
  for (let l = 0; l < byLayer.length; l++) byLayer[l] ??= emptyCounts();
  return record(opts, total, collapsed, byModel, byLayer);
}

function record(opts: CoverageOptions, total: CoverageCounts, collapsed: CoverageCounts, byModel: Record<string, CoverageCounts>, byLayer: CoverageCounts[]): CoverageRecord {
  const pdCredit = opts.pdCredit ?? DEFAULT_PD_CREDIT;
  const rec: CoverageRecord = {
    pdCredit,
    formulas: {
      faultCoverage: `FC = (DT + ${pdCredit}·PD) / all`,
      testCoverage: `TC = (DT + ${pdCredit}·PD) / (all − UD)`,
      counting: "uncollapsed: each collapsed representative counts once for every fault it stands for",
    },
    total: finishCounts(total, pdCredit),
    collapsed: finishCounts(collapsed, pdCredit),
    byModel: Object.fromEntries(Object.entries(byModel).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, finishCounts(v, pdCredit)])),
    byLayer: byLayer.map((c) => finishCounts(c, pdCredit)),
  };
  return deepFreeze(rec);
}
