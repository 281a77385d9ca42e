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
 *   column batch   a run of cell faults on one hidden column with one driven-row set:
 *                  O(log n) neuron runs decide which of them can change anything
 *                  (column-batch.ts);
 *   column fault   re-solve that one column (segment opens, input resistance; minus the
 *                  unchanged reference current) or keep its currents (neuron parameters);
 *   then           re-run that one neuron (runNeuron, same random stream as the good
 *                  run); identical spike train → no change; a hidden neuron whose spike
 *                  windows did not change cannot change the next layer; otherwise update
 *                  the next layer incrementally (cone-update.ts) or re-simulate the cone,
 *                  cached per (neuron, windows);
 *   general fault  (several columns) a full faulty re-simulation, not counted as fast path.
 *
 * Classification is shared with the reference engine (campaign.ts); the agreement test
 * checks both give the same class and first vector on random benches.
 *
 *   const r = fastEngine.run(net, faults, vectors);  r.fastPathEvaluations > 0
 */
import type { Fault } from "../faults/fault.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { columnOutputUa, outputWithCellChange } from "../sim/crossbar.ts";
import { neuronRng, observableLayers, observableSpikes, runNeuron, simulateLayer, spikesToEvents, type Spike } from "../sim/network.ts";
import { applyPerturbations } from "../sim/perturbation.ts";
import { createCampaign, vectorVerdict, type Campaign, type CampaignOptions } from "./campaign.ts";
import type { FaultEngine, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import { planOf, type CellPlan, type ColumnPlan, type FaultPlan } from "./fault-plan.ts";
import { goodResponse, repetitionsOf } from "./good-response.ts";
import { compareTrains, responsesDiffer, verdictOf, type CompareVerdict } from "./response-compare.ts";
import { createVectorContext, type VectorContext } from "./vector-context.ts";
import { nextLayerVerdict } from "./cone-update.ts";
import { batchable, columnBatchChanged } from "./column-batch.ts";
import { isMonotoneNeuron } from "../faults/neuron-bounds.ts";
import { sameTrain, sameWindows, type SpikeTrain as Train } from "./spike-trains.ts";

/** Faulty currents of one column for a cell plan (null when the row is never driven). */
function cellCurrents(net: CompiledNetwork, ctx: VectorContext, p: CellPlan, buf: Float64Array): Float64Array | null {
  const L = ctx.layers[p.layer];
  if (!L.everActive[p.row]) return null;
  const cur = L.run.currentsUa;
  for (let s = 0; s < cur.length; s++) {
    buf[s] = L.active[s][p.row] ? outputWithCellChange(ctx.sensitivity(p.layer, s, p.col), p.row, p.oldOhms, p.newOhms, net.writeVoltageV) : cur[s][p.col];
  }
  return buf;
}

/** Faulty currents of one column for a column plan (the good ones when only neuron parameters change; null when nothing changes). */
function columnCurrents(net: CompiledNetwork, ctx: VectorContext, p: ColumnPlan, buf: Float64Array): Float64Array | null {
  const L = ctx.layers[p.layer];
  const cur = L.run.currentsUa;
  const anyDriven = L.firstActiveRow !== Infinity;
  const electrical =
    anyDriven && (p.inputOhms !== null || p.segMaxIndex >= L.firstActiveRow || p.cells.some((c) => L.everActive[c.row] === 1));
  if (!electrical) {
    if (p.params === null) return null;
    for (let s = 0; s < cur.length; s++) buf[s] = cur[s][p.col];
    return buf;
  }
  const layer = net.layers[p.layer];
  const o = p.col * layer.rows;
  const cellOhms = layer.cellOhms.slice(o, o + layer.rows);
  const segmentOhms = layer.segmentOhms.slice(o, o + layer.rows);
  for (const c of p.cells) cellOhms[c.row] = c.ohms;
  for (const g of p.segments) segmentOhms[g.index] = g.ohms;
  const col = { cellOhms, segmentOhms, neuronInputOhms: p.inputOhms ?? layer.neuronInputOhms[p.col], writeVoltageV: net.writeVoltageV };
  const byMask = new Map<Uint8Array, number>();
  for (let s = 0; s < cur.length; s++) {
    if (L.run.segments[s].activeRows.length === 0) {
      buf[s] = 0;
      continue;
    }
    const mask = L.active[s];
    let v = byMask.get(mask);
    if (v === undefined) {
      v = columnOutputUa(col, mask) - ctx.referenceUa(p.layer, s); // a fault never changes the reference column
      byMask.set(mask, v);
    }
    buf[s] = v;
  }
  return buf;
}

/**
 * Verdict for a changed spike train of neuron (li, c): its own output when observable,
 * and the layers below, which see only its spike windows — so their verdict is cached
 * per vector by (neuron, windows): many faults of one column change it the same way.
 */
function propagate(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train, observable: ReadonlySet<number>): CompareVerdict {
  const good = ctx.trains[li][c];
  const vec = ctx.vector;
  const res = vec.timingResolutionPs ?? 1;
  const local: CompareVerdict = observable.has(li) ? compareTrains(good, train, vec.toleranceBandPs, res) : 0;
  if (li === net.layers.length - 1 || local === 2 || sameWindows(good, train)) return local;
  const key = `${li}.${c}:${train.map((t) => t.window).join(",")}`;
  let down = ctx.downstream.get(key);
  if (down === undefined) {
    down = nextLayerVerdict(net, ctx, li, c, train, observable) ?? resimulateCone(net, ctx, li, c, train);
    ctx.downstream.set(key, down);
  }
  return down > local ? down : local;
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
  return verdictOf(responsesDiffer(ctx.observed, observableSpikes(net, all), vec.toleranceBandPs, vec.timingResolutionPs ?? 1));
}

/** Evaluate one non-general fault on one repetition of a vector. */
function evaluate(net: CompiledNetwork, ctx: VectorContext, plan: CellPlan | ColumnPlan, monotone: boolean, observable: ReadonlySet<number>, scratch: { buf: Float64Array }): CompareVerdict {
  const L = ctx.layers[plan.layer];
  const good = ctx.trains[plan.layer][plan.col];
  if (plan.kind === "cell") {
    if (!L.everActive[plan.row]) return 0;
    if (monotone) {
      // Comparison principle (neuron-bounds.ts): lower current never wakes a silent neuron;
      // higher current keeps a neuron that fires in every window firing in every window.
      if (plan.newOhms > plan.oldOhms && good.length === 0) return 0;
      if (plan.newOhms < plan.oldOhms && good.length === ctx.vector.stimulus.windows && !observable.has(plan.layer)) return 0;
    }
  }
  if (scratch.buf.length < L.run.segments.length) scratch.buf = new Float64Array(L.run.segments.length * 2);
  const buf = scratch.buf;
  const cur = plan.kind === "cell" ? cellCurrents(net, ctx, plan, buf) : columnCurrents(net, ctx, plan, buf);
  if (cur === null) return 0;
  const layer = net.layers[plan.layer];
  const params = plan.kind === "column" && plan.params ? plan.params : layer.neurons[plan.col];
  const train = runNeuron(layer.model, params, L.run.segments, (s) => cur[s], neuronRng(layer, plan.layer, plan.col, ctx.rep));
  if (sameTrain(train, good)) return 0;
  return propagate(net, ctx, plan.layer, plan.col, train, observable);
}

/**
 * Evaluate the run of cell faults todo[k..end) that share `plan`'s hidden column on a
 * deterministic vector: decide the skips, let the batch find the faults that may change
 * the spike windows, evaluate only those. Returns end.
 */
function runColumnBatch(
  net: CompiledNetwork,
  ctx: VectorContext,
  c: Campaign<FaultPlan>,
  v: number,
  todo: readonly number[],
  k: number,
  sameColumn: (p: FaultPlan) => boolean,
  observable: ReadonlySet<number>,
  scratch: { buf: Float64Array },
): number {
  const plans = c.prepared as FaultPlan[];
  const first = plans[todo[k]] as CellPlan;
  const L = ctx.layers[first.layer];
  const good = ctx.trains[first.layer][first.col];
  const windows = ctx.vector.stimulus.windows;
  const batch: CellPlan[] = [];
  const batchFault: number[] = [];
  let end = k;
  while (end < todo.length && sameColumn(plans[todo[end]])) {
    const p = plans[todo[end]] as CellPlan;
    // The same skips as evaluate(): row not driven; comparison principle.
    const skip = !L.everActive[p.row] || (p.newOhms > p.oldOhms && good.length === 0) || (p.newOhms < p.oldOhms && good.length === windows);
    if (!skip) {
      batch.push(p);
      batchFault.push(todo[end]);
    }
    end++;
  }
  if (batch.length > 0) {
    for (const b of columnBatchChanged(net, ctx, first.layer, first.col, batch)) c.record(batchFault[b], v, evaluate(net, ctx, batch[b], true, observable, scratch));
  }
  return end;
}

export const fastEngine = {
  id: "fast",
  run(net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], opts: CampaignOptions = {}): FaultSimResult {
    const start = performance.now();
    const c = createCampaign(net, faults, vectors, opts, (fx) => planOf(fx));
    const observable = new Set(observableLayers(net));
    const plans = c.prepared as FaultPlan[];
    const monotone = net.layers.map((l) => isMonotoneNeuron(l.model));
    const scratch = { buf: new Float64Array(64) };
    let evaluations = 0;
    let fastPath = 0;
    for (let v = 0; v < vectors.length && !c.aborted(); v++) {
      const vec = vectors[v];
      const reps = repetitionsOf(net, vec);
      const ctxs = Array.from({ length: reps }, (_, rep) => createVectorContext(net, vec, rep));
      const todo = c.pending();
      // Batches: runs of cell faults on one column of a hidden, monotone layer with one driven-row set.
      const batchColumn = (plan: FaultPlan): number =>
        plan.kind !== "cell" || reps !== 1 || !monotone[plan.layer] || observable.has(plan.layer) || !batchable(ctxs[0], plan.layer) ? -1 : plan.layer * 1e9 + plan.col;
      for (let k = 0; k < todo.length; ) {
        const plan = plans[todo[k]];
        const column = batchColumn(plan);
        if (column >= 0) {
          const end = runColumnBatch(net, ctxs[0], c, v, todo, k, (p) => batchColumn(p) === column, observable, scratch);
          evaluations += end - k;
          fastPath += end - k;
          k = end;
          continue;
        }
        const i = todo[k++];
        evaluations++;
        if (plan.kind === "general") {
          const faulty = applyPerturbations(net, faults[i].perturbations);
          c.record(i, v, vectorVerdict(reps, (rep) => verdictOf(responsesDiffer(ctxs[rep].observed, goodResponse(faulty, vec, rep).observed, vec.toleranceBandPs, vec.timingResolutionPs ?? 1))));
          continue;
        }
        fastPath++;
        c.record(i, v, vectorVerdict(reps, (rep) => evaluate(net, ctxs[rep], plan, monotone[plan.layer], observable, scratch)));
      }
      opts.onProgress?.(v + 1, vectors.length);
    }
    return c.result("fast", evaluations, fastPath, start);
  },
} as const satisfies FaultEngine;
