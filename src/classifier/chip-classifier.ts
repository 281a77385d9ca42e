/**
 * The trained chip classifying digits through the electrical simulator (src/sim):
 * binary input coding over two coding windows — the hidden layer integrates the
 * image's row currents in window 0 and fires (or not), its spikes drive the output
 * crossbar in window 1, and the class is the output that spikes first (the largest
 * output current crosses threshold earliest). No output spike = no answer (−1).
 *
 *   const net = compileNetwork(bench);
 *   classifyOnChip(net, pixels)          // → 0..9 or −1, full simulateNetwork run
 *   const ev = createChipEvaluator(net, heldOut, 200);
 *   ev.accuracy(); ev.refreshColumns([3, 17]); ev.accuracy();   // after weight changes
 *
 * The evaluator is the cheap path the lifetime Monte-Carlo needs: it keeps every
 * image's hidden-layer column currents and reference current (the same ladder solves
 * as network.ts) and re-solves only the columns whose cells changed; the neuron step
 * and the output layer run the simulator's own code. A test checks both paths agree.
 * `setReferences` gives groups of columns their own reference cells (a reference that
 * ages with its region's MTJs, lifetime.ts); by default every column reads against
 * the layer's reference column.
 */
import { InputError } from "../formats/errors.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { encode } from "../sim/coding.ts";
import { columnOutputUa } from "../sim/crossbar.ts";
import { columnElectrics, referenceCurrentUa } from "../sim/differential-read.ts";
import { drivenWindows, observableSpikes, runNeuron, simulateLayer, simulateNetwork, spikesToEvents, type LayerRun, type Spike } from "../sim/network.ts";
import { packSpikeLists, unpackSpikeList, type PackedSpikeLists } from "../sim/spike-lists.ts";
import { segmentStimulus, type Segment, type Stimulus } from "../sim/stimulus.ts";
import type { DigitSet } from "./mnist-dataset.ts";

/** Coding windows of one classification: hidden layer in window 0, outputs in window 1. */
export const CLASSIFY_WINDOWS = 2;

/** The stimulus of one image (binary coding: every black pixel spikes at each window start). */
export function imageStimulus(net: CompiledNetwork, pixels: ArrayLike<number>): Stimulus {
  const events = encode({ kind: "binary" }, Array.from(pixels), { windows: CLASSIFY_WINDOWS, iwPs: net.iwPs, lwPs: net.lwPs });
  return { iwPs: net.iwPs, lwPs: net.lwPs, windows: CLASSIFY_WINDOWS, events };
}

/** First-spike decision over the observable outputs (ties in time → lowest output); −1 when none spikes. */
export function firstSpikeClass(net: CompiledNetwork, spikes: Spike[]): number {
  const obs = observableSpikes(net, spikes);
  return obs.length ? obs[0].output : -1;
}

/** Class of one image through the full network simulation. */
export function classifyOnChip(net: CompiledNetwork, pixels: ArrayLike<number>): number {
  return firstSpikeClass(net, simulateNetwork(net, imageStimulus(net, pixels)).spikes);
}

export interface ChipEvaluator {
  count: number;
  /** Re-solve the hidden-layer currents of these columns for every image (after their cells changed). */
  refreshColumns(cols: Iterable<number>): void;
  /** Copy the cached currents of these columns; the returned function puts them back (cheaper than re-solving them after a change is undone). */
  keepColumns(cols: readonly number[]): () => void;
  /** Spikes of hidden neuron c on image i, from its cached current. */
  neuronSpikes(i: number, c: number): Spike[];
  /** The windows of neuronSpikes(i, c) as a bit mask (drivenWindows: no spike list; stimuli of < 31 windows). */
  neuronWindows(i: number, c: number): number;
  /** The stimulus of image i. */
  stimulus(i: number): Stimulus;
  /** Spikes of the whole hidden layer on image i (neuron by neuron). */
  hiddenSpikes(i: number): Spike[];
  /** Output-layer spikes of image i when the hidden layer spiked `hidden` (reads the network's output layer as it is now). */
  outputSpikes(i: number, hidden: Spike[]): Spike[];
  /** outputSpikes' whole run of the output layer (its segments and currents too). */
  outputRun(i: number, hidden: Spike[]): LayerRun;
  /** Class of image i from the cached hidden currents. */
  classify(i: number): number;
  /**
   * Read column c against reference group `groupOf[c]`, whose cells are `cellOhms[g]`
   * (the layer's reference line and sense path); re-solves every image's reference currents.
   */
  setReferences(groupOf: ArrayLike<number>, cellOhms: Float64Array[]): void;
  /** Fraction of the images classified correctly. */
  accuracy(): number;
}

/**
 * Hidden-layer column currents of columns [start, end) on the first `count` images, µA,
 * at [(c − start)·count + i]: the evaluator's start-up (a ladder solve per column and
 * image, ~1 s on bnn-mnist × 200 digits), computable in slices on pool threads.
 */
export function columnCurrentsUa(net: CompiledNetwork, set: DigitSet, count: number, start: number, end: number): Float64Array {
  const l0 = net.layers[0];
  const out = new Float64Array((end - start) * count);
  for (let c = start; c < end; c++) {
    const e = columnElectrics(l0, c, net.writeVoltageV);
    for (let i = 0; i < count; i++) out[(c - start) * count + i] = columnOutputUa(e, set.pixels.subarray(i * l0.rows, (i + 1) * l0.rows));
  }
  return out;
}

/** One hidden column of the good chip on every image: its currents (µA, by image) and its neuron's spikes (one list per image, packed). */
export interface GoodColumn {
  ua: Float64Array;
  spikes: PackedSpikeLists;
}

/**
 * The good chip's hidden columns one at a time (a pool thread's slice of them): column c's
 * currents solved (columnCurrentsUa) and its neuron run on each image (the evaluator's
 * neuronSpikes). A chip's hidden spikes on image i are the columns' spikes in column order
 * (hiddenSpikesOf), as the evaluator's hiddenSpikes gives them.
 */
export function createGoodColumns(net: CompiledNetwork, set: DigitSet, count = set.count, images?: ChipImages): (c: number) => GoodColumn {
  const cols = net.layers[0].cols;
  const cache = new Float64Array(count * cols); // the evaluator's current cache: filled column by column
  const ev = createChipEvaluator(net, set, count, { columnUa: cache, images });
  return (c) => {
    const ua = columnCurrentsUa(net, set, count, c, c + 1);
    for (let i = 0; i < count; i++) cache[i * cols + c] = ua[i];
    return { ua, spikes: packSpikeLists(Array.from({ length: count }, (_, i) => ev.neuronSpikes(i, c))) };
  };
}

/** The hidden spikes of each image from every column's (in column order), and the currents image-major ([i·cols + c]). */
export function joinGoodColumns(columns: readonly GoodColumn[], count: number): { hidden: Spike[][]; columnUa: Float64Array } {
  const { packed, columnUa } = joinGoodColumnsPacked(columns, count);
  return { hidden: Array.from({ length: count }, (_, i) => unpackSpikeList(packed, i)), columnUa };
}

/** joinGoodColumns with the hidden spikes left packed (typed arrays copied; no spike object): what crosses to the pool's threads. */
export function joinGoodColumnsPacked(columns: readonly GoodColumn[], count: number): { packed: PackedSpikeLists; columnUa: Float64Array } {
  const cols = columns.length;
  const columnUa = new Float64Array(count * cols);
  columns.forEach((g, c) => g.ua.forEach((x, i) => (columnUa[i * cols + c] = x)));
  const n = columns.reduce((s, g) => s + g.spikes.start[count], 0);
  const packed: PackedSpikeLists = { start: new Int32Array(count + 1), layer: new Int32Array(n), neuron: new Int32Array(n), window: new Int32Array(n), timePs: new Float64Array(n) };
  let at = 0;
  for (let i = 0; i < count; i++) {
    packed.start[i] = at;
    for (const { spikes: s } of columns) {
      const from = s.start[i];
      const to = s.start[i + 1];
      packed.layer.set(s.layer.subarray(from, to), at);
      packed.neuron.set(s.neuron.subarray(from, to), at);
      packed.window.set(s.window.subarray(from, to), at);
      packed.timePs.set(s.timePs.subarray(from, to), at);
      at += to - from;
    }
  }
  packed.start[count] = at;
  return { packed, columnUa };
}

/** What an evaluator derives from each image before any column: its stimulus, segments, driven rows and reference current (read-only: evaluators of one chip and set may share it). */
export interface ChipImages {
  count: number;
  stims: Stimulus[];
  segs: Segment[][];
  active: Uint8Array[];
  refUa: Float64Array;
}

/** The per-image inputs of the first `count` images of a set on a chip. */
export function chipImages(net: CompiledNetwork, set: DigitSet, count = set.count): ChipImages {
  const l0 = net.layers[0];
  const rows = l0.rows;
  const stims = Array.from({ length: count }, (_, i) => imageStimulus(net, set.pixels.subarray(i * rows, (i + 1) * rows)));
  const active = stims.map((_, i) => set.pixels.subarray(i * rows, (i + 1) * rows));
  return { count, stims, segs: stims.map((s) => segmentStimulus(s, rows)), active, refUa: Float64Array.from(active, (a) => referenceCurrentUa(l0, a, net.writeVoltageV)) };
}

/**
 * Cached-current evaluator over the first `count` images of a set (two-layer networks); `columnUa` (from columnCurrentsUa, image-major: [i·cols + c]) skips its solves and becomes its cache;
 * `images` (chipImages of the same chip, set and count) spares deriving them again.
 */
export function createChipEvaluator(net: CompiledNetwork, set: DigitSet, count = set.count, given?: { columnUa?: Float64Array; images?: ChipImages }): ChipEvaluator {
  if (net.layers.length !== 2) throw new InputError(`${net.id}: the chip evaluator handles two-layer networks (this one has ${net.layers.length}); use classifyOnChip`);
  const l0 = net.layers[0];
  const V = net.writeVoltageV;
  if (given?.images && given.images.count !== count) throw new InputError(`${net.id}: images derived for ${given.images.count} digits given to an evaluator of ${count}`);
  const { stims, segs, active, refUa: goodRefUa } = given?.images ?? chipImages(net, set, count);
  // refUa[g][i]: reference group g's current for image i; groupOf[c]: column c's group.
  let refUa = [goodRefUa];
  let groupOf: ArrayLike<number> = new Uint8Array(l0.cols);
  if (given?.columnUa && given.columnUa.length !== count * l0.cols) throw new InputError(`${net.id}: ${given.columnUa.length} column currents given for ${count} images × ${l0.cols} columns`);
  const columnUa = given?.columnUa ?? new Float64Array(count * l0.cols);
  const refreshColumns = (cols: Iterable<number>) => {
    for (const c of cols) {
      const e = columnElectrics(l0, c, V);
      for (let i = 0; i < count; i++) columnUa[i * l0.cols + c] = columnOutputUa(e, active[i]);
    }
  };
  const setReferences = (groups: ArrayLike<number>, cellOhms: Float64Array[]) => {
    const ref = l0.reference;
    if (!ref) throw new InputError(`${net.id}: layer 0 reads single-ended (no device.referenceColumn); there is no reference to replace`);
    refUa = cellOhms.map((ohms) => Float64Array.from(active, (a) => columnOutputUa({ cellOhms: ohms, segmentOhms: ref.segmentOhms, neuronInputOhms: ref.neuronInputOhms, writeVoltageV: V }, a)));
    groupOf = groups;
  };
  if (!given?.columnUa) refreshColumns(Array.from({ length: l0.cols }, (_, c) => c));
  const keepColumns = (cols: readonly number[]) => {
    const kept = cols.map((c) => Float64Array.from({ length: count }, (_, i) => columnUa[i * l0.cols + c]));
    return () => cols.forEach((c, k) => kept[k].forEach((x, i) => (columnUa[i * l0.cols + c] = x)));
  };
  const neuronUa = (i: number, c: number) => columnUa[i * l0.cols + c] - refUa[groupOf[c]][i];
  const neuronSpikes = (i: number, c: number): Spike[] => {
    const seg = segs[i];
    const iUa = neuronUa(i, c);
    return runNeuron(l0.model, l0.neurons[c], seg, (s) => (seg[s].activeRows.length ? iUa : 0), null).map((sp) => ({ layer: 0, neuron: c, window: sp.window, timePs: sp.timePs }));
  };
  const neuronWindows = (i: number, c: number) => drivenWindows(l0.model, l0.neurons[c], segs[i], neuronUa(i, c));
  const hiddenSpikes = (i: number) => Array.from({ length: l0.cols }, (_, c) => neuronSpikes(i, c)).flat();
  const outputRun = (i: number, hidden: Spike[]) => simulateLayer(net, 1, stims[i], spikesToEvents(hidden, stims[i]));
  const outputSpikes = (i: number, hidden: Spike[]) => outputRun(i, hidden).spikes;
  const classify = (i: number) => firstSpikeClass(net, outputSpikes(i, hiddenSpikes(i)));
  return {
    count,
    refreshColumns,
    keepColumns,
    setReferences,
    neuronSpikes,
    neuronWindows,
    stimulus: (i) => stims[i],
    hiddenSpikes,
    outputSpikes,
    outputRun,
    classify,
    accuracy() {
      let ok = 0;
      for (let i = 0; i < count; i++) if (classify(i) === set.labels[i]) ok++;
      return ok / count;
    },
  };
}
