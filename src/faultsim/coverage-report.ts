/**
 * The coverage report record: everything a report sink prints, as one frozen,
 * JSON-serialisable object — the coverage record, the universe counts, cumulative
 * coverage after each vector, heat maps of undetected cell faults per crossbar, and
 * the per-fault outcomes. Sinks (src/report/) take it and never reach into an engine.
 *
 *   const report = buildCoverageReport({ testbench, program, universe, result, faults, vectors, pdCredit: 0.5 });
 *   report.cumulative.at(-1).faultCoverage === report.coverage.total.faultCoverage
 *
 * On the full bnn universe (3.7 M faults) building it takes seconds: `coverageReportSteps`
 * is the same work as a generator that yields how many faults are done every few
 * thousand, so the CLI can show progress and stop on Ctrl-C between steps.
 */
import { deepFreeze } from "../faults/deep-freeze.ts";
import type { Fault } from "../faults/fault.ts";
import type { UniverseCounts } from "../faults/fault-universe.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { coverageOfResultSteps, type CoverageRecord } from "./coverage.ts";
import { ClassCode, outcomeAt, outcomeSourceOf } from "./outcome-table.ts";
import type { FaultClass, FaultSimResult, FaultSimVector } from "./fault-engine.ts";

const sameVectorIds = (a: readonly FaultSimVector[], b: readonly FaultSimVector[]) => a === b || (a.length === b.length && a.every((v, i) => v.id === b[i].id));

/** Coverage after the first `vectors` vectors. */
export interface CumulativePoint {
  vectors: number;
  /** Id of the vector applied last (the `vectors`-th). */
  vectorId?: string;
  faultCoverage: number;
  testCoverage: number;
  detected: number;
}

/** Undetected (ND + AU, uncollapsed) faults on the cells of one crossbar, binned. */
export interface CrossbarHeatmap {
  layer: number;
  rows: number;
  cols: number;
  /** Cells per bin along rows / columns (1 = no binning). */
  rowStep: number;
  colStep: number;
  /** counts[binRow][binCol]. */
  counts: number[][];
  max: number;
}

/** One fault's outcome in the report. */
export interface FaultReportEntry {
  id: string;
  model: string;
  site: string;
  layer: number;
  classSize: number;
  cls: FaultClass;
  firstVector: string | null;
  reason?: string;
  equivalents?: string[];
  /** With fault dropping off: every vector that detects (DT) or possibly detects (PD) it. */
  detectingVectors?: string[];
}

/**
 * A report's per-fault entries, array-like: an array, or (the CLI's report) a FaultEntries
 * list that builds each entry when it is read. `toJSON` gives the whole array.
 */
export interface FaultEntryList extends Iterable<FaultReportEntry> {
  readonly length: number;
  at(i: number): FaultReportEntry | undefined;
  filter(pred: (e: FaultReportEntry, i: number) => boolean): FaultReportEntry[];
  slice(start?: number, end?: number): FaultReportEntry[];
}

/**
 * The entries of a report built on demand from the graded faults and their outcomes,
 * not kept: on the full bnn universe 3.7 M entry objects (with their id, site and reason
 * strings) were gigabytes and two thirds of a coverage run's time in the collector.
 * Each entry read is built afresh and frozen; the list itself is frozen.
 */
export class FaultEntries implements FaultEntryList {
  readonly length: number;
  readonly #entryAt: (i: number) => FaultReportEntry;
  constructor(length: number, entryAt: (i: number) => FaultReportEntry) {
    this.length = length;
    this.#entryAt = entryAt;
    Object.freeze(this);
  }
  at(i: number): FaultReportEntry | undefined {
    const t = Math.trunc(i);
    const k = t < 0 ? this.length + t : t;
    return k >= 0 && k < this.length ? this.#entryAt(k) : undefined;
  }
  filter(pred: (e: FaultReportEntry, i: number) => boolean): FaultReportEntry[] {
    const out: FaultReportEntry[] = [];
    for (let i = 0; i < this.length; i++) {
      const e = this.#entryAt(i);
      if (pred(e, i)) out.push(e);
    }
    return out;
  }
  slice(start = 0, end = this.length): FaultReportEntry[] {
    const a = Math.max(0, start < 0 ? this.length + start : start);
    const b = Math.min(this.length, end < 0 ? this.length + end : end);
    return Array.from({ length: Math.max(0, b - a) }, (_, k) => this.#entryAt(a + k));
  }
  *[Symbol.iterator](): Iterator<FaultReportEntry> {
    for (let i = 0; i < this.length; i++) yield this.#entryAt(i);
  }
  toJSON(): FaultReportEntry[] {
    return this.slice();
  }
}

/** The entries of a list as an array, built REPORT_STEP_FAULTS at a time (yields the count done): for sinks that read every entry more than once. */
export function* entryArraySteps(list: FaultEntryList): Generator<number, FaultReportEntry[]> {
  if (Array.isArray(list)) return list;
  const out: FaultReportEntry[] = new Array(list.length);
  for (let i = 0; i < list.length; i += REPORT_STEP_FAULTS) {
    const part = list.slice(i, i + REPORT_STEP_FAULTS);
    for (let k = 0; k < part.length; k++) out[i + k] = part[k];
    yield Math.min(list.length, i + REPORT_STEP_FAULTS);
  }
  return Object.freeze(out) as FaultReportEntry[];
}

export interface CoverageReport {
  testbench: { id: string; sha256: string; file: string };
  program: { file: string; vectors: number; testTimeNs: number };
  engine: { id: string; drop: boolean; evaluations: number; fastPathEvaluations: number; elapsedMs: number };
  models: { id: string; title: string; params: Record<string, number> }[];
  universe: UniverseCounts;
  coverage: CoverageRecord;
  cumulative: CumulativePoint[];
  heatmaps: CrossbarHeatmap[];
  faults: FaultEntryList;
}

export interface BuildReportInput {
  testbench: { id: string; sha256: string; file: string };
  programFile: string;
  net: CompiledNetwork;
  vectors: readonly FaultSimVector[];
  faults: readonly Fault[];
  universe: UniverseCounts;
  models: { id: string; title: string; params: Record<string, number> }[];
  result: FaultSimResult;
  drop: boolean;
  pdCredit: number;
  /** Largest heat-map side in bins (default 128). */
  maxHeatmapBins?: number;
  /** Steps of the program besides the spike vectors on the mission weights (a phased program), for the ND reason. */
  otherSteps?: { reads: number; testWeightVectors: number };
  /** Why the generator left a fault undetected (program metadata `generatorReasons`), printed after the report's own reason. */
  generatorReasons?: Readonly<Record<string, string>>;
}

export function buildCoverageReport(inp: BuildReportInput): CoverageReport {
  const steps = coverageReportSteps(inp);
  for (let r = steps.next(); ; r = steps.next()) if (r.done) return r.value;
}

/** Faults between two yields of coverageReportSteps (a few ms of work each). */
export const REPORT_STEP_FAULTS = 8192;

/**
 * buildCoverageReport as a generator: yields the number of faults done (of `inp.faults.length`)
 * every REPORT_STEP_FAULTS faults — 0 throughout the first pass (the coverage counts),
 * which yields too, so a caller's Ctrl-C checkpoint runs during both passes.
 */
export function* coverageReportSteps(inp: BuildReportInput): Generator<number, CoverageReport> {
  const { vectors, faults, result, pdCredit } = inp;
  const counting = coverageOfResultSteps(result, faults, { pdCredit, models: inp.models.map((m) => m.id) });
  let coverage: CoverageRecord;
  for (let r = counting.next(); ; r = counting.next()) {
    if (r.done) {
      coverage = r.value;
      break;
    }
    yield 0;
  }
  yield 0;
  // From the engine's outcome table when it has one in fault order (no outcome object per fault), else from its outcomes.
  // (only when its indices are into these very faults and vectors: a phased program's merged result counts program steps)
  const src = outcomeSourceOf(result);
  const table = src && src.faults === faults && src.table.cls.length === faults.length && sameVectorIds(src.vectors, vectors) ? src.table : null;
  const vIndex = new Map(vectors.map((v, i) => [v.id, i]));
  // Engines return outcomes in fault order: match by index, and build an id map only when that fails (as computeCoverage does).
  let byId: Map<string, FaultSimResult["outcomes"][number]> | null = null;
  const outcomeOf = (f: Fault, i: number) => {
    if (table) return outcomeAt(table, i, f, vectors);
    const o = result.outcomes[i];
    if (o !== undefined && o.faultId === f.id) return o;
    byId ??= new Map(result.outcomes.map((x) => [x.faultId, x]));
    return byId.get(f.id)!;
  };
  const V = vectors.length;
  const dtAt = new Float64Array(V + 1);
  const pdAt = new Float64Array(V + 1);
  const maxBins = inp.maxHeatmapBins ?? 128;
  const heatmaps: CrossbarHeatmap[] = inp.net.layers.map((l, layer) => {
    const rowStep = Math.ceil(l.rows / maxBins);
    const colStep = Math.ceil(l.cols / maxBins);
    const counts = Array.from({ length: Math.ceil(l.rows / rowStep) }, () => new Array<number>(Math.ceil(l.cols / colStep)).fill(0));
    return { layer, rows: l.rows, cols: l.cols, rowStep, colStep, counts, max: 0 };
  });
  for (let i = 0; i < faults.length; i++) {
    if (i > 0 && i % REPORT_STEP_FAULTS === 0) yield i;
    const f = faults[i];
    const n = f.classSize;
    let cls: number; // ClassCode
    let first: number;
    let firstPossible: number;
    if (table) {
      cls = table.cls[i];
      first = table.firstVector[i];
      firstPossible = table.firstPossibleVector[i];
    } else {
      const o = outcomeOf(f, i);
      cls = ClassCode[o.cls];
      first = o.firstVector === null ? -1 : vIndex.get(o.firstVector)!;
      firstPossible = o.firstPossibleVector ? vIndex.get(o.firstPossibleVector)! : first;
    }
    if (cls === ClassCode.DT) {
      const p = firstPossible >= 0 ? firstPossible : first;
      pdAt[p] += n;
      pdAt[first] -= n;
      dtAt[first] += n;
    } else if (cls === ClassCode.PD) pdAt[first] += n;
    const s = f.site;
    if ((cls === ClassCode.ND || cls === ClassCode.AU) && (s.kind === "cell" || s.kind === "cell-series" || s.kind === "cell-read")) {
      const h = heatmaps[s.layer];
      const row = h.counts[Math.floor(s.row / h.rowStep)];
      row[Math.floor(s.col / h.colStep)] += n;
    }
  }
  // Each entry is built when read (FaultEntries), from the same fault and outcome.
  const entryAt = (i: number): FaultReportEntry => {
    const f = faults[i];
    const o = outcomeOf(f, i);
    const own = o.reason ?? defaultReason(o.cls, o.firstVector, V, inp.otherSteps);
    const gen = o.cls !== "DT" ? inp.generatorReasons?.[f.id] : undefined;
    const reason = gen ? `${own ?? o.cls}; generator: ${gen}` : own;
    return deepFreeze({
      id: f.id,
      model: f.modelId,
      site: f.siteId,
      layer: f.layer,
      classSize: f.classSize,
      cls: o.cls,
      firstVector: o.firstVector,
      ...(reason ? { reason } : {}),
      ...(f.equivalents ? { equivalents: f.equivalents } : {}),
      ...(o.detectingVectors ? { detectingVectors: o.detectingVectors } : {}),
    });
  };
  const entries = new FaultEntries(faults.length, entryAt);
  yield faults.length;
  for (const h of heatmaps) h.max = Math.max(0, ...h.counts.map((r) => Math.max(...r)));
  const all = coverage.total.all;
  const testable = all - coverage.total.UD;
  const cumulative: CumulativePoint[] = [];
  let dt = 0;
  let pd = 0;
  for (let k = 0; k < V; k++) {
    dt += dtAt[k];
    pd += pdAt[k];
    const credited = dt + pdCredit * pd;
    cumulative.push({ vectors: k + 1, vectorId: vectors[k]?.id, detected: dt, faultCoverage: all ? credited / all : 0, testCoverage: testable ? credited / testable : 0 });
  }
  // Summed in ps (whole numbers) and converted once: 93.96, not 93.96000000000001.
  const testTimeNs = vectors.reduce((t, v) => t + v.stimulus.windows * (v.stimulus.iwPs + v.stimulus.lwPs) * (v.repetitions ?? 1), 0) / 1000;
  return deepFreeze({
    testbench: inp.testbench,
    program: { file: inp.programFile, vectors: V, testTimeNs },
    engine: { id: result.engine, drop: inp.drop, evaluations: result.evaluations, fastPathEvaluations: result.fastPathEvaluations, elapsedMs: result.elapsedMs },
    models: inp.models,
    universe: inp.universe,
    coverage,
    cumulative,
    heatmaps,
    faults: entries,
  });
}

/**
 * Why a fault the engine classified without a stated reason is not (certainly)
 * detected, in the terms of the class definitions: ND — every vector's response
 * matches the good chip's; PD — some response differs only within the tolerance band
 * or only in some repetitions of a stochastic chip. DT and UD need none here (a UD
 * fault always carries its proof).
 */
export function defaultReason(cls: FaultClass, firstVector: string | null, vectors: number, other?: { reads: number; testWeightVectors: number }): string | undefined {
  if (cls === "ND" && other && other.reads + other.testWeightVectors > 0) {
    return `no step fails with it: its responses to all ${vectors} spike vector(s) on the mission weights and ${other.testWeightVectors} on test weights match the good chip within the tolerance band, and its ${other.reads} READ(s) return the expected bits (or levels)`;
  }
  if (cls === "ND") return `no vector changes the response: all ${vectors} match the good chip within the tolerance band`;
  if (cls === "PD") return `the response differs only within the tolerance band or in some repetitions (first at ${firstVector ?? "?"}); no vector detects it for certain`;
  return undefined;
}
