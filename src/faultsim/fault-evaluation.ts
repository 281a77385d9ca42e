/**
 * One non-general fault evaluated on one repetition of a vector (fast-engine.ts): skips,
 * faulty currents (fault-currents.ts), the neuron re-run with the good run's random stream,
 * and the verdict of a changed train (changed-train-verdict.ts); and the column batch — a
 * column's cell and segment faults on one driven-row set, of which only those that may
 * change the spike windows are evaluated, one per windows class (column-batch.ts).
 *
 *   const verdict = evaluateFault(net, ctx, t, i, monotone, observable, scratch, Number.NaN);
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { outputWithCellChange, outputWithSegmentChange, type ColumnSensitivity, type SegmentSensitivity } from "../sim/crossbar.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";
import { neuronRng, runNeuron } from "../sim/network.ts";
import { criterionVerdict, propagate } from "./changed-train-verdict.ts";
import { columnBatchChanged, windowClasses } from "./column-batch.ts";
import { faultyCurrents, skips } from "./fault-currents.ts";
import { PlanKind, type ColumnPlan, type PlanTable } from "./fault-plan.ts";
import { isExactTrain } from "./pass-criteria.ts";
import type { CompareVerdict } from "./response-rule.ts";
import { sameTrain } from "./spike-trains.ts";
import type { VectorContext } from "./vector-context.ts";

/** Scratch buffers reused across the whole campaign. */
export interface Scratch {
  buf: Float64Array;
  batchUa: Float64Array;
  sorted: Float64Array;
  changed: Int32Array;
  batchFault: Int32Array;
  classOf: Int32Array;
}

/** Fresh scratch buffers (they grow as needed). */
export function createScratch(): Scratch {
  return { buf: new Float64Array(64), batchUa: new Float64Array(64), sorted: new Float64Array(64), changed: new Int32Array(64), batchFault: new Int32Array(64), classOf: new Int32Array(64) };
}

/**
 * Evaluate one non-general fault on one repetition of a vector. `batchUa` (a column
 * batch's cell or segment fault, past its skips) is its faulty current in every driven
 * segment, already computed by the batch with the same expression faultyCurrents uses.
 */
export function evaluateFault(
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

/**
 * One column's faults live[k..end) on a deterministic vector: the cell and segment faults
 * that pass the skips get their faulty current I' (O(1) each) and the batch picks those
 * that may change the spike windows; only those, and the other kinds, are evaluated one
 * by one (`single`). Returns how many cell / segment evaluations the batch settled.
 * `single` and `settle` take the caller's `state` first: module functions, the same call
 * targets in every engine run (a closure per run threw the optimised batch away in each).
 */
export function runColumnBatch<S>(
  net: CompiledNetwork,
  ctx: VectorContext,
  t: PlanTable,
  live: Int32Array,
  k: number,
  end: number,
  state: S,
  single: (state: S, i: number, batchUa?: number) => CompareVerdict,
  settle: (state: S, i: number, verdict: CompareVerdict) => void,
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
  const p0 = live[k];
  const li = t.layer[p0];
  const col = t.col[p0];
  const L = ctx.layers[li];
  const s = L.singleDriven;
  // The skips of `skips` (monotone, hidden layer) with what they read of the column hoisted out of the loop.
  const everActive = L.everActive;
  const firstActiveRow = L.firstActiveRow;
  const goodSpikes = ctx.trains[li][col].length;
  const silent = goodSpikes === 0;
  const saturated = goodSpikes === ctx.vector.stimulus.windows;
  const { kind, index, oldOhms, newOhms } = t;
  const V = net.writeVoltageV;
  // The column's sensitivities, fetched once (lazily: a column may have no fault of a kind).
  let cellSens: ColumnSensitivity | null = null;
  let segSens: SegmentSensitivity | null = null;
  // A column with line faults needs both sensitivities (the batch always needs the cell one): one pass gives both.
  for (let j = k; j < end; j++) {
    if (kind[live[j]] === PlanKind.segment) {
      ctx.bothSensitivities(li, s, col);
      break;
    }
  }
  let n = 0;
  let settled = 0;
  for (let j = k; j < end; j++) {
    const p = live[j];
    const kd = kind[p];
    if (kd === PlanKind.cell) {
      settled++;
      const row = index[p];
      if (everActive[row] === 0) continue;
      const r0 = oldOhms[p];
      const r1 = newOhms[p];
      if ((r1 > r0 && silent) || (r1 < r0 && saturated)) continue;
      cellSens ??= ctx.sensitivity(li, s, col);
      batchUa[n] = outputWithCellChange(cellSens, row, r0, r1, V);
    } else if (kd === PlanKind.segment) {
      settled++;
      const at = index[p];
      if (at < firstActiveRow) continue;
      segSens ??= ctx.segmentSensitivity(li, s, col);
      batchUa[n] = outputWithSegmentChange(segSens, at, oldOhms[p], newOhms[p]);
    } else {
      single(state, p);
      continue;
    }
    batchFault[n++] = p;
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
    if (verdicts[k] < 0) verdicts[k] = single(state, i, batchUa[changed[b]]);
    else settle(state, i, verdicts[k] as CompareVerdict);
  }
  return settled - m;
}
