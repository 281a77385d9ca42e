/**
 * The fast fault engine: reuse the good simulation, re-evaluate only what a fault
 * can change. Vectors are the outer loop (the good run, column sensitivities and
 * downstream verdicts are built once per vector), remaining faults the inner one:
 *
 *   cell fault     row never driven in this vector → no change (O(1)); else the faulty
 *                  column current of each driven segment is exact from the good column's
 *                  sensitivity (outputWithCellChange, O(1); differential when the bench
 *                  has a reference column, vector-context.ts); comparison-principle skips
 *                  for monotone neurons (neuron-bounds.ts);
 *   segment fault  (a resistive open in the column line) no driven row at or above it →
 *                  no change; else exact from the good column's forward/backward Norton
 *                  quantities (outputWithSegmentChange, O(1); derivation in crossbar.ts);
 *   neuron fault   its currents are the good ones, or (input resistance changed)
 *                  outputWithInputChange, O(1);
 *   column batch   the cell and segment faults of one hidden column with one driven-row
 *                  set: O(log n) neuron runs decide which of them can change anything,
 *                  and group those that do by their spike windows — one evaluation per
 *                  windows class answers all its faults (column-batch.ts);
 *   column fault   (several elements of one column) re-solve that one column, minus the
 *                  unchanged reference current;
 *   then           re-run that one neuron (runNeuron, same random stream as the good
 *                  run); identical spike train → no change; a vector judged by a count
 *                  band or class decision (pass-criteria.ts) then builds the faulty
 *                  observable response (the cone below re-simulated, cached per neuron
 *                  and windows) and judges it — the per-train shortcut is exact-train's; a hidden neuron whose spike
 *                  windows did not change cannot change the next layer; otherwise update
 *                  the next layer incrementally (cone-update.ts) or re-simulate the cone,
 *                  cached per (neuron, windows);
 *   general fault  (several columns) a full faulty re-simulation, not counted as fast path.
 *
 * Classification is shared with the reference engine (campaign.ts); the agreement test
 * checks both give the same class and first vector on random benches.
 *
 * The inner loop allocates nothing per fault: plans live in a struct-of-arrays table
 * (fault-plan.ts), faults are visited column by column in an order built once, the
 * live list is compacted in place after each vector, batch currents go to reused buffers
 * (and a batch's changed faults reuse the current it computed), and each column's
 * sensitivities are released when its faults are done, their typed arrays reused from a
 * pool for the next column and vector (vector-context.ts).
 * The result counts evaluations per path (`pathEvaluations`), so a test can assert which
 * path answered each fault class.
 *
 *   const r = fastEngine.run(net, faults, vectors);  r.pathEvaluations.segment > 0
 */
import type { Fault } from "../faults/fault.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import {
  columnOutputUa,
  outputWithCellChange,
  outputWithInputChange,
  outputWithSegmentChange,
  type ColumnSensitivity,
  type SegmentSensitivity,
} from "../sim/crossbar.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";
import { neuronRng, observableLayers, observableSpikes, runNeuron, simulateLayer, spikesToEvents, type Spike } from "../sim/network.ts";
import { applyPerturbations } from "../sim/perturbation.ts";
import { createCampaign, vectorVerdict, type CampaignOptions } from "./campaign.ts";
import type { FaultEngine, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import { createPlanTable, PlanKind, planKindNames, setPlan, type ColumnPlan, type PlanTable } from "./fault-plan.ts";
import { goodResponse, repetitionsOf } from "./good-response.ts";
import { compareTrains, type CompareVerdict, defaultTimingResolutionPs } from "./response-rule.ts";
import { isExactTrain, responseVerdict } from "./pass-criteria.ts";
import { createSensitivityPool, createVectorContext, type VectorContext } from "./vector-context.ts";
import { nextLayerVerdict } from "./cone-update.ts";
import { batchable, columnBatchChanged, windowClasses } from "./column-batch.ts";
import { isMonotoneNeuron } from "../faults/neuron-bounds.ts";
import { sameTrain, sameWindows, type SpikeTrain as Train } from "./spike-trains.ts";

/** Faulty currents of a several-element column plan (null when nothing electrical changes and the neuron is unchanged). */
function columnCurrents(net: CompiledNetwork, ctx: VectorContext, li: number, col: number, p: ColumnPlan, buf: Float64Array): Float64Array | null {
  const L = ctx.layers[li];
  const cur = L.run.currentsUa;
  const anyDriven = L.firstActiveRow !== Infinity;
  const electrical =
    anyDriven && (p.inputOhms !== null || p.segMaxIndex >= L.firstActiveRow || p.cells.some((c) => L.everActive[c.row] === 1));
  if (!electrical) {
    if (p.params === null) return null;
    for (let s = 0; s < cur.length; s++) buf[s] = cur[s][col];
    return buf;
  }
  const layer = net.layers[li];
  const o = col * layer.rows;
  const cellOhms = layer.cellOhms.slice(o, o + layer.rows);
  const segmentOhms = layer.segmentOhms.slice(o, o + layer.rows);
  for (const c of p.cells) cellOhms[c.row] = c.ohms;
  for (const g of p.segments) segmentOhms[g.index] = g.ohms;
  const electrics = { cellOhms, segmentOhms, neuronInputOhms: p.inputOhms ?? layer.neuronInputOhms[col], writeVoltageV: net.writeVoltageV };
  const byMask = new Map<Uint8Array, number>();
  for (let s = 0; s < cur.length; s++) {
    if (L.run.segments[s].activeRows.length === 0) {
      buf[s] = 0;
      continue;
    }
    const mask = L.active[s];
    let v = byMask.get(mask);
    if (v === undefined) {
      v = columnOutputUa(electrics, mask) - ctx.referenceUa(li, s); // a fault never changes the reference column
      byMask.set(mask, v);
    }
    buf[s] = v;
  }
  return buf;
}

/**
 * Faulty neuron currents of fault i in every segment of this vector, into buf (null when
 * the fault provably changes nothing in this vector).
 */
function faultyCurrents(net: CompiledNetwork, ctx: VectorContext, t: PlanTable, i: number, buf: Float64Array): Float64Array | null {
  const li = t.layer[i];
  const col = t.col[i];
  const L = ctx.layers[li];
  const cur = L.run.currentsUa;
  const segs = L.run.segments;
  const k = t.index[i];
  switch (t.kind[i]) {
    case PlanKind.cell:
      for (let s = 0; s < cur.length; s++) {
        buf[s] = L.active[s][k] ? outputWithCellChange(ctx.sensitivity(li, s, col), k, t.oldOhms[i], t.newOhms[i], net.writeVoltageV) : cur[s][col];
      }
      return buf;
    case PlanKind.segment:
      if (k < L.firstActiveRow) return null; // segment k carries current only when a row ≤ k is driven
      for (let s = 0; s < cur.length; s++) {
        buf[s] = segs[s].activeRows.length === 0 ? 0 : outputWithSegmentChange(ctx.segmentSensitivity(li, s, col), k, t.oldOhms[i], t.newOhms[i]);
      }
      return buf;
    case PlanKind.neuron: {
      const inputChanges = !Number.isNaN(t.newOhms[i]) && L.firstActiveRow !== Infinity;
      for (let s = 0; s < cur.length; s++) {
        if (!inputChanges) buf[s] = cur[s][col];
        else buf[s] = segs[s].activeRows.length === 0 ? 0 : outputWithInputChange(ctx.segmentSensitivity(li, s, col), t.oldOhms[i], t.newOhms[i]);
      }
      return buf;
    }
    default:
      return columnCurrents(net, ctx, li, col, t.extra.get(i) as ColumnPlan, buf);
  }
}

/**
 * Verdict for a changed spike train of neuron (li, c): its own output when observable,
 * and the layers below, which see only its spike windows — so their verdict is cached
 * per vector by (neuron, windows): many faults of one column change it the same way.
 */
function propagate(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train, observable: Uint8Array): CompareVerdict {
  const good = ctx.trains[li][c];
  const vec = ctx.vector;
  const res = vec.timingResolutionPs ?? defaultTimingResolutionPs;
  const local: CompareVerdict = observable[li] ? compareTrains(good, train, vec.toleranceBandPs, res) : 0;
  if (li === net.layers.length - 1 || local === 2 || sameWindows(good, train)) return local;
  const key = windowsKey(net, li, c, train);
  let down = ctx.downstream.get(key);
  if (down === undefined) {
    down = nextLayerVerdict(net, ctx, li, c, train, observableSets.get(observable) ?? observableSet(observable)) ?? resimulateCone(net, ctx, li, c, train);
    ctx.downstream.set(key, down);
  }
  return down > local ? down : local;
}

/**
 * Key of (neuron, spike windows) for the per-vector downstream cache: a number (neuron
 * index over the layers times 2^windows, plus the windows as a bit set) when the windows
 * fit, so a lookup builds no string; a string otherwise.
 */
function windowsKey(net: CompiledNetwork, li: number, c: number, train: Train): number | string {
  let neuron = c;
  for (let l = 0; l < li; l++) neuron += net.layers[l].cols;
  const last = train.length > 0 ? train[train.length - 1].window : 0;
  if (last < 24) {
    let bits = 0;
    for (const t of train) bits |= 1 << t.window;
    return neuron * 16777216 + bits;
  }
  return `${li}.${c}:${train.map((t) => t.window).join(",")}`;
}

const observableSets = new WeakMap<Uint8Array, ReadonlySet<number>>();
function observableSet(observable: Uint8Array): ReadonlySet<number> {
  const s = new Set<number>();
  observable.forEach((o, l) => o && s.add(l));
  observableSets.set(observable, s);
  return s;
}

/** Verdict of the layers below li when neuron (li, c) spikes as `train`: re-simulate them (layer li itself compared as good). */
function resimulateCone(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train): CompareVerdict {
  const vec = ctx.vector;
  const spikes: Spike[] = ctx.layers[li].run.spikes.filter((s) => s.neuron !== c);
  for (const t of train) spikes.push({ layer: li, neuron: c, window: t.window, timePs: t.timePs });
  spikes.sort((a, b) => a.timePs - b.timePs || a.neuron - b.neuron);
  const all: Spike[] = [];
  for (let l = 0; l <= li; l++) all.push(...ctx.layers[l].run.spikes);
  let events = spikesToEvents(spikes, vec.stimulus);
  for (let l = li + 1; l < net.layers.length; l++) {
    const run = simulateLayer(net, l, vec.stimulus, events, { rngSalt: ctx.rep });
    all.push(...run.spikes);
    events = spikesToEvents(run.spikes, vec.stimulus);
  }
  return responseVerdict(vec, ctx.observed, observableSpikes(net, all));
}

/** Spikes of the layers below li when neuron (li, c) spikes in `train`'s windows, cached per vector by (neuron, windows). */
const downstreamSpikes = new WeakMap<VectorContext, Map<string, Spike[]>>();
function coneSpikes(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train): Spike[] {
  let cache = downstreamSpikes.get(ctx);
  if (!cache) downstreamSpikes.set(ctx, (cache = new Map()));
  const key = `${li}.${c}:${train.map((t) => t.window).join(",")}`;
  let below = cache.get(key);
  if (!below) {
    const spikes: Spike[] = ctx.layers[li].run.spikes.filter((s) => s.neuron !== c);
    for (const t of train) spikes.push({ layer: li, neuron: c, window: t.window, timePs: t.timePs });
    spikes.sort((a, b) => a.timePs - b.timePs || a.neuron - b.neuron);
    below = [];
    let events = spikesToEvents(spikes, ctx.vector.stimulus);
    for (let l = li + 1; l < net.layers.length; l++) {
      const run = simulateLayer(net, l, ctx.vector.stimulus, events, { rngSalt: ctx.rep });
      below.push(...run.spikes);
      events = spikesToEvents(run.spikes, ctx.vector.stimulus);
    }
    cache.set(key, below);
  }
  return below;
}

/**
 * Verdict for a changed spike train of neuron (li, c) under a criterion other than
 * exact-train (count band, class decision): such a criterion reads the whole response,
 * so build the faulty observable response — the good spikes, neuron (li, c)'s replaced,
 * the layers below re-simulated when its windows changed — and judge it.
 */
function criterionVerdict(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train, observable: Uint8Array): CompareVerdict {
  const hidden = li < net.layers.length - 1;
  const below = hidden && !sameWindows(ctx.trains[li][c], train) ? coneSpikes(net, ctx, li, c, train) : null;
  if (!observable[li] && !below) return 0;
  const all: Spike[] = [];
  for (let l = 0; l < net.layers.length; l++) {
    if (!observable[l]) continue;
    if (l === li) {
      for (const s of ctx.layers[l].run.spikes) if (s.neuron !== c) all.push(s);
      for (const t of train) all.push({ layer: li, neuron: c, window: t.window, timePs: t.timePs });
    } else if (l > li && below) {
      for (const s of below) if (s.layer === l) all.push(s);
    } else all.push(...ctx.layers[l].run.spikes);
  }
  return responseVerdict(ctx.vector, ctx.observed, observableSpikes(net, all));
}

/** Scratch buffers reused across the whole campaign. */
interface Scratch {
  buf: Float64Array;
  batchUa: Float64Array;
  sorted: Float64Array;
  changed: Int32Array;
  batchFault: Int32Array;
  classOf: Int32Array;
}

/**
 * The cheap skips that need no current: a cell on a row never driven, the comparison
 * principle for a monotone neuron (a lower current never wakes a silent neuron; a higher
 * one keeps a neuron that fires in every window firing in every window — not seen when
 * the layer is observable), a segment no driven row reaches.
 */
function skips(ctx: VectorContext, t: PlanTable, i: number, monotone: boolean, observable: boolean): boolean {
  const kind = t.kind[i];
  const L = ctx.layers[t.layer[i]];
  if (kind === PlanKind.segment) return t.index[i] < L.firstActiveRow;
  if (kind !== PlanKind.cell) return false;
  if (!L.everActive[t.index[i]]) return true;
  if (!monotone) return false;
  const good = ctx.trains[t.layer[i]][t.col[i]];
  if (t.newOhms[i] > t.oldOhms[i] && good.length === 0) return true;
  return t.newOhms[i] < t.oldOhms[i] && good.length === ctx.vector.stimulus.windows && !observable;
}

/**
 * Evaluate one non-general fault on one repetition of a vector. `batchUa` (a column
 * batch's cell or segment fault, past its skips) is its faulty current in every driven
 * segment, already computed by the batch with the same expression faultyCurrents uses.
 */
function evaluate(
  net: CompiledNetwork,
  ctx: VectorContext,
  t: PlanTable,
  i: number,
  monotone: boolean,
  observable: Uint8Array,
  scratch: Scratch,
  batchUa: number,
): CompareVerdict {
  const li = t.layer[i];
  const col = t.col[i];
  const L = ctx.layers[li];
  if (scratch.buf.length < L.run.segments.length) scratch.buf = new Float64Array(L.run.segments.length * 2);
  let cur: Float64Array | null = scratch.buf;
  if (Number.isNaN(batchUa)) {
    if (skips(ctx, t, i, monotone, observable[li] === 1)) return 0;
    cur = faultyCurrents(net, ctx, t, i, scratch.buf);
    if (cur === null) return 0;
  } else {
    // One driven-row set: every driven segment sees batchUa; an undriven one what faultyCurrents gives it.
    const segs = L.run.segments;
    const isCell = t.kind[i] === PlanKind.cell;
    for (let s = 0; s < segs.length; s++) cur[s] = segs[s].activeRows.length > 0 ? batchUa : isCell ? L.run.currentsUa[s][col] : 0;
  }
  const layer = net.layers[li];
  const kind = t.kind[i];
  const params =
    kind === PlanKind.neuron ? (t.extra.get(i) as NeuronParams) : kind === PlanKind.column ? ((t.extra.get(i) as ColumnPlan).params ?? layer.neurons[col]) : layer.neurons[col];
  const train = runNeuron(layer.model, params, L.run.segments, (s) => cur[s], neuronRng(layer, li, col, ctx.rep));
  const good = ctx.trains[li][col];
  if (sameTrain(train, good)) return 0;
  // The per-train shortcut (compareTrains, cone-update.ts) is exact-train's only.
  if (!isExactTrain(ctx.vector.criterion)) return criterionVerdict(net, ctx, li, col, train, observable);
  return propagate(net, ctx, li, col, train, observable);
}

/** Fault indices (UD ones left out) ordered by layer and column, stable: the per-column fault lists, built once. */
function columnOrder(net: CompiledNetwork, t: PlanTable, active: (i: number) => boolean): Int32Array {
  const base: number[] = [];
  let keys = 0;
  for (const l of net.layers) {
    base.push(keys);
    keys += l.cols;
  }
  const n = t.kind.length;
  const count = new Int32Array(keys + 2);
  const key = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (!active(i)) {
      key[i] = -1;
      continue;
    }
    key[i] = t.kind[i] === PlanKind.general ? keys : base[t.layer[i]] + t.col[i];
    count[key[i] + 1]++;
    m++;
  }
  for (let k = 1; k < count.length; k++) count[k] += count[k - 1];
  const order = new Int32Array(m);
  for (let i = 0; i < n; i++) if (key[i] >= 0) order[count[key[i]]++] = i;
  return order;
}

export const fastEngine = {
  id: "fast",
  run(net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], opts: CampaignOptions = {}): FaultSimResult {
    const start = performance.now();
    const t = createPlanTable(faults.length);
    const c = createCampaign(net, faults, vectors, opts, (fx, _f, i) => setPlan(t, i, fx));
    const observable = new Uint8Array(net.layers.length);
    for (const l of observableLayers(net)) observable[l] = 1;
    const monotone = net.layers.map((l) => isMonotoneNeuron(l.model));
    const scratch: Scratch = { buf: new Float64Array(64), batchUa: new Float64Array(64), sorted: new Float64Array(64), changed: new Int32Array(64), batchFault: new Int32Array(64), classOf: new Int32Array(64) };
    const live = columnOrder(net, t, c.active);
    let nLive = live.length;
    const pool = createSensitivityPool();
    const setupMs = performance.now() - start;
    const setupCpu = process.cpuUsage();
    const paths = new Float64Array(planKindNames.length);
    let batched = 0;
    let evaluations = 0;
    for (let v = 0; v < vectors.length && !c.aborted(); v++) {
      const vec = vectors[v];
      const reps = repetitionsOf(net, vec);
      const ctxs = Array.from({ length: reps }, (_, rep) => createVectorContext(net, vec, rep, pool));
      const single = (i: number, batchUa = Number.NaN): CompareVerdict => {
        const kind = t.kind[i];
        paths[kind]++;
        let verdict: CompareVerdict;
        if (kind === PlanKind.general) {
          const faulty = applyPerturbations(net, faults[i].perturbations);
          verdict = vectorVerdict(reps, (rep) => responseVerdict(vec, ctxs[rep].observed, goodResponse(faulty, vec, rep).observed));
        } else if (reps === 1) verdict = evaluate(net, ctxs[0], t, i, monotone[t.layer[i]], observable, scratch, batchUa);
        else verdict = vectorVerdict(reps, (rep) => evaluate(net, ctxs[rep], t, i, monotone[t.layer[i]], observable, scratch, batchUa));
        c.record(i, v, verdict);
        return verdict;
      };
      // A fault whose verdict is known from another of its column batch's windows class.
      const settle = (i: number, verdict: CompareVerdict) => {
        paths[t.kind[i]]++;
        c.record(i, v, verdict);
      };
      evaluations += nLive;
      for (let k = 0; k < nLive; ) {
        const i0 = live[k];
        const li = t.layer[i0];
        const col = t.col[i0];
        // One column's faults (live is ordered by layer and column, general faults last).
        let end = k + 1;
        while (end < nLive && t.layer[live[end]] === li && t.col[live[end]] === col && t.kind[live[end]] !== PlanKind.general) end++;
        if (t.kind[i0] === PlanKind.general) end = nLive;
        // Column batch: the cell and segment faults of one column of a hidden, monotone layer with one driven-row set.
        if (t.kind[i0] !== PlanKind.general && reps === 1 && monotone[li] && !observable[li] && batchable(ctxs[0], li)) {
          batched += runColumnBatch(net, ctxs[0], t, live, k, end, single, settle, scratch);
        } else for (let j = k; j < end; j++) single(live[j]);
        // Its sensitivities are not needed again in this vector: their buffers go back to the pool.
        if (t.kind[i0] !== PlanKind.general) for (const ctx of ctxs) ctx.releaseColumn(li, col);
        k = end;
      }
      // Compact the live list in place (dropped faults leave it); order is kept.
      let m = 0;
      for (let k = 0; k < nLive; k++) if (c.active(live[k])) live[m++] = live[k];
      nLive = m;
      opts.onProgress?.(v + 1, vectors.length);
    }
    const vectorsMs = performance.now() - start - setupMs;
    const vectorsCpu = process.cpuUsage(setupCpu);
    const pathEvaluations: Record<string, number> = {};
    for (let k = 1; k < planKindNames.length; k++) pathEvaluations[planKindNames[k]] = paths[k];
    pathEvaluations.batched = batched;
    const r = c.result("fast", evaluations, evaluations - paths[PlanKind.general], start, pathEvaluations);
    r.phaseMs = { setup: setupMs, vectors: vectorsMs, outcomes: r.elapsedMs - setupMs - vectorsMs, vectorsCpu: (vectorsCpu.user + vectorsCpu.system) / 1000 };
    return r;
  },
} as const satisfies FaultEngine;

/**
 * One column's faults live[k..end) on a deterministic vector: the cell and segment faults
 * that pass the skips get their faulty current I' (O(1) each) and the batch picks those
 * that may change the spike windows; only those, and the other kinds, are evaluated one
 * by one (`single`). Returns how many cell / segment evaluations the batch settled.
 */
function runColumnBatch(
  net: CompiledNetwork,
  ctx: VectorContext,
  t: PlanTable,
  live: Int32Array,
  k: number,
  end: number,
  single: (i: number, batchUa?: number) => CompareVerdict,
  settle: (i: number, verdict: CompareVerdict) => void,
  scratch: Scratch,
): number {
  const size = end - k;
  if (scratch.batchUa.length < size) {
    scratch.batchUa = new Float64Array(size * 2);
    scratch.sorted = new Float64Array(size * 2);
    scratch.changed = new Int32Array(size * 2);
    scratch.batchFault = new Int32Array(size * 2);
    scratch.classOf = new Int32Array(size * 2);
  }
  const { batchUa, batchFault, changed, sorted } = scratch;
  const i0 = live[k];
  const li = t.layer[i0];
  const col = t.col[i0];
  const s = ctx.layers[li].singleDriven;
  // The column's sensitivities, fetched once (lazily: a column may have no fault of a kind).
  let cellSens: ColumnSensitivity | null = null;
  let segSens: SegmentSensitivity | null = null;
  let n = 0;
  let settled = 0;
  for (let j = k; j < end; j++) {
    const i = live[j];
    const kind = t.kind[i];
    if (kind !== PlanKind.cell && kind !== PlanKind.segment) {
      single(i);
      continue;
    }
    settled++;
    if (skips(ctx, t, i, true, false)) continue;
    if (kind === PlanKind.cell) {
      cellSens ??= ctx.sensitivity(li, s, col);
      batchUa[n] = outputWithCellChange(cellSens, t.index[i], t.oldOhms[i], t.newOhms[i], net.writeVoltageV);
    } else {
      segSens ??= ctx.segmentSensitivity(li, s, col);
      batchUa[n] = outputWithSegmentChange(segSens, t.index[i], t.oldOhms[i], t.newOhms[i]);
    }
    batchFault[n++] = i;
  }
  if (n === 0) return settled;
  const m = columnBatchChanged(net, ctx, li, col, batchUa, n, sorted, changed);
  if (m === 0) return settled;
  // The changed faults: one evaluation per windows class, its verdict for the whole class.
  const { classOf } = scratch;
  const classes = windowClasses(net, ctx, li, col, batchUa, changed, m, sorted, classOf);
  const verdicts = new Int8Array(classes).fill(-1);
  for (let b = 0; b < m; b++) {
    const i = batchFault[changed[b]];
    const k = classOf[b];
    if (verdicts[k] < 0) verdicts[k] = single(i, batchUa[changed[b]]);
    else settle(i, verdicts[k] as CompareVerdict);
  }
  return settled - m;
}
