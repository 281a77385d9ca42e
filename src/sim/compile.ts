/**
 * Compile a validated testbench into the simulator's flat, typed network: per layer
 * the weight matrix, each cell's branch resistance, each segment's resistance, the
 * neuron input resistance and the neuron parameters of every column.
 *
 *   const net = compileNetwork(bench);  net.layers[0].cellOhms[c * rows + r]
 *
 * Multi-level weights w ∈ [0, 1] interpolate the MTJ conductance between AP and P
 * (seed 001's domain-wall synapse: G = G_P·w + G_AP·(1 − w) + G_DW, `mtjOhms`; a device
 * with `domainWall` has levels ℓ/(levels − 1)). With
 * `device.referenceColumn` every layer also gets a reference column (differential-read.ts).
 * Weights may come from a bit-packed file (formats/weight-file.ts; the loader made its
 * path absolute and checked its hash). A layer's `regions` give columns their own R_L,
 * R_H, access resistance and Δ (a mixed-retention array); `columnDeltaKt` keeps each
 * column's Δ for retention (NaN where neither region nor device gives one).
 */
import type { DeviceParams, InhibitionSpec, NeuronSpec, Testbench } from "../formats/testbench-format.ts";
import { readWeightFile } from "../formats/weight-file.ts";
import { InputError } from "../formats/errors.ts";
import type { NeuronParams } from "./neuron/neuron-model.ts";
import { neuronModels, type NeuronModelId } from "./neuron/neuron-registry.ts";
import { createRng } from "./rng.ts";

/** One crossbar layer, flat column-major arrays: cell (r, c) and segment k of column c are at c * rows + r / c * rows + k. */
export interface CompiledLayer {
  rows: number;
  cols: number;
  /** Weight of each cell in [0, 1]. */
  weights: Float64Array;
  /** Branch resistance (MTJ + access + in-cell series), ohms. */
  cellOhms: Float64Array;
  /** Column line segment resistance, ohms. */
  segmentOhms: Float64Array;
  /** Neuron input resistance per column, ohms. */
  neuronInputOhms: Float64Array;
  /** Neuron model of this layer. */
  model: NeuronModelId;
  /** Neuron parameters per column. */
  neurons: NeuronParams[];
  /** Seed of the stochastic neuron streams of this layer. */
  neuronSeed: number;
  /** Reference column of a differential read (subtracted from every column), or null for a single-ended read. */
  reference: ReferenceColumn | null;
  /** Thermal stability Δ of each column's MTJs (its region's, else the device's, else NaN); absent on hand-built layers. */
  columnDeltaKt?: Float64Array;
  /** Lateral inhibition among the layer's neurons (inhibition.ts); absent or null = none. */
  inhibition?: InhibitionSpec | null;
  /** Extra resistance on a cell's sense (READ) path only, ohms, by cell index c * rows + r; absent = none (read-sense.ts). */
  readExtraOhms?: ReadonlyMap<number, number>;
}

/**
 * The reference column of a differential read: one cell per row at a fixed weight,
 * driven by the same rows as the layer, on its own line and sense path. Faults never
 * touch it (perturbation.ts shares it between a network and its faulty copies).
 */
export interface ReferenceColumn {
  /** Weight of every reference cell. */
  weight: number;
  /** Branch resistance of each reference cell (MTJ + access), ohms, by row. */
  cellOhms: Float64Array;
  /** Line segment resistances, ohms, by row. */
  segmentOhms: Float64Array;
  /** Resistance from the reference column's bottom to ground, ohms. */
  neuronInputOhms: number;
}

/** A compiled chip. */
export interface CompiledNetwork {
  id: string;
  layers: CompiledLayer[];
  writeVoltageV: number;
  /** Default window timing, ps. */
  iwPs: number;
  lwPs: number;
  /** Which layers reach the pins. */
  observe: "outputs" | "all";
  /** Device electrics the cells were built from (weight changes recompute from it). */
  device: DeviceParams;
}

/** R_H of a device. */
export function highOhms(d: DeviceParams): number {
  return d.rHighOhms ?? d.rLowOhms * (1 + (d.tmrPercent ?? 0) / 100);
}

/**
 * MTJ resistance for a multi-level weight w ∈ [0, 1] — the one level → conductance rule.
 * Seed 001 eq. 6, the domain-wall synapse with the wall at x/L = w:
 *
 *   G(w) = G_P·w + G_AP·(1 − w) + G_DW,   G_P = 1/R_L, G_AP = 1/R_H, G_DW = 1/R_DW (0 without `domainWall`)
 *
 * e.g. R_L = 1/4.95 µS, R_H = 5 MΩ, R_DW = 20 MΩ: level 0 → 1/0.25 µS = 4 MΩ, level 15 → 1/5 µS = 200 kΩ.
 */
export function mtjOhms(d: DeviceParams, w: number): number {
  const gP = 1 / d.rLowOhms;
  const gAP = 1 / highOhms(d);
  const gDW = d.domainWall ? 1 / d.domainWall.wallOhms : 0;
  return 1 / (gP * w + gAP * (1 - w) + gDW);
}

/** MTJ resistance of an end state: bit 1 = P (level top), 0 = AP (level 0); exactly R_L / R_H on a binary cell. */
export function endStateOhms(d: DeviceParams, bit: 0 | 1): number {
  if (d.domainWall) return mtjOhms(d, bit);
  return bit === 1 ? d.rLowOhms : highOhms(d);
}

/** Number of programmable levels of the device's synapse (2 = a binary MTJ). */
export function levelCount(d: DeviceParams): number {
  return d.domainWall?.levels ?? 2;
}

/** Weight of level ℓ: the wall at x/L = ℓ/(levels − 1). */
export function weightOfLevel(d: DeviceParams, level: number): number {
  return level / (levelCount(d) - 1);
}

/** Nearest level of a weight (clamped to 0 … levels − 1). */
export function levelOfWeight(d: DeviceParams, w: number): number {
  const top = levelCount(d) - 1;
  return Math.min(top, Math.max(0, Math.round(w * top)));
}

/** Expand a layer's weight spec to a column-major rows × cols Float64Array (rows drawn in row-major order). */
export function expandWeights(spec: Testbench["layers"][number]): Float64Array {
  const w = new Float64Array(spec.rows * spec.cols);
  const ws = spec.weights;
  if (Array.isArray(ws)) {
    for (let r = 0; r < spec.rows; r++) for (let c = 0; c < spec.cols; c++) w[c * spec.rows + r] = ws[r][c];
  } else if (ws.generator === "constant") {
    w.fill(ws.value);
  } else if (ws.generator === "file") {
    const l = readWeightFile(ws.file, ws.sha256, { file: ws.file, where: "sha256" })[ws.layer];
    const top = (l.levels ?? 2) - 1; // a 4-bit file holds levels: weight = level/15
    for (let r = 0; r < spec.rows; r++) for (let c = 0; c < spec.cols; c++) w[c * spec.rows + r] = l.bits[r * spec.cols + c] / top;
  } else {
    const rng = createRng(ws.seed);
    for (let r = 0; r < spec.rows; r++) for (let c = 0; c < spec.cols; c++) w[c * spec.rows + r] = rng.next() < ws.density ? 1 : 0;
  }
  return w;
}

function neuronParams(base: NeuronSpec, override: Partial<NeuronSpec> | undefined): NeuronParams & { model: NeuronModelId; seed: number } {
  const s = { ...base, ...(override ?? {}) };
  return {
    model: s.model as NeuronModelId,
    criticalCurrentUa: s.criticalCurrentUa,
    gainPerUaNs: s.gainPerUaNs,
    leakTauNs: s.leakTauNs ?? Number.POSITIVE_INFINITY, // null = no leak (integrate-and-fire)
    threshold: s.threshold ?? 1,
    sigmoidWidth: s.sigmoidWidth,
    restLevel: s.restLevel,
    switchDelayNs: s.switchDelayNs,
    ...(s.adaptation ? { adaptation: s.adaptation } : {}),
    seed: s.seed ?? 1,
  };
}

/** The reference column of a layer with `rows` rows, or null when the device reads single-ended. */
export function compileReferenceColumn(d: DeviceParams, rows: number): ReferenceColumn | null {
  if (!d.referenceColumn) return null;
  const weight = d.referenceColumn.weight;
  return {
    weight,
    cellOhms: new Float64Array(rows).fill(mtjOhms(d, weight) + d.accessOhms),
    segmentOhms: new Float64Array(rows).fill(d.segmentOhms),
    neuronInputOhms: d.neuronInputOhms,
  };
}

/** Compile a testbench. */
export function compileNetwork(tb: Testbench): CompiledNetwork {
  if (tb.ternaryArray) throw new InputError(`${tb.id}: a ternary (differential-pair) array is simulated at the potential level, not by the crossbar electrics: coverage, generate, run, simulate and emulate take it (sim/chip-kind.ts); this command is for crossbar benches`);
  const d = tb.device;
  const layers = tb.layers.map((spec, li): CompiledLayer => {
    const weights = expandWeights(spec);
    const cellOhms = new Float64Array(weights.length);
    const columnDevice: DeviceParams[] = new Array(spec.cols).fill(d);
    const columnDeltaKt = new Float64Array(spec.cols).fill(d.deltaKt ?? NaN);
    for (const reg of spec.regions ?? []) {
      const { columns, note: _note, deltaKt, ...electrics } = reg;
      const rd = { ...d, ...electrics };
      for (const c of columns) {
        columnDevice[c] = rd;
        if (deltaKt !== undefined) columnDeltaKt[c] = deltaKt;
      }
    }
    for (let i = 0; i < weights.length; i++) {
      const cd = columnDevice[Math.floor(i / spec.rows)];
      cellOhms[i] = mtjOhms(cd, weights[i]) + cd.accessOhms;
    }
    const segmentOhms = new Float64Array(spec.rows * spec.cols).fill(d.segmentOhms);
    const neuronInputOhms = new Float64Array(spec.cols).fill(d.neuronInputOhms);
    const np = neuronParams(tb.neuron, spec.neuron);
    if (!(np.model in neuronModels)) throw new Error(`unknown neuron model ${np.model}`);
    const { model, seed, ...params } = np;
    return {
      rows: spec.rows,
      cols: spec.cols,
      weights,
      cellOhms,
      segmentOhms,
      neuronInputOhms,
      model,
      neurons: Array.from({ length: spec.cols }, () => ({ ...params })),
      neuronSeed: seed + li * 7919,
      reference: compileReferenceColumn(d, spec.rows),
      columnDeltaKt,
      inhibition: spec.inhibition ?? null,
      // present from the start: perturbation.ts sets it, and puts it back, on a chip perturbed in place, and a property added
      // then gives the layer object another class under the optimised engine code that reads layers (a "wrong map" deopt)
      readExtraOhms: undefined,
    };
  });
  return {
    id: tb.id,
    layers,
    writeVoltageV: d.writeVoltageV,
    iwPs: tb.timing.iwPs,
    lwPs: tb.timing.lwPs,
    observe: tb.observe,
    device: d,
  };
}
