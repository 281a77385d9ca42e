/**
 * The fast fault engine: reuse the good simulation, re-evaluate only what a fault
 * can change. Per vector (outer loop, so the good run and its caches are built once)
 * and per remaining fault:
 *
 *   cell fault     if its row is never driven in this vector: no change (O(1));
 *                  else the faulty column current of each driven segment is exact from
 *                  the good column's sensitivity (outputWithCellChange, O(1));
 *   column fault   re-solve that one column (segment opens, input resistance) or keep
 *                  its currents (neuron parameters);
 *   then           re-run that one neuron (runNeuron, same random stream as the good
 *                  run); identical spike train → no change; a hidden neuron whose spike
 *                  windows did not change cannot change the next layer (spikes drive it
 *                  at window starts); otherwise re-simulate only the downstream layers;
 *   general fault  (several columns) fall back to a full faulty re-simulation.
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
import { createCampaign, vectorVerdict, type CampaignOptions } from "./campaign.ts";
import type { FaultEngine, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import { planOf, type CellPlan, type ColumnPlan, type FaultPlan } from "./fault-plan.ts";
import { goodResponse, repetitionsOf } from "./good-response.ts";
import { compareTrains, responsesDiffer, verdictOf, type CompareVerdict } from "./response-compare.ts";
import { createVectorContext, type VectorContext } from "./vector-context.ts";
import { nextLayerVerdict } from "./cone-update.ts";
import { batchable, columnBatchChanged } from "./column-batch.ts";
import { isMonotoneNeuron } from "../faults/neuron-bounds.ts";

type Train = { window: number; timePs: number }[];

function sameTrain(a: Train, b: Train): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].window !== b[i].window || a[i].timePs !== b[i].timePs) return false;
  return true;
}

function sameWindows(a: Train, b: Train): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].window !== b[i].window) return false;
  return true;
}

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
      v = columnOutputUa(col, mask);
      byMask.set(mask, v);
    }
    buf[s] = v;
  }
  return buf;
}

/** Verdict for a changed spike train of neuron (li, c): compare at the pins, re-simulating the downstream cone if needed. */
function propagate(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train, observable: ReadonlySet<number>): CompareVerdict {
  const good = ctx.trains[li][c];
  const vec = ctx.vector;
  const res = vec.timingResolutionPs ?? 1;
  const last = net.layers.length - 1;
  // Downstream layers see spikes only as window-start pulses: same windows → nothing downstream changes.
  if (li === last || sameWindows(good, train)) return observable.has(li) ? compareTrains(good, train, vec.toleranceBandPs, res) : 0;
  const quick = nextLayerVerdict(net, ctx, li, c, train, observable);
  if (quick !== null) return quick;
  const spikes: Spike[] = ctx.layers[li].run.spikes.filter((s) => s.neuron !== c);
  for (const t of train) spikes.push({ layer: li, neuron: c, window: t.window, timePs: t.timePs });
  spikes.sort((a, b) => a.timePs - b.timePs || a.neuron - b.neuron);
  const all: Spike[] = [];
  for (let l = 0; l < li; l++) all.push(...ctx.layers[l].run.spikes);
  all.push(...spikes);
  let events = spikesToEvents(spikes, vec.stimulus);
  for (let l = li + 1; l <= last; l++) {
    const run = simulateLayer(net, l, vec.stimulus, events, { rngSalt: ctx.rep });
    all.push(...run.spikes);
    events = spikesToEvents(run.spikes, vec.stimulus);
  }
  return verdictOf(responsesDiffer(ctx.observed, observableSpikes(net, all), vec.toleranceBandPs, res));
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
    const batch: CellPlan[] = [];
    const batchFault: number[] = [];
    for (let v = 0; v < vectors.length && !c.aborted(); v++) {
      const vec = vectors[v];
      const reps = repetitionsOf(net, vec);
      const ctxs = Array.from({ length: reps }, (_, rep) => createVectorContext(net, vec, rep));
      const todo = c.pending();
      // A batch is a run of consecutive cell faults on one column whose spike windows are all that matters.
      const batchKey = (plan: FaultPlan): number => {
        if (plan.kind !== "cell" || reps !== 1 || !monotone[plan.layer] || observable.has(plan.layer) || !batchable(ctxs[0], plan.layer)) return -1;
        return plan.layer * 1e9 + plan.col;
      };
      for (let k = 0; k < todo.length; ) {
        const plan = plans[todo[k]];
        const key = batchKey(plan);
        if (key >= 0) {
          let end = k;
          batch.length = 0;
          batchFault.length = 0;
          const L = ctxs[0].layers[(plan as CellPlan).layer];
          const good = ctxs[0].trains[(plan as CellPlan).layer][(plan as CellPlan).col];
          while (end < todo.length && batchKey(plans[todo[end]]) === key) {
            const p = plans[todo[end]] as CellPlan;
            // Rows not driven, and the comparison-principle skips, are decided here as in evaluate().
            const skip = !L.everActive[p.row] || (p.newOhms > p.oldOhms && good.length === 0) || (p.newOhms < p.oldOhms && good.length === vec.stimulus.windows);
            if (!skip) {
              batch.push(p);
              batchFault.push(todo[end]);
            }
            end++;
          }
          evaluations += end - k;
          fastPath += end - k;
          if (batch.length > 0) {
            for (const b of columnBatchChanged(net, ctxs[0], (plan as CellPlan).layer, (plan as CellPlan).col, batch)) {
              c.record(batchFault[b], v, evaluate(net, ctxs[0], batch[b], true, observable, scratch));
            }
          }
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
