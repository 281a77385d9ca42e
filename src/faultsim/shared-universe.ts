/**
 * A fault list as pool threads share it: three Int32 per fault in a SharedArrayBuffer
 * (model index, site kind and layer packed; column; row or segment index) plus the resolved
 * models once, so a thread grading a slice rebuilds exactly the main thread's faults
 * for that slice — O(slice) small objects — instead of walking and collapsing the
 * whole universe again (bnn: 3.7 M faults, ~5 CPU-s per thread). Only universe faults
 * (`SiteFault`) can be shared this way; `shareFaults` returns null otherwise and the
 * threads rebuild from the spec as before.
 *
 * Slices are cut at column boundaries (`columnBlockBounds`), so every column's faults —
 * a column batch, its sensitivities — stay on one thread.
 *
 *   const u = shareFaults(faults);           // main thread
 *   const mine = sharedFaultSlice(u, 0, 1000);   // a pool thread: SiteFaults 0..999
 */
import type { Fault } from "../faults/fault.ts";
import { SiteFault, type ResolvedFaultModel } from "../faults/site-fault.ts";
import { perThread, readShared, shareValue, type Shared } from "../parallel/shared-value.ts";
import type { Site } from "../sim/sites.ts";
import { InterruptedError } from "../formats/errors.ts";

const kinds = ["neuron", "cell", "cell-series", "cell-read", "segment"] as const satisfies readonly Site["kind"][];
const kindCode = Object.fromEntries(kinds.map((k, i) => [k, i])) as Record<Site["kind"], number>;
/** Int32 per fault: model | kind << 16 | layer << 20, column, row or segment index (−1 for a neuron). Three, not five: the 3.66 M-fault table is 44 MB, and this VM pays ~2.6 ms per MB the caller touches first. */
const FIELDS = 3;
const MAX_MODEL = 0xffff;
const MAX_LAYER = 0x7ff;

/** A shared fault list. */
export interface SharedFaults {
  /** Int32 × 3 per fault (FIELDS): model | kind << 16 | layer << 20, col, row (cell kinds) or index (segment), −1 for neurons. */
  table: SharedArrayBuffer;
  /** The distinct resolved models, by model index. */
  models: Shared<ResolvedFaultModel[]>;
  count: number;
}

/** Encode a fault list for the pool threads, or null when some fault is not a universe fault. */
export function shareFaults(faults: readonly Fault[]): SharedFaults | null {
  const enc = faultEncoder(faults);
  return enc.encode(0, faults.length) ? enc.done() : null;
}

/** Faults encoded between turns of the event loop (shareFaultsAsync). */
const ENCODE_CHUNK = 1 << 18;

/**
 * shareFaults in chunks of 262,144 faults with a turn of the event loop between them, so the
 * pool can hand its threads tasks posted before (on bnn encoding 3.66 M faults takes 0.2–0.3 s
 * of this thread: the threads' start-up or set-up tasks waited in the pool's queue for all of
 * it — a task reaches a thread only when this thread hears that the one before it ended).
 */
export async function shareFaultsAsync(faults: readonly Fault[], signal?: AbortSignal): Promise<SharedFaults | null> {
  const enc = faultEncoder(faults);
  for (let a = 0; a < faults.length; a += ENCODE_CHUNK) {
    if (a > 0) await new Promise((resolve) => setImmediate(resolve));
    if (signal?.aborted) throw new InterruptedError("interrupted while sharing the faults with the threads");
    if (!enc.encode(a, Math.min(faults.length, a + ENCODE_CHUNK))) return null;
  }
  return enc.done();
}

/** The list each shared table was encoded from (isSharingOf). */
const sharedFrom = new WeakMap<SharedFaults, readonly Fault[]>();
/** Each table's runs of one layer, noted while it was encoded: run k is [runs[k], runs[k + 1]) (campaignSplit). */
const layerRunsOf = new WeakMap<SharedFaults, number[]>();

/** Whether `u` was encoded from this very list (a caller's table handed to a campaign: ParallelOptions.sharedFaults). */
export function isSharingOf(u: SharedFaults, faults: readonly Fault[]): boolean {
  return sharedFrom.get(u) === faults && u.count === faults.length;
}

function faultEncoder(faults: readonly Fault[]) {
  const table = new SharedArrayBuffer(Math.max(4, faults.length * FIELDS * 4));
  const t = new Int32Array(table);
  const models: ResolvedFaultModel[] = [];
  const modelIndex = new Map<ResolvedFaultModel, number>();
  const layerStarts: number[] = []; // where each run of one layer begins (campaignSplit)
  return {
    /** Encode faults [a, b) (chunks in order); false when one cannot be. */
    encode(a: number, b: number): boolean {
      for (let i = a; i < b; i++) {
        const f = faults[i];
        if (!(f instanceof SiteFault)) return false;
        let m = modelIndex.get(f.resolved);
        if (m === undefined) {
          m = models.length;
          models.push(f.resolved);
          modelIndex.set(f.resolved, m);
        }
        const s = f.site;
        if (m > MAX_MODEL || !(s.layer >= 0 && s.layer <= MAX_LAYER)) return false; // beyond the packed fields: the threads rebuild from the spec
        const o = i * FIELDS;
        if (i === 0 || s.layer !== t[o - FIELDS] >>> 20) layerStarts.push(i);
        t[o] = m | (kindCode[s.kind] << 16) | (s.layer << 20);
        t[o + 1] = s.col;
        t[o + 2] = s.kind === "neuron" ? -1 : s.kind === "segment" ? s.index : s.row;
      }
      return true;
    },
    done: (): SharedFaults => {
      const u = { table, models: shareValue(models), count: faults.length };
      sharedFrom.set(u, faults);
      layerRunsOf.set(u, [...layerStarts, faults.length]);
      return u;
    },
  };
}

/**
 * Faults [start, end) of a shared list (sharedFaultRanges with one range).
 */
export function sharedFaultSlice(u: SharedFaults, start: number, end: number): readonly Fault[] {
  return sharedFaultRanges(u, [start, end]);
}

/**
 * The faults of some ranges of a shared list ([start, end) pairs, flat), in that order, as a
 * read-only array whose SiteFaults are built when an index is read, and not kept (a fresh object per read): a thread grading 3.66 M faults
 * held them all, ~0.5 GB and seconds of the collector's marking, though the engine reads each
 * once to plan it (and again only to re-simulate a fault whole). Length, indices, `in`,
 * iteration, spread, Array.from, map / filter / slice / find work as on an array; identity does
 * not (`list[0] !== list[0]`, so indexOf / includes of an element fail), it cannot be
 * structured-cloned, sorted or written, and Object.keys sees nothing. The engine's hot reads go
 * through sharedFaultAt / sharedSiteColumns. With `window`, the list ends with that many more
 * places, which pointFaultWindow points at a range of the shared list (a pooled thread's
 * claimed chunks, one after another: CampaignOptions.tail); until then they hold the first faults of the list.
 */
export function sharedFaultRanges(u: SharedFaults, ranges: readonly number[], window = 0): readonly Fault[] {
  return perThread(u.models, `faults ${ranges.join(",")}${window > 0 ? ` window ${window}` : ""}`, () => {
    const models = readShared(u.models);
    const t = new Int32Array(u.table);
    const own = globalIndices(ranges);
    const at0 = window > 0 ? new Int32Array(own.length + window) : own; // list index → index in the shared list
    if (window > 0) at0.set(own);
    const n = at0.length;
    const at = (k: number): Fault => {
      const o = at0[k] * FIELDS;
      const head = t[o];
      const kind = kinds[(head >>> 16) & 0xf];
      const layer = head >>> 20;
      const col = t[o + 1];
      const x = t[o + 2];
      const site: Site = kind === "neuron" ? { kind, layer, col } : kind === "segment" ? { kind, layer, col, index: x } : { kind, layer, row: x, col };
      return new SiteFault(models[head & MAX_MODEL], site);
    };
    const index = (p: string | symbol): number => {
      if (typeof p !== "string") return -1;
      const k = Number(p);
      return Number.isInteger(k) && k >= 0 && k < n && String(k) === p ? k : -1;
    };
    // The target holds nothing but a writable length, so the proxy may report any length and index.
    const list = new Proxy([] as Fault[], {
      get(target, p, receiver) {
        if (p === "length") return n;
        const k = index(p);
        return k >= 0 ? at(k) : Reflect.get(target, p, receiver);
      },
      has: (target, p) => index(p) >= 0 || Reflect.has(target, p),
      set: () => false,
      deleteProperty: () => false,
    });
    sharedSlices.set(list, { t, at0, at, window: window > 0 ? own.length : -1 });
    return list;
  });
}

/** The indices [start, end) of each range, in order. */
export function globalIndices(ranges: readonly number[]): Int32Array {
  let n = 0;
  for (let r = 0; r < ranges.length; r += 2) n += ranges[r + 1] - ranges[r];
  const out = new Int32Array(n);
  let k = 0;
  for (let r = 0; r < ranges.length; r += 2) for (let i = ranges[r]; i < ranges[r + 1]; i++) out[k++] = i;
  return out;
}

/** Per list: the shared table, each place's index in it, the fault builder, and where its window starts (−1: none). */
const sharedSlices = new WeakMap<object, { t: Int32Array; at0: Int32Array; at: (k: number) => Fault; window: number }>();

/** Point the window of a list from sharedFaultRanges at faults [a, b) of the shared list: its first b − a places (the rest keep what they held). */
export function pointFaultWindow(list: readonly Fault[], a: number, b: number): void {
  const s = sharedSlices.get(list);
  if (!s || s.window < 0) throw new Error("pointFaultWindow: not a shared fault list with a window");
  if (b - a > s.at0.length - s.window || a < 0 || b < a) throw new Error(`pointFaultWindow: faults [${a}, ${b}) do not fit a window of ${s.at0.length - s.window}`);
  for (let k = 0; k < b - a; k++) s.at0[s.window + k] = a + k;
}

/** For a list from sharedFaultSlice: fault i built straight from the table (what `list[i]` gives, without the proxy's key conversion), else null. */
export function sharedFaultAt(faults: readonly Fault[]): ((i: number) => Fault) | null {
  return sharedSlices.get(faults)?.at ?? null;
}

/** For a list from sharedFaultSlice: fault i's layer and column read from the shared table (no fault object built), else null. */
export function sharedSiteColumns(faults: readonly Fault[]): { layer(i: number): number; col(i: number): number } | null {
  const s = sharedSlices.get(faults);
  if (!s) return null;
  const { t, at0 } = s;
  return { layer: (i) => t[at0[i] * FIELDS] >>> 20, col: (i) => t[at0[i] * FIELDS + 1] };
}

/** How a pooled campaign's faults are cut (campaignSplit): each thread's own share, and the tail the threads claim. */
export interface CampaignSplit {
  /** Per thread: its share, [start, end) pairs (flat), ascending — graded first, in one engine run. */
  slices: number[][];
  /** The tail: chunks of one range each, claimed one at a time by whichever thread is free (output layer first). */
  chunks: number[][];
}

/** The share of each layer's faults left to the claimed tail (campaignSplit). */
export const CLAIMED_TAIL = 0.4;

/**
 * The fault list cut for `threads` threads. Each layer's run of the list (universe order is
 * layer by layer) is cut where a column ends at 1 − `tail` of its faults. The part before is
 * each thread's own share — blocks of whole columns (`blocksPerThread` per thread and layer)
 * dealt out back and forth (0, 1, …, n−1, n−1, …, 0, 0, 1, …; one deal across the layers, empty
 * blocks skipped), so every thread grades columns from the whole chip and its share of every
 * layer. The part after is the tail: `tailChunksPerThread` chunks per thread and layer (as
 * columns allow), which the threads claim one at a time when their own share is done, and
 * grade in the same engine run (parallel-campaign.ts, fast-engine.ts), the deepest layer's first.
 *
 * Why both: a fault's cost is not its share of the list (on bnn with 64 random vectors the
 * first half of the hidden columns took 24 % more fault-vector evaluations than the second;
 * the output layer's 46,040 faults are graded one by one), and this VM's two vCPUs often do
 * not run at one speed (18–31 % apart for minutes, once 1.8× for the same work: the slower
 * thread then ended 0.5–1 s after the other), which no split fixed before the threads start
 * can follow; the tail evens the end out. A tail of 40 % in 16 chunks per layer on 2 threads
 * evened out every run measured (2026-12-04); all of it claimed cost ~5 % more CPU on bnn
 * (7.68 vs 7.27 CPU-s), 15 % left one run 0.5 s apart.
 */
export function campaignSplit(faults: readonly Fault[], threads: number, o: { tail?: number; blocksPerThread?: number; tailChunksPerThread?: number; shared?: SharedFaults } = {}): CampaignSplit {
  const { tail = CLAIMED_TAIL, blocksPerThread = 8, tailChunksPerThread = 8 } = o;
  const sites = siteColumnsOf(faults, o.shared);
  const slices: number[][] = Array.from({ length: Math.max(1, threads) }, () => []);
  const tails: { layer: number; chunks: number[][] }[] = [];
  let dealt = 0;
  const runs = layerRuns(faults, sites, o.shared);
  for (let r = 0; r + 1 < runs.length; r++) {
    const [a, b] = [runs[r], runs[r + 1]];
    const layer = sites.layer(a);
    // the cut where a column ends, at 1 − tail of the run (the whole run is own share for one thread or no tail)
    const cut = threads <= 1 || tail <= 0 ? b : columnEnd(sites, Math.round(a + (1 - tail) * (b - a)), a, b);
    const bounds = blockBounds(sites, threads * blocksPerThread, a, cut);
    for (let k = 0; k < bounds.length - 1; k++) {
      if (bounds[k + 1] === bounds[k]) continue;
      const round = Math.floor(dealt / threads);
      const thread = round % 2 === 0 ? dealt % threads : threads - 1 - (dealt % threads);
      dealt++;
      const mine = slices[thread];
      if (mine.length > 0 && mine[mine.length - 1] === bounds[k]) mine[mine.length - 1] = bounds[k + 1]; // adjacent to its last block: one range
      else mine.push(bounds[k], bounds[k + 1]);
    }
    if (cut < b) {
      const t = blockBounds(sites, threads * tailChunksPerThread, cut, b);
      const chunks: number[][] = [];
      for (let k = 0; k + 1 < t.length; k++) if (t[k + 1] > t[k]) chunks.push([t[k], t[k + 1]]);
      tails.push({ layer, chunks });
    }
  }
  const chunks = tails.sort((x, y) => y.layer - x.layer).flatMap((t) => t.chunks);
  return { slices, chunks };
}

/**
 * Cut faults [from, to) (default: all) into `n` contiguous slices of about equal size, each
 * ending where a column ends (faults of one layer and column are contiguous in universe
 * order): bounds[k]..bounds[k+1], from `from` to `to`.
 */
export function columnBlockBounds(faults: readonly Fault[], n: number, from = 0, to = faults.length): number[] {
  return blockBounds(siteColumnsOf(faults), n, from, to);
}

/** Fault i's layer and column, as the cuts read them. */
interface SiteColumns {
  layer(i: number): number;
  col(i: number): number;
}

/**
 * The sites of `faults`: from the shared table encoded from them when there is one — a loop
 * over typed arrays; the fault objects' sites were a megamorphic load, 58 ms of the campaign's
 * start on bnn (3.66 M faults) and compiled again there (--trace-opt) — else from the objects.
 */
function siteColumnsOf(faults: readonly Fault[], shared?: SharedFaults): SiteColumns {
  if (shared && isSharingOf(shared, faults)) {
    const t = new Int32Array(shared.table);
    return { layer: (i) => t[i * FIELDS] >>> 20, col: (i) => t[i * FIELDS + 1] };
  }
  return { layer: (i) => faults[i].site.layer, col: (i) => faults[i].site.col };
}

/** Where each run of one layer begins, then the list's end: noted when the table was encoded, else found here. */
function layerRuns(faults: readonly Fault[], sites: SiteColumns, shared?: SharedFaults): number[] {
  const noted = shared && isSharingOf(shared, faults) ? layerRunsOf.get(shared) : undefined;
  if (noted) return noted;
  const runs: number[] = [];
  for (let i = 0; i < faults.length; i++) if (i === 0 || sites.layer(i) !== sites.layer(i - 1)) runs.push(i);
  runs.push(faults.length);
  return runs;
}

function blockBounds(sites: SiteColumns, n: number, from: number, to: number): number[] {
  const bounds = [from];
  for (let k = 1; k < n; k++) bounds.push(columnEnd(sites, Math.max(bounds[k - 1], from + Math.round((k * (to - from)) / n)), from, to));
  bounds.push(to);
  return bounds;
}

/** The first place at or after `at` in [from, to) where a column ends (`to` if none): faults of one layer and column are contiguous. */
function columnEnd(sites: SiteColumns, at: number, from: number, to: number): number {
  let b = Math.max(from, Math.min(to, at));
  while (b > from && b < to && sites.layer(b) === sites.layer(b - 1) && sites.col(b) === sites.col(b - 1)) b++;
  return b;
}
