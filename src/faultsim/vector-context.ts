/**
 * Everything the fast engine keeps from the good simulation of one vector and
 * repetition: the observable response, each neuron's spike train, each layer's
 * segments and column currents, which rows are driven when, and (lazily) each
 * column's sensitivity for each distinct set of driven rows.
 *
 *   const ctx = createVectorContext(net, vector, rep);
 *   ctx.trains[0][3]          // good spikes of l0.n3: [{ window, timePs }]
 *   ctx.sensitivity(0, s, 3)  // ColumnSensitivity of l0.c3 in segment s
 *   ctx.segmentSensitivity(0, s, 3)  // its SegmentSensitivity (line opens, neuron input)
 *
 * Sensitivities are O(rows) arrays per column: a campaign over a large layer releases a
 * column's (`releaseColumn`) once its faults are done, and their buffers go back to a
 * `SensitivityPool` that lives across vectors — a fresh set of typed arrays for every
 * column and vector would be garbage the collector has to chase (issue 17: it was 40 %
 * of a bnn campaign).
 *
 * With a differential read (sim/differential-read.ts) the sensitivities are
 * differential: their `outputUa` is the neuron current (column − reference) of the good
 * run, so `outputWithCellChange` gives a faulty neuron current directly — a fault never
 * changes the reference column, so its current is a constant per driven-row set.
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import {
  columnSensitivities,
  columnSensitivity,
  createColumnSensitivity,
  createSegmentSensitivity,
  segmentSensitivity,
  type ColumnSensitivity,
  type SegmentSensitivity,
} from "../sim/crossbar.ts";
import { columnElectrics, referenceCurrentUa, referenceElectrics } from "../sim/differential-read.ts";
import type { LayerRun } from "../sim/network.ts";
import type { FaultSimVector } from "./fault-engine.ts";
import { goodResponse, type GoodResponse } from "./good-response.ts";
import type { Spike } from "../formats/spike-format.ts";
import type { CompareVerdict } from "./response-rule.ts";

export interface LayerContext {
  run: LayerRun;
  /** Per segment: driven-row mask (shared between segments with the same key). */
  active: Uint8Array[];
  /** Per segment: index of its distinct driven-row set. */
  maskId: Int32Array;
  /** Rows driven in at least one segment. */
  everActive: Uint8Array;
  /** Lowest driven row over the vector (Infinity if none). */
  firstActiveRow: number;
  /** A segment index when every driven segment has the same driven-row set (else −1). */
  singleDriven: number;
}

export interface VectorContext {
  vector: FaultSimVector;
  rep: number;
  observed: Spike[];
  layers: LayerContext[];
  /** trains[l][c]: good spikes of neuron c of layer l, by time. */
  trains: { window: number; timePs: number }[][][];
  /** Sensitivity of column c of layer l during segment s (cached per distinct driven set); outputUa is the neuron current. */
  sensitivity(l: number, s: number, c: number): ColumnSensitivity;
  /** Segment / neuron-input sensitivity of column c of layer l during segment s (cached like `sensitivity`); outputUa is the neuron current. */
  segmentSensitivity(l: number, s: number, c: number): SegmentSensitivity;
  /** Both sensitivities of column c of layer l during segment s at once (one pass over the column instead of two; then cached like each). */
  bothSensitivities(l: number, s: number, c: number): void;
  /** Reference-column current of layer l during segment s, µA (0 for a single-ended read or no driven row). */
  referenceUa(l: number, s: number): number;
  /** Sensitivity of layer l's reference column during segment s (null for a single-ended read): for a change of the driven rows. */
  referenceSensitivity(l: number, s: number): ColumnSensitivity | null;
  /** Downstream verdicts by (layer, neuron, faulty spike windows): the layers below see only windows. */
  downstream: Map<string | number, CompareVerdict>;
  /** Forget column c of layer l's sensitivities (every driven-row set) and return their buffers to the pool; recomputed if asked again. */
  releaseColumn(l: number, c: number): void;
}

/** Free sensitivity buffers by row count, reused across columns and vectors of one campaign. */
export interface SensitivityPool {
  column: Map<number, ColumnSensitivity[]>;
  segment: Map<number, SegmentSensitivity[]>;
}

export function createSensitivityPool(): SensitivityPool {
  return { column: new Map(), segment: new Map() };
}

function take<T>(free: Map<number, T[]>, rows: number, make: (rows: number) => T): T {
  return free.get(rows)?.pop() ?? make(rows);
}

function give<T>(free: Map<number, T[]>, rows: number, x: T): void {
  let list = free.get(rows);
  if (!list) free.set(rows, (list = []));
  list.push(x);
}

/** `given`: the good response of this vector and repetition when the caller has it (shared-good-runs.ts), else simulated here. */
export function createVectorContext(net: CompiledNetwork, vector: FaultSimVector, rep: number, pool: SensitivityPool = createSensitivityPool(), given?: GoodResponse): VectorContext {
  const good = given ?? goodResponse(net, vector, rep);
  let masks = 0;
  const maskLayer: number[] = []; // layer of each driven-row set id
  const layers = good.run.layers.map((run, li): LayerContext => {
    const rows = net.layers[li].rows;
    const byKey = new Map<number, Uint8Array>();
    const ids = new Map<Uint8Array, number>();
    const everActive = new Uint8Array(rows);
    let firstActiveRow = Infinity;
    const maskId = new Int32Array(run.segments.length);
    const active = run.segments.map((seg, s) => {
      let m = byKey.get(seg.key);
      if (!m) {
        m = new Uint8Array(rows);
        maskLayer.push(li);
        ids.set(m, masks++);
        for (const r of seg.activeRows) {
          m[r] = 1;
          everActive[r] = 1;
          if (r < firstActiveRow) firstActiveRow = r;
        }
        byKey.set(seg.key, m);
      }
      maskId[s] = ids.get(m)!;
      return m;
    });
    let singleDriven = -1;
    for (let s = 0; s < run.segments.length; s++) {
      if (run.segments[s].activeRows.length === 0) continue;
      if (singleDriven < 0) singleDriven = s;
      else if (maskId[s] !== maskId[singleDriven]) {
        singleDriven = -1;
        break;
      }
    }
    return { run, active, maskId, everActive, firstActiveRow, singleDriven };
  });
  const trains = good.run.layers.map((run, li) => {
    const t: { window: number; timePs: number }[][] = Array.from({ length: net.layers[li].cols }, () => []);
    for (const s of run.spikes) t[s.neuron].push({ window: s.window, timePs: s.timePs });
    return t;
  });
  return new GoodVectorContext(net, vector, rep, good.observed, layers, trains, pool, masks, maskLayer);
}

/**
 * A VectorContext as a class: its methods are one function each for every vector of a
 * campaign. As closures made per vector (an object literal), every vector brought new call
 * targets, and the optimised code calling them (column batch, windows classes, faulty
 * currents) was thrown away on the second vector and compiled again (--trace-deopt: "wrong
 * call target") — in every pool thread.
 */
class GoodVectorContext implements VectorContext {
  // Fields are `declare`d and set in the constructor, all of them, in one order: a class field is
  // defined as undefined before the constructor assigns it, and each such first assignment
  // generalised the field's type and deprecated the map (optimised code then deopted: "wrong map").
  declare readonly vector: FaultSimVector;
  declare readonly rep: number;
  declare readonly observed: Spike[];
  declare readonly layers: LayerContext[];
  declare readonly trains: { window: number; timePs: number }[][][];
  declare readonly downstream: Map<string | number, CompareVerdict>;
  declare private readonly net: CompiledNetwork;
  declare private readonly pool: SensitivityPool;
  /** Distinct driven-row sets, and the layer of each. */
  declare private readonly masks: number;
  declare private readonly maskLayer: number[];
  /** Per layer and driven-row set: one slot per column. */
  declare private readonly sens: Map<number, (ColumnSensitivity | undefined)[]>;
  declare private readonly segSens: Map<number, (SegmentSensitivity | undefined)[]>;
  declare private readonly refs: Map<number, number>;
  declare private readonly refSens: Map<number, ColumnSensitivity>;

  constructor(net: CompiledNetwork, vector: FaultSimVector, rep: number, observed: Spike[], layers: LayerContext[], trains: { window: number; timePs: number }[][][], pool: SensitivityPool, masks: number, maskLayer: number[]) {
    this.vector = vector;
    this.rep = rep;
    this.observed = observed;
    this.layers = layers;
    this.trains = trains;
    this.downstream = new Map();
    this.net = net;
    this.pool = pool;
    this.masks = masks;
    this.maskLayer = maskLayer;
    this.sens = new Map();
    this.segSens = new Map();
    this.refs = new Map();
    this.refSens = new Map();
  }

  referenceUa(l: number, s: number): number {
    const layer = this.net.layers[l];
    const L = this.layers[l];
    if (!layer.reference || L.run.segments[s].activeRows.length === 0) return 0;
    const key = L.maskId[s];
    let v = this.refs.get(key);
    if (v === undefined) {
      v = referenceCurrentUa(layer, L.active[s], this.net.writeVoltageV);
      this.refs.set(key, v);
    }
    return v;
  }

  referenceSensitivity(l: number, s: number): ColumnSensitivity | null {
    const e = referenceElectrics(this.net.layers[l], this.net.writeVoltageV);
    if (!e) return null;
    const key = this.layers[l].maskId[s];
    let x = this.refSens.get(key);
    if (!x) {
      x = columnSensitivity(e, this.layers[l].active[s]);
      this.refSens.set(key, x);
    }
    return x;
  }

  releaseColumn(l: number, c: number): void {
    const rows = this.net.layers[l].rows;
    for (let id = 0; id < this.masks; id++) {
      if (this.maskLayer[id] !== l) continue;
      const a = this.sens.get(id);
      const x = a?.[c];
      if (x) (give(this.pool.column, rows, x), (a![c] = undefined));
      const b = this.segSens.get(id);
      const y = b?.[c];
      if (y) (give(this.pool.segment, rows, y), (b![c] = undefined));
    }
  }

  bothSensitivities(l: number, s: number, c: number): void {
    const L = this.layers[l];
    const key = L.maskId[s];
    const layer = this.net.layers[l];
    let a = this.sens.get(key);
    if (!a) this.sens.set(key, (a = new Array(layer.cols)));
    let b = this.segSens.get(key);
    if (!b) this.segSens.set(key, (b = new Array(layer.cols)));
    if (a[c] || b[c]) return; // one is there: the other is computed alone when asked
    const x = take(this.pool.column, layer.rows, createColumnSensitivity);
    const y = take(this.pool.segment, layer.rows, createSegmentSensitivity);
    columnSensitivities(columnElectrics(layer, c, this.net.writeVoltageV), L.active[s], x, y);
    if (layer.reference) {
      const ref = this.referenceUa(l, s);
      x.outputUa -= ref;
      y.outputUa -= ref;
    }
    a[c] = x;
    b[c] = y;
  }

  segmentSensitivity(l: number, s: number, c: number): SegmentSensitivity {
    const L = this.layers[l];
    const key = L.maskId[s];
    let arr = this.segSens.get(key);
    if (!arr) {
      arr = new Array(this.net.layers[l].cols);
      this.segSens.set(key, arr);
    }
    let x = arr[c];
    if (!x) {
      const layer = this.net.layers[l];
      x = segmentSensitivity(columnElectrics(layer, c, this.net.writeVoltageV), L.active[s], take(this.pool.segment, layer.rows, createSegmentSensitivity));
      if (layer.reference) x.outputUa -= this.referenceUa(l, s);
      arr[c] = x;
    }
    return x;
  }

  sensitivity(l: number, s: number, c: number): ColumnSensitivity {
    const L = this.layers[l];
    const key = L.maskId[s];
    let arr = this.sens.get(key);
    if (!arr) {
      arr = new Array(this.net.layers[l].cols);
      this.sens.set(key, arr);
    }
    let x = arr[c];
    if (!x) {
      const layer = this.net.layers[l];
      x = columnSensitivity(columnElectrics(layer, c, this.net.writeVoltageV), L.active[s], take(this.pool.column, layer.rows, createColumnSensitivity));
      if (layer.reference) x.outputUa -= this.referenceUa(l, s);
      arr[c] = x;
    }
    return x;
  }
}
