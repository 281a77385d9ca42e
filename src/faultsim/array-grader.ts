/**
 * Grading faults against a program's array steps (WRITE / READ / pause), two ways that
 * must agree:
 *
 *   fast       per fault, only the cells it touches: the READ of row r is a series path
 *              (read-sense.ts), so a faulty cell's sense current for a stored value is
 *              one division; a fault on segment k touches rows 0..k of its column. Storage
 *              faults run their cell's state machine (cell-storage.ts) over the steps
 *              that touch its row, a self-referenced READ's two writes included.
 *              With multi-level steps (a domain-wall bench) cells hold levels; an
 *              electrical fault is looked up by the level the good chip holds at each
 *              READ (`firstLevelReads`), a storage fault follows its row's steps.
 *   reference  per fault, the stored bits of every cell of the touched column follow every
 *              write and pause; each READ re-solves that column's ladder with the read row
 *              active (crossbar.ts), the faulty network built by applyPerturbations.
 *
 * A READ activates one row and columns are electrically independent, so a fault on
 * column c can change only column c's bits of the rows it touches; both engines rely on
 * that (and on the good chip reading what was written, checked in the tests). Neuron
 * faults are invisible to READ (the sense amplifier sits before the neuron). Both
 * engines decide and sequence a READ with read-sense.ts (`readThroughPort`, the device's
 * read scheme), as the simulated chip does.
 *
 *   const g = gradeArraySteps(net, faults, steps, "fast");
 *   g[i]   // { detected: true, firstStep: "march-c-minus.l0.e2.r5.0r1" } or { detected: false }
 */
import type { Fault } from "../faults/fault.ts";
import { InterruptedError } from "../formats/errors.ts";
import type { PauseStep, ReadStep, WriteStep } from "../formats/program-format.ts";
import { storageInitial, storagePause, storageWrite, type CellStorageBehaviour, type StoredBit } from "../sim/cell-storage.ts";
import { levelCount, levelOfWeight, mtjOhms, type CompiledNetwork } from "../sim/compile.ts";
import { applyOp, applyPerturbations, type Perturbation } from "../sim/perturbation.ts";
import { levelReferencesUa, readRuleOf, readSchemeOf, readThroughPort, readVoltageOf, senseCurrentUa, senseDecision, senseLevel, type ReadRule } from "../sim/read-sense.ts";
import { writtenLevelAt } from "../sim/row-levels.ts";

export type ArrayStep = WriteStep | ReadStep | PauseStep;
export type ArrayEngineId = "fast" | "reference";

export interface ArrayOutcome {
  detected: boolean;
  /** Id of the first READ whose bit differs. */
  firstStep: string | null;
  /** Index of that step in the list given. */
  firstIndex: number;
}

const none: ArrayOutcome = Object.freeze({ detected: false, firstStep: null, firstIndex: -1 });

/** The perturbations that act electrically: a storage fault's weight perturbations describe only its mission view. */
export function electricalPerturbations(f: Fault): Perturbation[] {
  return f.storage ? f.perturbations.filter((p) => p.quantity !== "weight" && p.quantity !== "level") : f.perturbations;
}

/** Rows first..last (of one column) a fault touches, or null when READ cannot see it. */
function touched(f: Fault, net: CompiledNetwork): { layer: number; col: number; first: number; last: number } | null {
  const s = f.site;
  if (s.kind === "neuron") return null;
  if (s.kind === "segment") return { layer: s.layer, col: s.col, first: 0, last: s.index };
  if (s.layer >= net.layers.length) return null;
  return { layer: s.layer, col: s.col, first: s.row, last: s.row };
}

/** Per-network memo of the good sense paths and reference currents (the fast engine's O(1) READ). */
interface SenseMemo {
  /** Σ segments r … rows−1 + sense input of (layer, col), by row. */
  path(layer: number, col: number): Float64Array;
  /** The read rule of (layer, row). */
  rule(layer: number, row: number): ReadRule;
  /** Level references of (layer, row) (multi-level READ). */
  levelRefs(layer: number, row: number): Float64Array;
  readVoltageV: number;
  /** Top level of a cell (1 on a binary bench). */
  top: number;
}

function createSenseMemo(net: CompiledNetwork): SenseMemo {
  const paths = new Map<number, Float64Array>();
  const rules = net.layers.map((l) => new Array<ReadRule | undefined>(l.rows));
  const refs = net.layers.map((l) => new Array<Float64Array | undefined>(l.rows));
  return {
    readVoltageV: readVoltageOf(net),
    top: levelCount(net.device) - 1,
    rule: (layer, row) => (rules[layer][row] ??= readRuleOf(net, layer, row)),
    levelRefs: (layer, row) => (refs[layer][row] ??= levelReferencesUa(net, layer, row)),
    path(layer, col) {
      const key = layer * 1_000_000 + col;
      let a = paths.get(key);
      if (!a) {
        const l = net.layers[layer];
        a = new Float64Array(l.rows);
        let acc = l.neuronInputOhms[col];
        for (let r = l.rows - 1; r >= 0; r--) {
          acc += l.segmentOhms[col * l.rows + r];
          a[r] = acc;
        }
        paths.set(key, a);
      }
      return a;
    },
  };
}

interface RowEvents {
  /** Indices (into steps) of the writes, reads and every pause, in order. */
  idx: number[];
}

/** Per (layer, row): the step indices that touch it, with the pauses merged in. */
function indexSteps(net: CompiledNetwork, steps: readonly ArrayStep[]): (l: number, r: number) => RowEvents {
  const byRow = new Map<number, number[]>();
  const pauses: number[] = [];
  const key = (l: number, r: number) => l * 1_000_000 + r;
  steps.forEach((s, i) => {
    if (s.kind === "pause") pauses.push(i);
    else {
      const k = key(s.layer, s.row);
      const list = byRow.get(k);
      if (list) list.push(i);
      else byRow.set(k, [i]);
    }
  });
  const cache = new Map<number, RowEvents>();
  return (l, r) => {
    const k = key(l, r);
    let e = cache.get(k);
    if (!e) {
      const own = byRow.get(k) ?? [];
      const idx = pauses.length ? [...own, ...pauses].sort((a, b) => a - b) : own;
      e = { idx };
      cache.set(k, e);
      if (cache.size > 4096) cache.delete(cache.keys().next().value!);
    }
    return e;
  };
}

/** Sense current of the faulty cell (row, col) holding level `stored` (a bit on a binary bench), through its faulty path, µA (fast engine). */
function faultySenseUa(net: CompiledNetwork, memo: SenseMemo, f: Fault, ps: readonly Perturbation[], row: number, col: number, stored: number): number {
  const l = net.layers[f.site.layer];
  const d = net.device;
  const i = col * l.rows + row;
  const extraGood = l.cellOhms[i] - mtjOhms(d, l.weights[i]);
  let w = stored / memo.top;
  let cell = mtjOhms(d, w) + extraGood;
  let read = l.readExtraOhms?.get(i) ?? 0;
  let path = memo.path(f.site.layer, col)[row];
  for (const p of ps) {
    const s = p.site;
    if (s.kind === "cell" || s.kind === "cell-series") {
      if (s.row !== row || s.col !== col) continue;
      if (p.quantity === "ohms") cell = applyOp(cell, p.op, p.value);
      else if (p.quantity === "conductance") {
        const g = applyOp(1 / cell, p.op, p.value);
        cell = g > 0 ? 1 / g : Infinity;
      } else if (p.quantity === "weight") {
        const extra = cell - mtjOhms(d, w);
        w = Math.min(1, Math.max(0, applyOp(w, p.op, p.value)));
        cell = mtjOhms(d, w) + extra;
      } else if (p.quantity === "level") {
        const extra = cell - mtjOhms(d, w);
        w = Math.min(memo.top, Math.max(0, applyOp(levelOfWeight(d, w), p.op, p.value))) / memo.top;
        cell = mtjOhms(d, w) + extra;
      }
    } else if (s.kind === "cell-read") {
      if (s.row === row && s.col === col) read = applyOp(read, p.op, p.value);
    } else if (s.kind === "segment") {
      if (s.col === col && s.index >= row) {
        const old = l.segmentOhms[col * l.rows + s.index];
        path += applyOp(old, p.op, p.value) - old;
      }
    } else if (s.kind === "neuron" && p.quantity === "inputOhms") {
      const old = l.neuronInputOhms[col];
      path += applyOp(old, p.op, p.value) - old;
    }
  }
  const r = cell + read + path;
  return Number.isFinite(r) ? (memo.readVoltageV / r) * 1e6 : 0;
}

/**
 * The bit a READ senses from a faulty cell that stores what is written (an electrical
 * fault): under self-reference the known write leaves it holding the known bit, and the
 * write-back restores `stored` whenever the sensed bit is right.
 */
function electricalSense(rule: ReadRule, ua: (b: StoredBit) => number, stored: StoredBit): boolean {
  return senseDecision(rule, ua(stored), rule.kind === "self-reference" ? ua(rule.knownBit) : 0) === 1;
}

/**
 * First READ of each cell expecting 0 and expecting 1 (step index; −1 = none), per layer,
 * cell index c * rows + r. A fault that does not change what a cell stores (electrical
 * only) misreads exactly at the reads whose expected bit its sense gets wrong — the good
 * chip stores what the program expects it to read — so its first detection is one lookup.
 */
function firstReads(net: CompiledNetwork, steps: readonly ArrayStep[]): { zero: Int32Array; one: Int32Array }[] {
  const out = net.layers.map((l) => ({ zero: new Int32Array(l.rows * l.cols).fill(-1), one: new Int32Array(l.rows * l.cols).fill(-1) }));
  steps.forEach((s, i) => {
    if (s.kind !== "read") return;
    const l = net.layers[s.layer];
    const t = out[s.layer];
    for (let c = 0; c < l.cols; c++) {
      const a = s.expected!.charCodeAt(c) === 49 ? t.one : t.zero;
      const k = c * l.rows + s.row;
      if (a[k] < 0) a[k] = i;
    }
  });
  return out;
}

/**
 * Programs with level steps: per layer, per read kind (0 = bit READ, 1 = level READ) and
 * per level the good chip holds at that READ, the first such READ of each cell (step
 * index; −1 = none). A fault that does not change what a cell stores misreads exactly
 * where its sense of the good chip's level is wrong, so its first detection is a few
 * lookups per touched row (the binary `firstReads` keyed by level instead of bit). A
 * self-referenced bit READ leaves the cell at the sensed end level.
 */
function firstLevelReads(net: CompiledNetwork, steps: readonly ArrayStep[], top: number): Int32Array[][][] {
  const out = net.layers.map((l) => [0, 1].map(() => Array.from({ length: top + 1 }, () => new Int32Array(l.rows * l.cols).fill(-1))));
  const good = net.layers.map((l) => Uint8Array.from(l.weights, (w) => levelOfWeight(net.device, w)));
  const selfRef = readSchemeOf(net).kind === "self-reference";
  steps.forEach((s, i) => {
    if (s.kind === "pause") return;
    const l = net.layers[s.layer];
    const g = good[s.layer];
    for (let c = 0; c < l.cols; c++) {
      const k = c * l.rows + s.row;
      if (s.kind === "write") g[k] = writtenLevelAt(s, c, top);
      else {
        const a = out[s.layer][s.expectedLevels ? 1 : 0][g[k]];
        if (a[k] < 0) a[k] = i;
        if (!s.expectedLevels && selfRef) g[k] = s.expected!.charCodeAt(c) === 49 ? top : 0;
      }
    }
  });
  return out;
}

function gradeFast(
  net: CompiledNetwork,
  memo: SenseMemo,
  f: Fault,
  steps: readonly ArrayStep[],
  events: (l: number, r: number) => RowEvents,
  reads: () => { zero: Int32Array; one: Int32Array }[],
  levelReads: (() => Int32Array[][][]) | null,
): ArrayOutcome {
  const t = touched(f, net);
  if (!t) return none;
  const ps = electricalPerturbations(f);
  const levelSteps = levelReads !== null;
  if (!f.storage && levelReads) {
    const tab = levelReads()[t.layer];
    const rows = net.layers[t.layer].rows;
    const top = memo.top;
    const ua = new Float64Array(top + 1);
    let first = -1;
    for (let r = t.first; r <= t.last; r++) {
      const k = t.col * rows + r;
      ua.fill(NaN);
      const uaOf = (lv: number) => (Number.isNaN(ua[lv]) ? (ua[lv] = faultySenseUa(net, memo, f, ps, r, t.col, lv)) : ua[lv]);
      for (let kind = 0; kind < 2; kind++) {
        for (let lv = 0; lv <= top; lv++) {
          const i = tab[kind][lv][k];
          if (i < 0 || (first >= 0 && i >= first)) continue;
          const s = steps[i] as ReadStep;
          let wrong: boolean;
          if (kind === 1) wrong = senseLevel(memo.levelRefs(t.layer, r), uaOf(lv)) !== s.expectedLevels![t.col];
          else {
            const rule = memo.rule(t.layer, r);
            const bit = senseDecision(rule, uaOf(lv), rule.kind === "self-reference" ? uaOf(rule.knownBit * top) : 0);
            wrong = String(bit) !== s.expected![t.col];
          }
          if (wrong) first = i;
        }
      }
    }
    return first < 0 ? none : { detected: true, firstStep: steps[first].id, firstIndex: first };
  }
  if (!f.storage && !levelSteps) {
    const fr = reads()[t.layer];
    const rows = net.layers[t.layer].rows;
    let first = -1;
    for (let r = t.first; r <= t.last; r++) {
      const k = t.col * rows + r;
      const i1 = fr.one[k];
      const i0 = fr.zero[k];
      if ((i1 < 0 || (first >= 0 && i1 >= first)) && (i0 < 0 || (first >= 0 && i0 >= first))) continue;
      const rule = memo.rule(t.layer, r);
      const ua: [number, number] = [NaN, NaN];
      const uaOf = (b: StoredBit) => (Number.isNaN(ua[b]) ? (ua[b] = faultySenseUa(net, memo, f, ps, r, t.col, b)) : ua[b]);
      if (i1 >= 0 && (first < 0 || i1 < first) && !electricalSense(rule, uaOf, 1)) first = i1;
      if (i0 >= 0 && (first < 0 || i0 < first) && electricalSense(rule, uaOf, 0)) first = i0;
    }
    return first < 0 ? none : { detected: true, firstStep: steps[first].id, firstIndex: first };
  }
  // A storage fault, or a program with multi-level steps: follow the cell's level through the steps of its row.
  const storage: CellStorageBehaviour = f.storage ?? {};
  const top = memo.top;
  let best = none;
  for (let r = t.first; r <= t.last; r++) {
    const ua = new Float64Array(top + 1).fill(NaN);
    const uaOf = (lv: number) => (Number.isNaN(ua[lv]) ? (ua[lv] = faultySenseUa(net, memo, f, ps, r, t.col, lv)) : ua[lv]);
    const rule = memo.rule(t.layer, r);
    const c = t.col;
    const l = net.layers[t.layer];
    let stored = storageInitial(storage, levelOfWeight(net.device, l.weights[c * l.rows + r]), top);
    let heldNs = 0;
    for (const i of events(t.layer, r).idx) {
      if (best.detected && i >= best.firstIndex) break;
      const s = steps[i];
      if (s.kind === "pause") {
        heldNs += s.dwellNs;
        stored = storagePause(storage, stored, heldNs, top);
      } else if (s.layer !== t.layer) continue;
      else if (s.kind === "write") {
        stored = storageWrite(storage, stored, writtenLevelAt(s, c, top), top);
        heldNs = 0;
      } else if (s.expectedLevels) {
        if (senseLevel(memo.levelRefs(t.layer, r), uaOf(stored)) !== s.expectedLevels[c]) {
          best = { detected: true, firstStep: s.id, firstIndex: i };
          break;
        }
      } else {
        const bit = readThroughPort(rule, 1, {
          senseUa: () => [uaOf(stored)],
          write: (bits) => {
            stored = storageWrite(storage, stored, bits === "1" ? top : 0, top);
            heldNs = 0;
          },
        });
        if (bit !== s.expected![c]) {
          best = { detected: true, firstStep: s.id, firstIndex: i };
          break;
        }
      }
    }
  }
  return best;
}

function gradeReference(net: CompiledNetwork, f: Fault, steps: readonly ArrayStep[]): ArrayOutcome {
  const t = touched(f, net);
  if (!t) return none;
  const faulty = applyPerturbations(net, electricalPerturbations(f));
  const l = faulty.layers[t.layer];
  const base = net.layers[t.layer];
  const d = net.device;
  const top = levelCount(d) - 1;
  const o = t.col * l.rows;
  const col = {
    ...l,
    cellOhms: l.cellOhms.slice(),
  };
  /** Level each cell of the column holds (its bit on a binary bench). */
  const stored = new Float64Array(l.rows);
  const storage: CellStorageBehaviour | undefined = f.storage;
  const isFaultyCell = (r: number) => storage !== undefined && (f.site.kind === "cell" || f.site.kind === "cell-series") && f.site.row === r;
  for (let r = 0; r < l.rows; r++) {
    const m = levelOfWeight(d, base.weights[o + r]);
    stored[r] = isFaultyCell(r) ? storageInitial(storage!, m, top) : m;
  }
  // In-cell extra resistance of the faulty network relative to its MTJ, kept when the MTJ state changes.
  const extra = (r: number) => l.cellOhms[o + r] - mtjOhms(d, l.weights[o + r]);
  const v = readVoltageOf(net);
  const heldNs = new Float64Array(l.rows);
  const senseUa = (row: number) => {
    for (let r = 0; r < l.rows; r++) col.cellOhms[o + r] = mtjOhms(d, stored[r] / top) + extra(r);
    return senseCurrentUa(col, row, t.col, v);
  };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (s.kind === "pause") {
      for (let r = 0; r < l.rows; r++) {
        heldNs[r] += s.dwellNs;
        if (isFaultyCell(r)) stored[r] = storagePause(storage!, stored[r], heldNs[r], top);
      }
      continue;
    }
    if (s.layer !== t.layer) continue;
    const write = (row: number, level: number) => {
      stored[row] = isFaultyCell(row) ? storageWrite(storage!, stored[row], level, top) : level;
      heldNs[row] = 0;
    };
    if (s.kind === "write") {
      write(s.row, writtenLevelAt(s, t.col, top));
      continue;
    }
    if (s.expectedLevels) {
      if (senseLevel(levelReferencesUa(net, t.layer, s.row), senseUa(s.row)) !== s.expectedLevels[t.col]) return { detected: true, firstStep: s.id, firstIndex: i };
      continue;
    }
    const bit = readThroughPort(readRuleOf(net, t.layer, s.row), 1, {
      senseUa: () => [senseUa(s.row)],
      write: (bits) => write(s.row, bits === "1" ? top : 0),
    });
    if (bit !== s.expected![t.col]) return { detected: true, firstStep: s.id, firstIndex: i };
  }
  return none;
}

/**
 * What a storage fault's cell holds (a level; its bit on a binary bench) after the first `count` array steps (its mission
 * value through the fault's initial state, then every write of its row, every pause, and
 * the writes of a self-referenced READ of its row), by the same rules as the fast engine
 * and the simulated chip.
 */
export function storedBitAfter(net: CompiledNetwork, f: Fault, steps: readonly ArrayStep[], count: number): number | null {
  const s = f.site;
  const storage = f.storage;
  if (!storage || (s.kind !== "cell" && s.kind !== "cell-series")) return null;
  const l = net.layers[s.layer];
  const top = levelCount(net.device) - 1;
  let stored = storageInitial(storage, levelOfWeight(net.device, l.weights[s.col * l.rows + s.row]), top);
  let heldNs = 0;
  let memo: SenseMemo | null = null;
  const ps = electricalPerturbations(f);
  for (let i = 0; i < count; i++) {
    const st = steps[i];
    if (st.kind === "pause") {
      heldNs += st.dwellNs;
      stored = storagePause(storage, stored, heldNs, top);
    } else if (st.layer !== s.layer || st.row !== s.row) continue;
    else if (st.kind === "write") {
      stored = storageWrite(storage, stored, writtenLevelAt(st, s.col, top), top);
      heldNs = 0;
    } else {
      const m = (memo ??= createSenseMemo(net));
      const rule = m.rule(s.layer, s.row);
      if (rule.kind === "midpoint-reference" || st.expectedLevels) continue; // a plain READ leaves the cell alone
      readThroughPort(rule, 1, {
        senseUa: () => [faultySenseUa(net, m, f, ps, s.row, s.col, stored)],
        write: (bits) => {
          stored = storageWrite(storage, stored, bits === "1" ? top : 0, top);
          heldNs = 0;
        },
      });
    }
  }
  return stored;
}

/** A grader over one program's array steps (the step index and sense memo built once). */
export function createArrayGrader(net: CompiledNetwork, steps: readonly ArrayStep[]): (f: Fault, engine: ArrayEngineId) => ArrayOutcome {
  const events = indexSteps(net, steps);
  const memo = createSenseMemo(net);
  let readTable: { zero: Int32Array; one: Int32Array }[] | null = null;
  const reads = () => (readTable ??= firstReads(net, steps));
  const levelSteps = steps.some((s) => (s.kind === "write" && s.levels !== undefined) || (s.kind === "read" && s.expectedLevels !== undefined));
  let levelTable: Int32Array[][][] | null = null;
  const levelReads = levelSteps ? () => (levelTable ??= firstLevelReads(net, steps, memo.top)) : null;
  return (f, engine) => (engine === "fast" ? gradeFast(net, memo, f, steps, events, reads, levelReads) : gradeReference(net, f, steps));
}

/** Grade every fault against the array steps with the chosen engine. */
export function gradeArraySteps(net: CompiledNetwork, faults: readonly Fault[], steps: readonly ArrayStep[], engine: ArrayEngineId = "fast", signal?: AbortSignal): ArrayOutcome[] {
  const grade = createArrayGrader(net, steps);
  const out: ArrayOutcome[] = new Array(faults.length);
  for (let i = 0; i < faults.length; i++) {
    if ((i & 4095) === 0 && signal?.aborted) throw new InterruptedError();
    out[i] = grade(faults[i], engine);
  }
  return out;
}

/**
 * The first failing step of every fault (index into `steps`, −1: none; gradeArraySteps's
 * `firstIndex`), in chunks that give the event loop a turn (so Ctrl-C is seen within a
 * fraction of a second on a multi-million-fault universe); throws InterruptedError.
 */
export async function gradeArrayStepsChunked(
  net: CompiledNetwork,
  faults: readonly Fault[],
  steps: readonly ArrayStep[],
  o: { engine?: ArrayEngineId; signal?: AbortSignal; onProgress?: (done: number, total: number) => void; chunk?: number } = {},
): Promise<Int32Array> {
  const grade = createArrayGrader(net, steps);
  const chunk = o.chunk ?? 20_000;
  const out = new Int32Array(faults.length);
  for (let i = 0; i < faults.length; i += chunk) {
    if (o.signal?.aborted) throw new InterruptedError();
    const end = Math.min(i + chunk, faults.length);
    for (let k = i; k < end; k++) out[k] = grade(faults[k], o.engine ?? "fast").firstIndex;
    o.onProgress?.(end, faults.length);
    await new Promise((r) => setImmediate(r));
  }
  return out;
}
