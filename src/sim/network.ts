/**
 * Network simulation: a stimulus through every crossbar layer and its neurons.
 *
 * Per layer: cut time into constant-drive segments, solve each column's neuron current
 * for each distinct active-row set (crossbar.ts, minus the reference column of a
 * differential read, differential-read.ts), step every neuron through the segments
 * (neuron/), then turn its spikes into the next layer's input events. A neuron that
 * fires is read and reset (x = 0) and stays at rest for the rest of that coding
 * window, so it spikes at most once per window; a spike in window w drives row j of
 * the next layer at the start of window w + 1 (the same window timing, pipelined),
 * so a spike in the last window does not propagate. A layer with lateral inhibition
 * (inhibition.ts) steps its neurons in lockstep so one neuron's spike can hold the
 * others off. A neuron with spike-frequency adaptation (adaptation.ts) gets its
 * parameters for each segment from its adaptation process, in the same stepper.
 *
 *   const r = simulateNetwork(net, { iwPs: 1000, lwPs: 9000, windows: 3, events });
 *   r.spikes  // [{ layer: 0, neuron: 0, window: 2, timePs: 20532 }]
 */
import { observableLayerIndexes, outputOffsets } from "../formats/observable-outputs.ts";
import type { CompiledLayer, CompiledNetwork } from "./compile.ts";
import { columnOutputUa } from "./crossbar.ts";
import { columnElectrics, referenceCurrentUa } from "./differential-read.ts";
import type { NeuronModel, NeuronParams, NeuronState, NeuronStepScratch } from "./neuron/neuron-model.ts";
import { neuronModels } from "./neuron/neuron-registry.ts";
import { startInhibition } from "./inhibition.ts";
import { startAdaptation } from "./adaptation.ts";
import { createRng, mixSeed, type Rng } from "./rng.ts";
import { periodPs, segmentStimulus, type InputEvent, type Segment, type Stimulus } from "./stimulus.ts";
import { stableSort } from "./stable-sort.ts";

export interface Spike {
  layer: number;
  neuron: number;
  window: number;
  timePs: number;
}

/** What one layer did: its segments, the column currents per segment, its spikes. */
export interface LayerRun {
  segments: Segment[];
  /** currentsUa[s][c]: neuron current of column c during segment s (column − reference), µA. */
  currentsUa: Float64Array[];
  /** Spikes of this layer, by time. */
  spikes: Spike[];
  /** Optional neuron state at the end of each segment: states[s][c]. */
  states?: Float64Array[];
}

export interface SimulationResult {
  spikes: Spike[];
  layers: LayerRun[];
}

export interface SimulateOptions {
  /** Salt for stochastic neuron streams (e.g. the repetition index). */
  rngSalt?: number;
  /** Record neuron state per segment. */
  trace?: boolean;
  /** Stop after this many layers (the fast fault engine re-runs only a cone). */
  firstLayer?: number;
  /**
   * The first layer's segments of this very stimulus (segmentStimulus of its events and the
   * first layer's rows), when the caller has them: they depend on the stimulus only, so a
   * campaign re-simulating many faulty chips on one vector need not cut it again each time.
   */
  inputSegments?: Segment[];
}

/**
 * Neuron currents of a layer for every segment (cached per distinct active set): each
 * column's current minus the reference column's (differential-read.ts; one reference
 * solve per distinct active set, none for a single-ended read).
 */
export function layerCurrents(layer: CompiledLayer, segments: Segment[], writeVoltageV: number): Float64Array[] {
  const cache = new Map<number, Float64Array>();
  const active = new Uint8Array(layer.rows);
  const zero = new Float64Array(layer.cols);
  return segments.map((seg) => {
    if (seg.activeRows.length === 0) return zero;
    let cur = cache.get(seg.key);
    if (!cur) {
      cur = drivenSetCurrentsUa(layer, seg.activeRows, active, writeVoltageV);
      cache.set(seg.key, cur);
    }
    return cur;
  });
}

/** Every column's current less the reference's, µA, while rows `activeRows` are driven (`scratch`: a zeroed row mask, left zeroed). */
export function drivenSetCurrentsUa(layer: CompiledLayer, activeRows: Int32Array, scratch: Uint8Array, writeVoltageV: number): Float64Array {
  for (const r of activeRows) scratch[r] = 1;
  const cur = new Float64Array(layer.cols);
  const refUa = referenceCurrentUa(layer, scratch, writeVoltageV);
  for (let c = 0; c < layer.cols; c++) cur[c] = columnOutputUa(columnElectrics(layer, c, writeVoltageV), scratch) - refUa;
  for (const r of activeRows) scratch[r] = 0;
  return cur;
}

/**
 * Reference-column current of a layer during each segment, µA (0 with no driven row or a
 * single-ended read): what layerCurrents subtracts from every column's current. No fault
 * site is on the reference column, so a faulty chip's is the good chip's.
 */
export function layerReferenceUa(layer: CompiledLayer, segments: Segment[], writeVoltageV: number): Float64Array {
  const at = perDrivenSet(layer.rows, segments, (active) => referenceCurrentUa(layer, active, writeVoltageV));
  return Float64Array.from(segments, (_, s) => at(s));
}

/**
 * A per-segment quantity that depends only on which rows the segment drives: `valueOf`
 * called once per distinct driven-row set (the segment's key) with a 0/1 mask of the rows,
 * 0 for a segment that drives none. `(s) => value of segment s`.
 */
export function perDrivenSet(rows: number, segments: readonly Segment[], valueOf: (active: Uint8Array) => number): (s: number) => number {
  const cache = new Map<number, number>();
  const active = new Uint8Array(rows);
  return (s) => {
    const seg = segments[s];
    if (seg.activeRows.length === 0) return 0;
    let v = cache.get(seg.key);
    if (v === undefined) {
      active.fill(0);
      for (const r of seg.activeRows) active[r] = 1;
      v = valueOf(active);
      cache.set(seg.key, v);
    }
    return v;
  };
}

/**
 * The spikes of layer `li` after a change confined to columns `cols` of that layer (a
 * faulty chip; same input events as `run`, its run before the change): those neurons run
 * again on the run's segments — one column solve per distinct driven-row set — and every
 * other neuron keeps its spikes. Exactly simulateLayer's spikes, for a layer whose neurons
 * are independent (no lateral inhibition: `rerunnable`); `referenceUa` is
 * layerReferenceUa of the run's segments.
 */
export function rerunColumns(net: CompiledNetwork, li: number, run: LayerRun, cols: readonly number[], referenceUa: Float64Array, rngSalt = 0): Spike[] {
  const layer = net.layers[li];
  const spikes = run.spikes.filter((s) => !cols.includes(s.neuron));
  for (const c of cols) {
    const e = columnElectrics(layer, c, net.writeVoltageV);
    const columnUa = perDrivenSet(layer.rows, run.segments, (active) => columnOutputUa(e, active));
    const currentAt = (s: number) => (run.segments[s].activeRows.length === 0 ? 0 : columnUa(s) - referenceUa[s]);
    for (const sp of runNeuron(layer.model, layer.neurons[c], run.segments, currentAt, neuronRng(layer, li, c, rngSalt))) spikes.push({ layer: li, neuron: c, window: sp.window, timePs: sp.timePs });
  }
  return stableSort(spikes, bySpikeTime);
}

/** Whether rerunColumns answers for layer `li` (its neurons are not coupled by lateral inhibition). */
export const rerunnable = (net: CompiledNetwork, li: number) => !net.layers[li].inhibition;

/** A layer's spike order: by time, then neuron. */
const bySpikeTime = (a: Spike, b: Spike) => a.timePs - b.timePs || a.neuron - b.neuron;

/** The RNG stream of one neuron for one application of a vector. */
export function neuronRng(layer: CompiledLayer, layerIndex: number, col: number, salt: number): Rng | null {
  return neuronModels[layer.model].stochastic ? createRng(mixSeed(layer.neuronSeed, layerIndex, col, salt)) : null;
}

/**
 * One neuron stepped segment by segment: the read/reset and once-per-window rule, written
 * once. One object per run (its fields are the neuron's state, stepped in place for a model
 * with `stepInPlace`): criticality and the fault engine start a run per fault and digit, and
 * a record of closures per run was a third of their garbage.
 */
class NeuronStepper implements NeuronStepScratch {
  x = 0;
  firedAtNs = Number.NaN;
  private firedWindow = -1;
  /** A model that draws keeps its `step` and its random stream (a fresh state per step). */
  private state: NeuronState | null;
  private readonly inPlace: NeuronModel["stepInPlace"];
  private readonly adaptation: ReturnType<typeof startAdaptation> | null;

  constructor(
    private readonly model: NeuronModel,
    private readonly params: NeuronParams,
    private readonly segments: Segment[],
    private readonly rng: Rng | null,
    private readonly states: Float64Array[] | undefined,
    private readonly col: number,
  ) {
    this.inPlace = model.stochastic ? undefined : model.stepInPlace;
    this.state = this.inPlace ? null : { x: 0 };
    this.adaptation = params.adaptation ? startAdaptation(params.adaptation) : null;
  }

  /** Step segment s with `currentUa`; returns the spike it fired, if any. */
  step(s: number, currentUa: number): { window: number; timePs: number } | null {
    const seg = this.segments[s];
    if (seg.window === this.firedWindow) {
      if (this.states) this.states[s][this.col] = 0;
      return null;
    }
    const p = this.adaptation ? this.adaptation.paramsAt(this.params, seg.startPs) : this.params;
    const firedAtNs = this.advance(currentUa, p, (seg.endPs - seg.startPs) / 1000);
    let spike: { window: number; timePs: number } | null = null;
    if (!Number.isNaN(firedAtNs)) {
      spike = { window: seg.window, timePs: Math.round(seg.startPs + firedAtNs * 1000) };
      this.firedWindow = seg.window;
      this.x = 0; // read and reset
      if (this.state) this.state = { x: 0 };
      this.adaptation?.spiked(spike.timePs);
    }
    if (this.states) this.states[s][this.col] = this.state ? this.state.x : this.x;
    return spike;
  }

  /** The model's step from the held state: the firing time into the segment, ns (NaN: no spike). */
  private advance(currentUa: number, p: NeuronParams, dtNs: number): number {
    if (this.inPlace) {
      this.inPlace(this, currentUa, p, dtNs);
      return this.firedAtNs;
    }
    const r = this.model.step(this.state!, currentUa, p, dtNs, this.rng);
    this.state = r.state;
    return r.firedAtNs ?? Number.NaN;
  }
}

function createNeuronStepper(model: keyof typeof neuronModels, params: NeuronParams, segments: Segment[], rng: Rng | null, states: Float64Array[] | undefined, col: number): NeuronStepper {
  return new NeuronStepper(neuronModels[model], params, segments, rng, states, col);
}

/**
 * Run one neuron through the segments with the given current per segment.
 * Returns spike times (ps) with their windows; fills `states` if given.
 */
export function runNeuron(
  model: keyof typeof neuronModels,
  params: NeuronParams,
  segments: Segment[],
  currentAt: (s: number) => number,
  rng: Rng | null,
  states?: Float64Array[],
  col = 0,
): { window: number; timePs: number }[] {
  const stepper = createNeuronStepper(model, params, segments, rng, states, col);
  const out: { window: number; timePs: number }[] = [];
  for (let s = 0; s < segments.length; s++) {
    const sp = stepper.step(s, currentAt(s));
    if (sp) out.push(sp);
  }
  return out;
}

/** Most coding windows drivenWindows answers for (bit w of a 32-bit mask). */
export const MAX_MASK_WINDOWS = 31;

/**
 * The windows a deterministic neuron fires in (bit w set: it fired in window w) when
 * driven with `currentUa` in every segment that drives a row and with nothing in the
 * others: the windows of runNeuron's spikes under that drive, from the same stepper, but
 * with no spike list, closure or spike objects per call — the fast engine's column batch
 * asks it O(log n) times per column and vector. Segments of windows < MAX_MASK_WINDOWS.
 */
export function drivenWindows(model: keyof typeof neuronModels, params: NeuronParams, segments: Segment[], currentUa: number): number {
  const stepper = createNeuronStepper(model, params, segments, null, undefined, 0);
  let mask = 0;
  for (let s = 0; s < segments.length; s++) {
    const sp = stepper.step(s, segments[s].activeRows.length > 0 ? currentUa : 0);
    if (sp) mask |= 1 << sp.window;
  }
  return mask;
}

/** The windows of a spike train as drivenWindows' mask. */
export function windowMask(train: readonly { window: number }[]): number {
  let mask = 0;
  for (const sp of train) mask |= 1 << sp.window;
  return mask;
}

/**
 * A layer with lateral inhibition: every neuron steps segment by segment in lockstep, an
 * inhibited neuron with no current (inhibition.ts), and each segment's spikes start the
 * inhibition for the segments after it. Each neuron keeps its own random stream, so
 * without inhibition this gives the per-neuron runs' spikes exactly.
 */
function runInhibitedLayer(layer: CompiledLayer, li: number, segments: Segment[], currentsUa: Float64Array[], salt: number, states?: Float64Array[]): Spike[] {
  const inhibition = startInhibition(layer.inhibition!, layer.cols);
  const steppers = Array.from({ length: layer.cols }, (_, c) => createNeuronStepper(layer.model, layer.neurons[c], segments, neuronRng(layer, li, c, salt), states, c));
  const spikes: Spike[] = [];
  for (let s = 0; s < segments.length; s++) {
    const fired: Spike[] = [];
    for (let c = 0; c < layer.cols; c++) {
      const sp = steppers[c].step(s, inhibition.blocks(c, segments[s].startPs) ? 0 : currentsUa[s][c]);
      if (sp) fired.push({ layer: li, neuron: c, window: sp.window, timePs: sp.timePs });
    }
    for (const sp of fired) inhibition.spiked(sp.neuron, sp.timePs);
    spikes.push(...fired);
  }
  return spikes;
}

/** Simulate one layer for a set of input events. */
export function simulateLayer(
  net: CompiledNetwork,
  li: number,
  stim: Stimulus,
  events: InputEvent[],
  opts: SimulateOptions = {},
): LayerRun {
  const layer = net.layers[li];
  const segments = li === 0 && events === stim.events && opts.inputSegments ? opts.inputSegments : segmentStimulus({ ...stim, events }, layer.rows);
  const currentsUa = layerCurrents(layer, segments, net.writeVoltageV);
  const states = opts.trace ? segments.map(() => new Float64Array(layer.cols)) : undefined;
  return { segments, currentsUa, spikes: layerSpikes(layer, li, segments, currentsUa, opts.rngSalt ?? 0, states), states };
}

/** Layer li's neurons run on `segments` with each segment's column currents: its spikes in time order (simulateLayer's rule). */
export function layerSpikes(layer: CompiledLayer, li: number, segments: Segment[], currentsUa: Float64Array[], rngSalt = 0, states?: Float64Array[]): Spike[] {
  const spikes: Spike[] = layer.inhibition ? runInhibitedLayer(layer, li, segments, currentsUa, rngSalt, states) : [];
  for (let c = 0; c < layer.cols && !layer.inhibition; c++) {
    const rng = neuronRng(layer, li, c, rngSalt);
    for (const sp of runNeuron(layer.model, layer.neurons[c], segments, (s) => currentsUa[s][c], rng, states, c)) {
      spikes.push({ layer: li, neuron: c, window: sp.window, timePs: sp.timePs });
    }
  }
  return stableSort(spikes, bySpikeTime);
}

/** Next layer's input events from this layer's spikes (start of the following window). */
export function spikesToEvents(spikes: Spike[], stim: Stimulus): InputEvent[] {
  const T = periodPs(stim);
  const events: InputEvent[] = [];
  for (const sp of spikes) if (sp.window + 1 < stim.windows) events.push({ input: sp.neuron, timePs: (sp.window + 1) * T });
  return events;
}

/** Simulate the whole network. */
export function simulateNetwork(net: CompiledNetwork, stim: Stimulus, opts: SimulateOptions = {}): SimulationResult {
  const layers: LayerRun[] = [];
  let events = stim.events;
  for (let li = 0; li < net.layers.length; li++) {
    const run = simulateLayer(net, li, stim, events, opts);
    layers.push(run);
    events = spikesToEvents(run.spikes, stim);
  }
  return { spikes: layers.flatMap((l) => l.spikes), layers };
}

/** Which layers' spikes are observable at the pins. */
export function observableLayers(net: CompiledNetwork): number[] {
  return observableLayerIndexes(net);
}

/** Observable spikes with PROTOCOL.md output numbering (layer by layer when all are observable). */
export function observableSpikes(net: CompiledNetwork, spikes: Spike[]): { output: number; window: number; timePs: number }[] {
  const offset = layerOffsets(net);
  const out: { output: number; window: number; timePs: number }[] = [];
  for (const s of spikes) {
    const o = s.layer < offset.length ? offset[s.layer] : -1;
    if (o >= 0) out.push({ output: o + s.neuron, window: s.window, timePs: s.timePs });
  }
  return stableSort(out, byOutputTime);
}

const byOutputTime = (a: { output: number; timePs: number }, b: { output: number; timePs: number }) => a.timePs - b.timePs || a.output - b.output;

/** outputOffsets of a chip by layer index (−1: not observable), kept per chip and its observe setting (criticality asks per fault and digit). */
const offsetsOf = new WeakMap<CompiledNetwork, { observe: string; layers: number; offset: Int32Array }>();
function layerOffsets(net: CompiledNetwork): Int32Array {
  const had = offsetsOf.get(net);
  if (had && had.observe === net.observe && had.layers === net.layers.length) return had.offset;
  const offset = new Int32Array(net.layers.length).fill(-1);
  for (const [li, o] of outputOffsets(net)) offset[li] = o;
  offsetsOf.set(net, { observe: net.observe, layers: net.layers.length, offset });
  return offset;
}
