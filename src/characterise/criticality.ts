/**
 * Criticality: which faults matter to the application (issue 14 part 4). A fault is
 * injected into the trained chip and the held-out digits are classified through the
 * simulator; per fault we keep
 *
 *   classChanged   the images whose class (first output spike) differs from the good chip's
 *   detectedOn     the images whose observable output spikes differ at all (compareSpikes,
 *                  the tester's rule: a hard difference), i.e. structural detection with
 *                  that image as the test vector
 *
 * and the accuracy drop. A fault is critical when it changes at least `minChangedShare`
 * of the classifications (default: any one). A fault on hidden neuron c (its cells, line
 * or neuron) can only act through neuron c's spikes, so only that column is re-solved
 * and the output layer re-run only on images where c spikes in other windows; a fault in
 * output column c changes only output neuron c (no lateral inhibition): that neuron runs
 * again on the good output layer's segments (rerunColumns, one column solve instead of
 * the layer's), the other outputs keep their good spikes.
 *
 *   const fx = await faultCriticality(net, faults, heldOut, { images: 200 });
 *   fx[0].classChanged.length   // images the fault misclassifies relative to the good chip
 */
import { createChipEvaluator, firstSpikeClass, type ChipEvaluator, type ChipImages } from "../classifier/chip-classifier.ts";
import type { DigitSet } from "../classifier/mnist-dataset.ts";
import type { Fault } from "../faults/fault.ts";
import { outputMarginPs } from "./functional-test-set.ts";
import { spikesDiffer, type TimingBand } from "../faultsim/response-rule.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { layerReferenceUa, MAX_MASK_WINDOWS, observableSpikes, rerunColumns, rerunnable, type LayerRun, type Spike } from "../sim/network.ts";
import { propagatingMask, pulseStarts, rowChangedRun } from "../sim/input-row-change.ts";
import { changesColumnCurrents, withPerturbations } from "../sim/perturbation.ts";

export interface CriticalityOptions {
  /** Score on the first `images` images of the set (default all). */
  images?: number;
  /** Timing rule of structural detection (default ± 100 ps, resolution 10 ps). */
  band?: TimingBand;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** What one fault does to the application. */
export interface FaultEffect {
  id: string;
  modelId: string;
  layer: number;
  /** Images whose class differs from the good chip's. */
  classChanged: number[];
  /** Images whose observable output spikes differ from the good chip's (hard difference). */
  detectedOn: number[];
  /** Good-chip accuracy minus faulty accuracy on the images. */
  accuracyDrop: number;
}

export interface GoodChip {
  images: number;
  classes: Int16Array;
  accuracy: number;
  /** Time between the first and second output spike per image, ps (the decision's margin). */
  marginPs: Float64Array;
}

/** Fault i is critical when it changes at least this share of the classifications (0 = any). */
export function isCritical(e: FaultEffect, images: number, minChangedShare = 0): boolean {
  return e.classChanged.length > 0 && e.classChanged.length >= minChangedShare * images;
}

/** Per image: where each hidden neuron's spikes start in a list of them grouped by neuron ([c]..[c + 1]), and that list. */
interface HiddenByNeuron {
  start: Int32Array;
  spikes: Spike[];
}

function byNeuron(spikes: readonly Spike[], cols: number): HiddenByNeuron {
  const start = new Int32Array(cols + 1);
  for (const s of spikes) start[s.neuron + 1]++;
  for (let c = 0; c < cols; c++) start[c + 1] += start[c];
  const at = start.slice(0, cols);
  const out: Spike[] = new Array(spikes.length);
  for (const s of spikes) out[at[s.neuron]++] = s; // stable: each neuron's spikes keep their order
  return { start, spikes: out };
}

/** Whether hidden neuron c's spikes `now` fall in the same windows, in order, as its good ones. */
function sameWindows(now: readonly Spike[], good: HiddenByNeuron, c: number): boolean {
  const from = good.start[c];
  if (now.length !== good.start[c + 1] - from) return false;
  for (let k = 0; k < now.length; k++) if (now[k].window !== good.spikes[from + k].window) return false;
  return true;
}

/** The good chip's responses that every fault is compared with, built once per thread. */
export interface CriticalityBench {
  net: CompiledNetwork;
  set: DigitSet;
  ev: ChipEvaluator;
  band: TimingBand;
  hidden: Spike[][];
  /** hidden, grouped by neuron per image. */
  hiddenByNeuron: HiddenByNeuron[];
  /** The good output layer's run per image, and its reference currents per segment (null when its neurons are coupled: no column re-run). */
  outputRuns: { run: LayerRun; referenceUa: Float64Array }[] | null;
  /** The good output layer's run per image (what a hidden fault's run is patched from). */
  outputLayerRuns: LayerRun[];
  /** Per image and hidden neuron ([i·cols + c]): the windows it fires in, as a bit mask (0 when the stimulus has too many windows for one). */
  hiddenMasks: Int32Array;
  /** Hidden faults' images whose output layer was patched (rowChangedRun) or run again on the whole hidden layer. */
  outputUpdates: { patched: number; whole: number };
  goodObs: ReturnType<typeof observableSpikes>[];
  good: GoodChip;
  goodOk: number;
}

/**
 * Simulate the good chip on the first `images` digits of `set`; `columnUa` (columnCurrentsUa of
 * every hidden column, image-major) spares the ladder solves and is taken over, `hidden` (its
 * hidden spikes by image, joinGoodColumns) the hidden neurons' runs, `images` (chipImages) the
 * per-image stimuli.
 */
export function criticalityBench(net: CompiledNetwork, set: DigitSet, o: Pick<CriticalityOptions, "images" | "band"> = {}, columnUa?: Float64Array, givenHidden?: Spike[][], images?: ChipImages): CriticalityBench {
  const ev = createChipEvaluator(net, set, Math.min(o.images ?? set.count, set.count), { columnUa, images });
  const n = ev.count;
  const hidden = givenHidden ?? Array.from({ length: n }, (_, i) => ev.hiddenSpikes(i));
  const runs = hidden.map((h, i) => ev.outputRun(i, h));
  const goodOut = runs.map((r) => r.spikes);
  const outputRuns = rerunnable(net, 1) ? runs.map((run) => ({ run, referenceUa: layerReferenceUa(net.layers[1], run.segments, net.writeVoltageV) })) : null;
  const cols = net.layers[0].cols;
  const hiddenByNeuron = hidden.map((h) => byNeuron(h, cols));
  const hiddenMasks = new Int32Array(n * cols);
  hidden.forEach((h, i) => {
    if (ev.stimulus(i).windows <= MAX_MASK_WINDOWS) for (const sp of h) hiddenMasks[i * cols + sp.neuron] |= 1 << sp.window;
  });
  const goodObs = goodOut.map((s) => observableSpikes(net, s));
  const classes = Int16Array.from(goodOut, (s) => firstSpikeClass(net, s));
  let goodOk = 0;
  for (let i = 0; i < n; i++) if (classes[i] === set.labels[i]) goodOk++;
  const good = { images: n, classes, accuracy: goodOk / n, marginPs: Float64Array.from(goodObs, outputMarginPs) };
  return { net, set, ev, band: o.band ?? { toleranceBandPs: 100, timingResolutionPs: 10 }, hidden, hiddenByNeuron, outputRuns, outputLayerRuns: runs, hiddenMasks, outputUpdates: { patched: 0, whole: 0 }, goodObs, good, goodOk };
}

/** What criticality reads of a fault (plain data: it crosses to pool threads). */
export type CriticalityFault = Pick<Fault, "id" | "modelId" | "layer" | "perturbations">;

/** A fault as plain data (a site fault computes its perturbations on demand, which a structured clone would drop). */
export const criticalityFault = (f: Fault): CriticalityFault => ({ id: f.id, modelId: f.modelId, layer: f.layer, perturbations: f.perturbations });

/**
 * The output spikes on image i with the fault on hidden neurons `cols` in place (their
 * currents refreshed), or null when no neuron of `cols` changes the windows that reach
 * the output layer (then the output is the good one). The output layer's good run is
 * patched row by row (rowChangedRun) when the fault is confined to layer 0; else, or when
 * a patch declines, the whole hidden layer drives the output layer again.
 */
function hiddenFaultOutput(b: CriticalityBench, i: number, cols: readonly number[], inLayer0: boolean): Spike[] | null {
  const { ev, net } = b;
  const stim = ev.stimulus(i);
  const whole = () => {
    b.outputUpdates.whole++;
    const now = cols.map((c) => ev.neuronSpikes(i, c));
    return ev.outputSpikes(i, [...b.hidden[i].filter((s) => !cols.includes(s.neuron)), ...now.flat()]);
  };
  if (stim.windows > MAX_MASK_WINDOWS) return cols.some((c) => !sameWindows(ev.neuronSpikes(i, c), b.hiddenByNeuron[i], c)) ? whole() : null;
  const reaching = propagatingMask(stim);
  const hcols = net.layers[0].cols;
  let run: LayerRun | null = inLayer0 ? b.outputLayerRuns[i] : null;
  let changed = false;
  for (const c of cols) {
    const was = b.hiddenMasks[i * hcols + c] & reaching;
    const is = ev.neuronWindows(i, c) & reaching;
    if (was === is) continue;
    changed = true;
    if (run) run = rowChangedRun(net, 1, stim, run, c, pulseStarts(was, stim), pulseStarts(is, stim));
  }
  if (!changed) return null;
  if (!run) return whole();
  b.outputUpdates.patched++;
  return run.spikes;
}

/** What one fault does to the application (the chip is restored afterwards). */
export function faultEffect(b: CriticalityBench, f: CriticalityFault): FaultEffect {
  const { net, ev, hidden, set } = b;
  const n = ev.count;
  const classes = b.good.classes;
  const cols = [...new Set(f.perturbations.map((p) => p.site.col))];
  const classChanged: number[] = [];
  const detectedOn: number[] = [];
  let ok = 0;
  // an output-layer fault confined to its layer re-runs only its columns' neurons
  const rerun = f.layer === 1 && b.outputRuns && f.perturbations.every((p) => p.site.layer === 1) ? b.outputRuns : null;
  // applied in place, measured, put back (perturbation.ts); the evaluator's cached currents of the touched columns are kept and put back too
  // only columns whose currents the fault changes are solved again (a neuron's dynamics leave them: 3 in 4 hidden faults of the default sample)
  const resolved = f.layer === 0 ? [...new Set(f.perturbations.filter(changesColumnCurrents).map((p) => p.site.col))] : [];
  const restoreCurrents = resolved.length ? ev.keepColumns(resolved) : null;
  const inLayer0 = f.perturbations.every((p) => p.site.layer === 0);
  try {
    withPerturbations(net, f.perturbations, () => {
      if (resolved.length) ev.refreshColumns(resolved);
      for (let i = 0; i < n; i++) {
        let out: Spike[] | null = null;
        if (f.layer === 0) out = hiddenFaultOutput(b, i, cols, inLayer0);
        else out = rerun ? rerunColumns(net, 1, rerun[i].run, cols, rerun[i].referenceUa) : ev.outputSpikes(i, hidden[i]);
        const cls = out ? firstSpikeClass(net, out) : classes[i];
        if (cls === set.labels[i]) ok++;
        if (cls !== classes[i]) classChanged.push(i);
        if (out && spikesDiffer(b.goodObs[i], observableSpikes(net, out), b.band)) detectedOn.push(i);
      }
    });
  } finally {
    restoreCurrents?.();
  }
  return { id: f.id, modelId: f.modelId, layer: f.layer, classChanged, detectedOn, accuracyDrop: (b.goodOk - ok) / n };
}

/** The effect of each fault on the first `images` digits of `set` (faults on two-layer chips, any site), in this thread; criticality-run.ts runs them on the pool. */
export async function faultCriticality(net: CompiledNetwork, faults: readonly Fault[], set: DigitSet, o: CriticalityOptions = {}): Promise<{ good: GoodChip; effects: FaultEffect[]; interrupted: boolean }> {
  const b = criticalityBench(net, set, o);
  const effects: FaultEffect[] = [];
  let last = performance.now();
  for (const [k, f] of faults.entries()) {
    if (o.signal?.aborted) break;
    effects.push(faultEffect(b, f));
    if (performance.now() - last > 40) {
      o.onProgress?.(k + 1, faults.length);
      await new Promise((r) => setImmediate(r));
      last = performance.now();
    }
  }
  return { good: b.good, effects, interrupted: o.signal?.aborted ?? false };
}
