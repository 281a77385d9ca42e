/**
 * The single-fault universe of a testbench: every fault model at every site it
 * applies to, optionally collapsed (see fault-collapse.ts), with counts per model and
 * per layer, uncollapsed and collapsed.
 *
 *   const { faults, counts } = enumerateFaults(net, bench, loadFaultModels(), { collapse: true });
 *   counts.byModel["dead-synapse"]  // { uncollapsed: 4, collapsed: 4 }
 *   countFaults(net, bench, models)  // the same counts without building Fault objects (bnn: ~3.6 M faults)
 *
 * The walk goes location by location (a cell with its in-cell paths and the segment
 * below it; a neuron), so equivalent faults, which always share a location, are found
 * without a global table.
 */
import type { Testbench } from "../formats/testbench-format.ts";
import { isTernaryArrayModel } from "../formats/fault-model-format.ts";
import { InputError } from "../formats/errors.ts";
import { drainSteps, drainStepsAsync } from "../formats/interrupt-checkpoint.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { resolveSite, type Site } from "../sim/sites.ts";
import { createFaultAnalysis, type FaultAnalysis } from "./fault-analysis.ts";
import { collapseRules, groupByValue, type CollapseRuleId } from "./fault-collapse.ts";
import type { LoadedFaultModel } from "./fault-model-loader.ts";
import { checkParamOverrides, resolveModelParams, type ParamOverrides } from "./fault-params.ts";
import { perturbationsAt, resolveFaultModel, SiteFault, type ResolvedFaultModel } from "./site-fault.ts";
import { deepFreeze } from "./deep-freeze.ts";
import { faultSiteKinds, simKindsOfModel, type FaultSiteKindRegistry } from "./fault-site-kinds.ts";

export interface EnumerateOptions {
  /** Keep one representative per class of equivalent faults (default true). */
  collapse?: boolean;
  /** Only faults at these sites (ids or testbench aliases); unknown ones are a NotFoundError. */
  sites?: readonly string[];
  /** Parameter overrides by model id (default: each file's defaults). */
  params?: ParamOverrides;
  /** Reuse an analysis of the same network. */
  analysis?: FaultAnalysis;
  /** Which simulator sites each fault site kind stands for (default: the `faultSiteKinds` registry). */
  siteKinds?: FaultSiteKindRegistry;
  /**
   * Build fault objects only for faults [start, end) of the (collapsed) universe: `faults`
   * then holds just those, counts still cover everything. What a pool thread grading one
   * slice needs — the walk is the same, so they are the very faults of the whole list.
   */
  only?: { start: number; end: number };
  /**
   * Build fault objects only at these locations (`locationKey`: a cell row with its in-cell
   * paths and the segment below it, or row −1 for the neuron); counts still cover
   * everything. Equivalent faults share a location, so the representatives and class
   * sizes are those of the whole walk — what `coverage --faults` needs of a 1.2 M-fault
   * universe to resolve a few hundred listed ids.
   */
  at?: ReadonlySet<string>;
  /**
   * Walk only these columns (layer-major: layer 0's columns, then layer 1's, …) — or, with
   * `"at"`, only the columns holding a location of `at`. Counts then cover those columns
   * alone: per-column counts add up to the universe's (`addCounts`), which is how a pool
   * counts a large universe in slices while one thread builds the few faults it needs.
   */
  columns?: { start: number; end: number } | "at";
  /** Filled by the walk: cell locations walked, and how many of them were counted from an earlier location's groups (the count walk's memo). */
  stats?: { cellLocations: number; memoised: number };
}

/** The location of a site as `EnumerateOptions.at` names it: `layer.col.row` (row −1 = the neuron; a segment's index is its row). */
export function locationKey(s: Site): string {
  const row = s.kind === "neuron" ? -1 : s.kind === "segment" ? s.index : s.row;
  return `${s.layer}.${s.col}.${row}`;
}

/** Uncollapsed and collapsed fault counts. */
export interface FaultCount {
  uncollapsed: number;
  collapsed: number;
}

/** Frozen, JSON-serialisable counts of a universe. */
export interface UniverseCounts {
  total: FaultCount;
  /** By fault-model id (every selected model, also those with no site). A class counts for its representative's model. */
  byModel: Record<string, FaultCount>;
  /** By layer index. */
  byLayer: FaultCount[];
  /** Faults merged into another representative, per collapsing rule. */
  rules: { rule: CollapseRuleId; title: string; merged: number }[];
  /** Parameter values used, by model id. */
  params: Record<string, Record<string, number>>;
}

export interface FaultUniverse {
  /** The faults (representatives when collapsed), in walk order: layer, column, neuron, then row. */
  faults: SiteFault[];
  counts: UniverseCounts;
  models: ResolvedFaultModel[];
  analysis: FaultAnalysis;
}

type SimKind = Site["kind"];

/** One group of equivalent members of a location, with the collapse rule that merged it (null: alone). */
interface LocationGroup {
  group: Member[];
  rule: CollapseRuleId | null;
}

/** The groups of a cell location, kept for the later locations of the same key; `tally`: what the counter made of them, once. */
interface MemoLocation {
  groups: LocationGroup[];
  tally?: unknown;
}

/** Memo locations by weight, cell ohms, segment ohms and row-0-ness (numbers as keys: a double's string form costs more than the walk). */
class LocationMemo {
  private byOhms = new Map<number, Map<number, Map<number, [MemoLocation | undefined, MemoLocation | undefined]>>>();
  get(w: number, ohms: number, segOhms: number, row0: boolean): MemoLocation | undefined {
    return this.byOhms.get(ohms)?.get(segOhms)?.get(w)?.[row0 ? 1 : 0];
  }
  set(w: number, ohms: number, segOhms: number, row0: boolean, loc: MemoLocation): void {
    let bySeg = this.byOhms.get(ohms);
    if (!bySeg) this.byOhms.set(ohms, (bySeg = new Map()));
    let byW = bySeg.get(segOhms);
    if (!byW) bySeg.set(segOhms, (byW = new Map()));
    let slots = byW.get(w);
    if (!slots) byW.set(w, (slots = [undefined, undefined]));
    slots[row0 ? 1 : 0] = loc;
  }
}

/** What the walk hands its groups to. */
interface WalkSink {
  /** A group of equivalent members (`built`: fault objects are built at this location). */
  group(group: Member[], layer: number, rule: CollapseRuleId | null, built: boolean): void;
  /** The groups of an earlier location again, at a location where nothing is built. */
  again(loc: MemoLocation, layer: number): void;
}

interface Member {
  m: number;
  kind: SimKind;
  /** The site (only when materialising fault objects). */
  site: Site | null;
  /** Collapse value (equivalent cell ohms, segment ohms, neuron key); null = no effect. */
  value: number | string | null;
}

interface Selection {
  models: ResolvedFaultModel[];
  /** Per model: simulator kinds it sits on. */
  kinds: Set<SimKind>[];
  layerOk: (m: number, layer: number) => boolean;
  weightOk: (m: number, w: number) => boolean;
}

function select(models: readonly LoadedFaultModel[], overrides: ParamOverrides, siteKinds: FaultSiteKindRegistry): Selection {
  checkParamOverrides(models, overrides);
  const resolved = models.map((lm) => resolveFaultModel(lm, resolveModelParams(lm, overrides[lm.id])));
  const kinds = models.map((lm) => simKindsOfModel(lm, siteKinds));
  return {
    models: resolved,
    kinds,
    layerOk: (m, layer) => models[m].model.appliesTo.layers?.includes(layer) ?? true,
    weightOk: (m, w) => models[m].model.appliesTo.weights?.includes(w) ?? true,
  };
}

/** Walk every location, calling `emit` with each group of equivalent members (or each member alone); yields after each column. */
function* walk(
  net: CompiledNetwork,
  sel: Selection,
  analysis: FaultAnalysis,
  collapse: boolean,
  siteFilter: Map<string, Set<SimKind>> | null,
  materialiseAll: boolean,
  at: ReadonlySet<string> | null,
  columns: EnumerateOptions["columns"] | null,
  stats: EnumerateOptions["stats"] | null,
  sink: WalkSink,
): Generator<void, void> {
  const emit = (group: Member[], layer: number, rule: CollapseRuleId | null, built: boolean) => sink.group(group, layer, rule, built);
  // fault objects are built at a location when materialising, and (with `at`) only where listed
  let materialise = materialiseAll;
  const cellCache = new Map<string, number | null>();
  const segCache = new Map<string, number | null>();
  const M = sel.models.length;
  const byKind = (k: SimKind) => [...Array(M).keys()].filter((m) => sel.kinds[m].has(k));
  // appliesTo.cells: binary MTJ or multi-level domain-wall synapses (testbench device.domainWall)
  const cellKind = net.device.domainWall ? "multi-level" : "binary";
  const cellModels = byKind("cell").filter((m) => (sel.models[m].model.appliesTo.cells ?? cellKind) === cellKind);
  const seriesModels = byKind("cell-series");
  const readModels = byKind("cell-read");
  const segModels = byKind("segment");
  const neuronModels = byKind("neuron");

  // A fault's effect depends only on the element's fault-free state: cache it per (model, kind, state).
  const cellValue = (m: number, kind: SimKind, site: () => Site, w: number, ohms: number): number | null => {
    // A storage fault behaves differently under WRITE and over a pause: equal on the mission weights is not equivalent.
    if (sel.models[m].storage) return null;
    const key = `${m}|${kind}|${w}|${ohms}`;
    let v = cellCache.get(key);
    if (v === undefined) {
      const fx = analysis.effects.effectOf(perturbationsAt(sel.models[m], site()));
      v = fx.length === 1 && fx[0].kind === "cell" ? fx[0].newOhms : null;
      cellCache.set(key, v);
    }
    return v;
  };
  const segValue = (m: number, site: () => Site, ohms: number): number | null => {
    const key = `${m}|${ohms}`;
    let v = segCache.get(key);
    if (v === undefined) {
      const fx = analysis.effects.effectOf(perturbationsAt(sel.models[m], site()));
      v = fx.length === 1 && fx[0].kind === "segment" ? fx[0].newOhms : null;
      segCache.set(key, v);
    }
    return v;
  };

  /** The groups of a location's members (each member alone when not collapsing), appended to `out`. */
  const groupsOf = (members: Member[], ruleOf: (g: Member[]) => CollapseRuleId, out: LocationGroup[]) => {
    if (members.length === 0) return;
    if (!collapse) {
      for (const mb of members) out.push({ group: [mb], rule: null });
      return;
    }
    for (const g of groupByValue(members)) out.push({ group: g, rule: g.length > 1 ? ruleOf(g) : null });
  };
  const flush = (members: Member[], layer: number, ruleOf: (g: Member[]) => CollapseRuleId) => {
    const out: LocationGroup[] = [];
    groupsOf(members, ruleOf, out);
    for (const g of out) emit(g.group, layer, g.rule, materialise);
  };
  const cellRule = (g: Member[]): CollapseRuleId =>
    g.some((x) => x.kind === "segment") && g.some((x) => x.kind !== "segment") ? "series-chain" : "identical-effect";
  const neuronRule = (g: Member[]): CollapseRuleId => (g[0].value === "silent" ? "silent-neuron" : "identical-effect");

  const allowed = (layer: number, col: number, row: number, kind: SimKind): boolean => {
    if (!siteFilter) return true;
    return siteFilter.get(`${layer}.${col}.${row}`)?.has(kind) ?? false;
  };

  // `at` by column ("layer.col" → rows), so a column with nothing listed costs one lookup
  const atColumns = new Map<string, Set<number>>();
  for (const k of at ?? []) {
    const [layer, col, row] = k.split(".");
    const key = `${layer}.${col}`;
    atColumns.set(key, (atColumns.get(key) ?? new Set()).add(Number(row)));
  }
  let columnBase = 0;
  for (let li = 0; li < net.layers.length; li++) {
    const l = net.layers[li];
    const rows = l.rows;
    const locationMemo = new LocationMemo(); // per layer: which models apply depends on it
    const base = columnBase;
    columnBase += l.cols;
    const cols = siteFilter ? [...new Set([...siteFilter.keys()].filter((k) => k.startsWith(`${li}.`)).map((k) => Number(k.split(".")[1])))].sort((a, b) => a - b) : null;
    const colCount = cols ? cols.length : l.cols;
    for (let ci = 0; ci < colCount; ci++) {
      const c = cols ? cols[ci] : ci;
      const atCol = at ? atColumns.get(`${li}.${c}`) : undefined;
      if (columns === "at" ? !atCol : columns && (base + c < columns.start || base + c >= columns.end)) continue;
      // Neuron location.
      materialise = materialiseAll && (!at || (atCol?.has(-1) ?? false));
      const nMembers: Member[] = [];
      const neuronSite: Site = { kind: "neuron", layer: li, col: c }; // shared by the models' faults, as a cell's below
      for (const m of neuronModels) {
        if (!sel.layerOk(m, li) || !allowed(li, c, -1, "neuron")) continue;
        const site = neuronSite;
        const fx = analysis.effects.effectOf(perturbationsAt(sel.models[m], site));
        let value: string | null = null;
        if (fx.length === 1 && fx[0].kind === "neuron") {
          const p = fx[0].params;
          value = analysis.faultyCanFire(fx, li, c)
            ? `${p.criticalCurrentUa}|${p.gainPerUaNs}|${p.leakTauNs}|${p.threshold}|${p.sigmoidWidth}|${fx[0].newInputOhms}`
            : "silent";
        }
        nMembers.push({ m, kind: "neuron", site, value });
      }
      flush(nMembers, li, neuronRule);
      // Cell locations (row r: the cell, its in-cell paths, and segment r below it).
      const o = c * rows;
      const rowList = siteFilter
        ? [...new Set([...siteFilter.keys()].filter((k) => k.startsWith(`${li}.${c}.`)).map((k) => Number(k.split(".")[2])))].filter((r) => r >= 0).sort((a, b) => a - b)
        : null;
      const rowCount = rowList ? rowList.length : rows;
      for (let ri = 0; ri < rowCount; ri++) {
        const r = rowList ? rowList[ri] : ri;
        materialise = materialiseAll && (!at || (atCol?.has(r) ?? false));
        const w = l.weights[o + r];
        const ohms = l.cellOhms[o + r];
        // a cell location's groups depend only on its layer, weight, cell and segment ohms and
        // whether it is row 0 (see the note on the caches above): counted from the first such
        // location's groups when no fault object is built here (bnn-mnist's count walk: 1.45 → 0.16 s)
        const memoised = !materialise && !siteFilter;
        const segOhms = segModels.length ? l.segmentOhms[o + r] : 0;
        const seen = memoised ? locationMemo.get(w, ohms, segOhms, r === 0) : undefined;
        if (stats) stats.cellLocations++;
        if (seen) {
          if (stats) stats.memoised++;
          sink.again(seen, li);
          continue;
        }
        const cellMembers: Member[] = [];
        const segMembers: Member[] = [];
        const readMembers: Member[] = [];
        // one site object per kind at a location, shared by its models' faults (sites are never
        // mutated): 6.9 M faults on bnn held a site each, a third of the heap the collector marks
        const sites: Partial<Record<SimKind, Site>> = {};
        const cellSite = (kind: SimKind): Site => (sites[kind] ??= { kind, layer: li, row: r, col: c } as Site);
        for (const m of cellModels) {
          if (!sel.layerOk(m, li) || !sel.weightOk(m, w) || !allowed(li, c, r, "cell")) continue;
          cellMembers.push({ m, kind: "cell", site: materialise ? cellSite("cell") : null, value: cellValue(m, "cell", () => cellSite("cell"), w, ohms) });
        }
        for (const m of segModels) {
          if (!sel.layerOk(m, li) || !allowed(li, c, r, "segment")) continue;
          const site = (): Site => (sites.segment ??= { kind: "segment", layer: li, col: c, index: r });
          const s = l.segmentOhms[o + r];
          const nv = segValue(m, site, s);
          const mb: Member = { m, kind: "segment", site: materialise ? site() : null, value: nv };
          // Segment 0 is in series with the row-0 cell alone: compare as an equivalent cell branch.
          if (r === 0) cellMembers.push({ ...mb, value: nv === null ? null : ohms + (nv - s) });
          else segMembers.push(mb);
        }
        for (const m of seriesModels) {
          if (!sel.layerOk(m, li) || !sel.weightOk(m, w) || !allowed(li, c, r, "cell-series")) continue;
          cellMembers.push({ m, kind: "cell-series", site: materialise ? cellSite("cell-series") : null, value: cellValue(m, "cell-series", () => cellSite("cell-series"), w, ohms) });
        }
        for (const m of readModels) {
          if (!sel.layerOk(m, li) || !sel.weightOk(m, w) || !allowed(li, c, r, "cell-read")) continue;
          readMembers.push({ m, kind: "cell-read", site: materialise ? cellSite("cell-read") : null, value: null });
        }
        const groups: LocationGroup[] = [];
        groupsOf(cellMembers, cellRule, groups);
        groupsOf(segMembers, cellRule, groups);
        groupsOf(readMembers, cellRule, groups);
        if (memoised) locationMemo.set(w, ohms, segOhms, r === 0, { groups });
        for (const g of groups) emit(g.group, li, g.rule, materialise);
      }
      yield; // a column done: the async driver may give Ctrl-C a turn here
    }
  }
}

function parseSiteFilter(net: CompiledNetwork, bench: Testbench, sites: readonly string[]): Map<string, Set<SimKind>> {
  const out = new Map<string, Set<SimKind>>();
  for (const id of sites) {
    const s = resolveSite(net, id, bench.siteAliases);
    const row = s.kind === "neuron" ? -1 : s.kind === "segment" ? s.index : s.row;
    const key = `${s.layer}.${s.col}.${row}`;
    const set = out.get(key) ?? new Set<SimKind>();
    set.add(s.kind);
    out.set(key, set);
  }
  return out;
}

function emptyCounts(sel: Selection, net: CompiledNetwork): UniverseCounts {
  const byModel: Record<string, FaultCount> = {};
  const params: Record<string, Record<string, number>> = {};
  for (const m of sel.models) {
    byModel[m.id] = { uncollapsed: 0, collapsed: 0 };
    params[m.id] = { ...m.params };
  }
  return {
    total: { uncollapsed: 0, collapsed: 0 },
    byModel,
    byLayer: net.layers.map(() => ({ uncollapsed: 0, collapsed: 0 })),
    rules: (Object.keys(collapseRules) as CollapseRuleId[]).map((rule) => ({ rule, title: collapseRules[rule], merged: 0 })),
    params,
  };
}

/** Faults per piece of a universe being built (fault-universe's `run`). */
const UNIVERSE_PIECE_FAULTS = 65_536;

function* run(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], opts: EnumerateOptions, materialise: boolean) {
  const ternary = models.find((m) => isTernaryArrayModel(m.model));
  if (ternary) throw new InputError(`${ternary.file}: fault model "${ternary.id}" (extent ${ternary.model.extent}, written-value condition or dvPerTick) is for ternary-array benches; ${bench.id} is a crossbar: leave it out of --models`);
  const sel = select(models, opts.params ?? {}, opts.siteKinds ?? faultSiteKinds);
  const analysis = opts.analysis ?? createFaultAnalysis(net);
  const filter = opts.sites ? parseSiteFilter(net, bench, opts.sites) : null;
  const counts = emptyCounts(sel, net);
  // built in pieces and joined once at the end: pushing onto one array of millions copied it
  // whole at each growth (0.3 s without a turn for Ctrl-C at 4–5 M faults on bnn)
  const pieces: SiteFault[][] = [[]];
  const ruleIndex = new Map(counts.rules.map((r, i) => [r.rule, i]));
  const only = opts.only;
  // tallied in arrays (model index, layer, rule index) and written into `counts` at the end
  const M = sel.models.length;
  const modelU = new Float64Array(M);
  const modelC = new Float64Array(M);
  const layerU = new Float64Array(net.layers.length);
  const layerC = new Float64Array(net.layers.length);
  const merged = new Float64Array(counts.rules.length);
  let emitted = 0;
  /** A location's tally: per model uncollapsed / collapsed, per rule merged, and its faults both ways. */
  type Tally = { modelU: Float64Array; modelC: Float64Array; merged: Float64Array; uncollapsed: number; collapsed: number };
  const tallyOf = (groups: readonly LocationGroup[]): Tally => {
    const t: Tally = { modelU: new Float64Array(M), modelC: new Float64Array(M), merged: new Float64Array(merged.length), uncollapsed: 0, collapsed: groups.length };
    for (const { group, rule } of groups) {
      t.uncollapsed += group.length;
      t.modelC[group[0].m] += 1;
      for (const mb of group) t.modelU[mb.m] += 1;
      if (rule) t.merged[ruleIndex.get(rule)!] += group.length - 1;
    }
    return t;
  };
  yield* walk(net, sel, analysis, opts.collapse ?? true, filter, materialise, opts.at ?? null, opts.columns ?? null, opts.stats ?? null, {
    group(group, layer, rule, built) {
      const rep = group[0];
      layerU[layer] += group.length;
      layerC[layer] += 1;
      modelC[rep.m] += 1;
      for (const mb of group) modelU[mb.m] += 1;
      if (rule) merged[ruleIndex.get(rule)!] += group.length - 1;
      const k = emitted++;
      if (built && (!only || (k >= only.start && k < only.end))) {
        const eq = group.length > 1 ? group.slice(1).map((mb) => new SiteFault(sel.models[mb.m], mb.site!).id) : undefined;
        let piece = pieces[pieces.length - 1];
        if (piece.length === UNIVERSE_PIECE_FAULTS) pieces.push((piece = []));
        piece.push(new SiteFault(sel.models[rep.m], rep.site!, group.length, eq));
      }
    },
    again(loc, layer) {
      const t = (loc.tally ??= tallyOf(loc.groups)) as Tally;
      layerU[layer] += t.uncollapsed;
      layerC[layer] += t.collapsed;
      for (let m = 0; m < M; m++) (modelU[m] += t.modelU[m]), (modelC[m] += t.modelC[m]);
      for (let r = 0; r < merged.length; r++) merged[r] += t.merged[r];
      emitted += t.collapsed;
    },
  });
  sel.models.forEach((m, i) => {
    counts.byModel[m.id].uncollapsed += modelU[i];
    counts.byModel[m.id].collapsed += modelC[i];
  });
  counts.byLayer.forEach((c, li) => {
    c.uncollapsed = layerU[li];
    c.collapsed = layerC[li];
    counts.total.uncollapsed += layerU[li];
    counts.total.collapsed += layerC[li];
  });
  counts.rules.forEach((r, i) => (r.merged = merged[i]));
  const faults = pieces.length === 1 ? pieces[0] : ([] as SiteFault[]).concat(...pieces); // one allocation of the joined length
  return { faults, counts: deepFreeze(counts), models: sel.models, analysis };
}

/** Enumerate (and by default collapse) the single-fault universe. */
export function enumerateFaults(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], opts: EnumerateOptions = {}): FaultUniverse {
  return drainSteps(run(net, bench, models, opts, true));
}

/**
 * enumerateFaults for the main thread of a command: after each column `pause()` is
 * awaited (e.g. an interrupt checkpoint that throws on Ctrl-C), so enumerating the
 * 6.9 M-fault bnn universe can be stopped within a column's time.
 */
export async function enumerateFaultsAsync(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], opts: EnumerateOptions, pause: () => Promise<void>): Promise<FaultUniverse> {
  return drainStepsAsync(run(net, bench, models, opts, true), pause);
}

/** countFaults with a `pause()` after every column (see enumerateFaultsAsync). */
export async function countFaultsAsync(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], opts: EnumerateOptions, pause: () => Promise<void>): Promise<UniverseCounts> {
  return (await drainStepsAsync(run(net, bench, models, opts, false), pause)).counts;
}

/** The sum of counts of disjoint parts of one universe (e.g. column slices, `EnumerateOptions.columns`). */
export function addCounts(parts: readonly UniverseCounts[]): UniverseCounts {
  const add = (a: FaultCount, b: FaultCount) => {
    a.uncollapsed += b.uncollapsed;
    a.collapsed += b.collapsed;
  };
  const sum = structuredClone(parts[0]) as UniverseCounts;
  for (const p of parts.slice(1)) {
    add(sum.total, p.total);
    for (const [id, c] of Object.entries(p.byModel)) add(sum.byModel[id], c);
    p.byLayer.forEach((c, i) => add(sum.byLayer[i], c));
    p.rules.forEach((r, i) => (sum.rules[i].merged += r.merged));
  }
  return deepFreeze(sum);
}

/** Count the universe without building Fault objects (same numbers as enumerateFaults). */
export function countFaults(net: CompiledNetwork, bench: Testbench, models: readonly LoadedFaultModel[], opts: EnumerateOptions = {}): UniverseCounts {
  return drainSteps(run(net, bench, models, opts, false)).counts;
}
