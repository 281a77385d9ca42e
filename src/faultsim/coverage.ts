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
 *   const cov2 = await computeCoverageAsync(outcomes, faults, opts, () => checkpoint(signal));  // Ctrl-C between steps
 */
import type { Fault } from "../faults/fault.ts";
import type { FaultClass, FaultOutcome } from "./fault-engine.ts";
import { deepFreeze } from "../faults/deep-freeze.ts";

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
  const steps = computeCoverageSteps(outcomes, faults, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** computeCoverage with `between` awaited every COVERAGE_STEP_FAULTS faults (a Ctrl-C checkpoint on the full bnn universe). */
export async function computeCoverageAsync(outcomes: readonly FaultOutcome[], faults: readonly Fault[], opts: CoverageOptions, between: () => Promise<void>): Promise<CoverageRecord> {
  const steps = computeCoverageSteps(outcomes, faults, opts);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await between();
  }
}

/** computeCoverage as a generator: yields the faults counted so far every COVERAGE_STEP_FAULTS faults. */
export function* computeCoverageSteps(outcomes: readonly FaultOutcome[], faults: readonly Fault[], opts: CoverageOptions = {}): Generator<number, CoverageRecord> {
  const pdCredit = opts.pdCredit ?? DEFAULT_PD_CREDIT;
  if (!(pdCredit >= 0 && pdCredit <= 1)) throw new RangeError(`pdCredit must be within 0..1, got ${pdCredit}`);
  // Engines return outcomes in fault order: match by index, and build an id map only when that fails.
  let byId: Map<string, FaultOutcome> | null = null;
  const outcomeOf = (f: Fault, i: number): FaultOutcome | undefined => {
    const o = outcomes[i];
    if (o !== undefined && o.faultId === f.id) return o;
    byId ??= new Map(outcomes.map((x) => [x.faultId, x]));
    return byId.get(f.id);
  };
  const total = emptyCounts();
  const collapsed = emptyCounts();
  const byModel: Record<string, CoverageCounts> = {};
  for (const m of opts.models ?? []) byModel[m] = emptyCounts();
  const byLayer: CoverageCounts[] = [];
  for (let i = 0; i < faults.length; i++) {
    if (i > 0 && i % COVERAGE_STEP_FAULTS === 0) yield i;
    const f = faults[i];
    const o = outcomeOf(f, i);
    if (!o) throw new Error(`no outcome for fault ${f.id}`);
    add(total, o.cls, f.classSize);
    add(collapsed, o.cls, 1);
    add((byLayer[f.layer] ??= emptyCounts()), o.cls, f.classSize);
    add((byModel[f.modelId] ??= emptyCounts()), o.cls, f.equivalents ? 1 : f.classSize);
    for (const e of f.equivalents ?? []) add((byModel[modelOfFaultId(e)] ??= emptyCounts()), o.cls, 1);
  }
  for (let l = 0; l < byLayer.length; l++) byLayer[l] ??= emptyCounts();
  const record: CoverageRecord = {
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
  return deepFreeze(record);
}
