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
 * the output layer re-runs the output layer on the cached hidden spikes.
 *
 *   const fx = await faultCriticality(net, faults, heldOut, { images: 200 });
 *   fx[0].classChanged.length   // images the fault misclassifies relative to the good chip
 */
import { createChipEvaluator, firstSpikeClass, type ChipEvaluator } from "../classifier/chip-classifier.ts";
import type { DigitSet } from "../classifier/mnist-dataset.ts";
import type { Fault } from "../faults/fault.ts";
import { outputMarginPs } from "./functional-test-set.ts";
import { compareSpikes, type TimingBand } from "../faultsim/response-rule.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableSpikes, type Spike } from "../sim/network.ts";
import { withPerturbations } from "../sim/perturbation.ts";

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

const windowsOf = (spikes: Spike[]) => spikes.map((s) => s.window).join(",");

/** The good chip's responses that every fault is compared with, built once per thread. */
export interface CriticalityBench {
  net: CompiledNetwork;
  set: DigitSet;
  ev: ChipEvaluator;
  band: TimingBand;
  hidden: Spike[][];
  goodObs: ReturnType<typeof observableSpikes>[];
  good: GoodChip;
  goodOk: number;
}

/**
 * Simulate the good chip on the first `images` digits of `set`; `columnUa` (columnCurrentsUa of
 * every hidden column, image-major) spares the ladder solves and is taken over, `hidden` (its
 * hidden spikes by image, joinGoodColumns) the hidden neurons' runs.
 */
export function criticalityBench(net: CompiledNetwork, set: DigitSet, o: Pick<CriticalityOptions, "images" | "band"> = {}, columnUa?: Float64Array, givenHidden?: Spike[][]): CriticalityBench {
  const ev = createChipEvaluator(net, set, Math.min(o.images ?? set.count, set.count), { columnUa });
  const n = ev.count;
  const hidden = givenHidden ?? Array.from({ length: n }, (_, i) => ev.hiddenSpikes(i));
  const goodOut = hidden.map((h, i) => ev.outputSpikes(i, h));
  const goodObs = goodOut.map((s) => observableSpikes(net, s));
  const classes = Int16Array.from(goodOut, (s) => firstSpikeClass(net, s));
  let goodOk = 0;
  for (let i = 0; i < n; i++) if (classes[i] === set.labels[i]) goodOk++;
  const good = { images: n, classes, accuracy: goodOk / n, marginPs: Float64Array.from(goodObs, outputMarginPs) };
  return { net, set, ev, band: o.band ?? { toleranceBandPs: 100, timingResolutionPs: 10 }, hidden, goodObs, good, goodOk };
}

/** What criticality reads of a fault (plain data: it crosses to pool threads). */
export type CriticalityFault = Pick<Fault, "id" | "modelId" | "layer" | "perturbations">;

/** A fault as plain data (a site fault computes its perturbations on demand, which a structured clone would drop). */
export const criticalityFault = (f: Fault): CriticalityFault => ({ id: f.id, modelId: f.modelId, layer: f.layer, perturbations: f.perturbations });

/** What one fault does to the application (the chip is restored afterwards). */
export function faultEffect(b: CriticalityBench, f: CriticalityFault): FaultEffect {
  const { net, ev, hidden, set } = b;
  const n = ev.count;
  const classes = b.good.classes;
  const cols = [...new Set(f.perturbations.map((p) => p.site.col))];
  const classChanged: number[] = [];
  const detectedOn: number[] = [];
  let ok = 0;
  // applied in place, measured, put back (perturbation.ts); the evaluator's cached currents of the touched columns follow
  withPerturbations(net, f.perturbations, () => {
    if (f.layer === 0) ev.refreshColumns(cols);
    for (let i = 0; i < n; i++) {
      let out: Spike[] | null = null;
      if (f.layer === 0) {
        const changed = cols.filter((c) => windowsOf(ev.neuronSpikes(i, c)) !== windowsOf(hidden[i].filter((s) => s.neuron === c)));
        if (changed.length) out = ev.outputSpikes(i, [...hidden[i].filter((s) => !cols.includes(s.neuron)), ...cols.flatMap((c) => ev.neuronSpikes(i, c))]);
      } else out = ev.outputSpikes(i, hidden[i]);
      const cls = out ? firstSpikeClass(net, out) : classes[i];
      if (cls === set.labels[i]) ok++;
      if (cls !== classes[i]) classChanged.push(i);
      if (out && compareSpikes(b.goodObs[i], observableSpikes(net, out), b.band).differs) detectedOn.push(i);
    }
  });
  if (f.layer === 0) ev.refreshColumns(cols);
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
