/**
 * The good machine of a parallel campaign, simulated once and shared: each pool thread
 * simulates the good chip on its share of the vectors (dealt round-robin) and packs every
 * run into two SharedArrayBuffers — integers (segment windows, keys, driven rows, spike
 * neurons and windows) and reals (segment bounds, column currents, spike times) — that
 * every thread then reads in place: the driven rows and the currents are views on the
 * shared memory, only the spike records are built again. The fast engine takes a
 * campaign's runs from here instead of simulating each vector in every thread (0.6 CPU-s
 * per thread for bnn's 64 vectors, the part of a `--jobs 2` campaign that did not split).
 *
 *   const p = packGoodRun(goodResponse(net, vector, rep).run);   // a thread
 *   const g = unpackGoodRun(net, p);                             // every thread: = goodResponse(net, vector, rep)
 *
 * Integer region: nLayers, then per layer nSegments, cols, nSpikes, then per segment
 * window, key, nRows, the rows; then per spike neuron, window. Real region: per layer, per
 * segment startPs, endPs; the currents segment by segment (cols each); the spike times.
 * A run with neuron states (trace) is not packed: the engine never asks for them.
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableSpikes, type LayerRun, type SimulationResult, type Spike } from "../sim/network.ts";
import type { Segment } from "../sim/stimulus.ts";
import type { GoodResponse } from "./good-response.ts";

/** One good run, packed (SharedArrayBuffers cross threads by reference). */
export interface PackedGoodRun {
  ints: SharedArrayBuffer;
  reals: SharedArrayBuffer;
}

/** Most vector × repetition runs a campaign shares (about 85 kB each on bnn-784x1024x10: 1,024 runs ≈ 90 MB); beyond, each thread simulates its own. */
export const MAX_SHARED_GOOD_RUNS = 1024;

export function packGoodRun(run: SimulationResult): PackedGoodRun {
  let ni = 1;
  let nr = 0;
  for (const l of run.layers) {
    ni += 3 + 2 * l.spikes.length;
    nr += l.spikes.length;
    for (const g of l.segments) ni += 3 + g.activeRows.length;
    nr += l.segments.length * 2;
    for (const c of l.currentsUa) nr += c.length;
  }
  const ints = new Int32Array(new SharedArrayBuffer(4 * ni));
  const reals = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, nr)));
  let i = 0;
  let r = 0;
  ints[i++] = run.layers.length;
  for (const l of run.layers) {
    const cols = l.currentsUa[0]?.length ?? 0;
    ints[i++] = l.segments.length;
    ints[i++] = cols;
    ints[i++] = l.spikes.length;
    for (const g of l.segments) {
      ints[i++] = g.window;
      ints[i++] = g.key;
      ints[i++] = g.activeRows.length;
      ints.set(g.activeRows, i);
      i += g.activeRows.length;
      reals[r++] = g.startPs;
      reals[r++] = g.endPs;
    }
    for (const c of l.currentsUa) {
      reals.set(c, r);
      r += c.length;
    }
    for (const s of l.spikes) {
      ints[i++] = s.neuron;
      ints[i++] = s.window;
      reals[r++] = s.timePs;
    }
  }
  return { ints: ints.buffer as SharedArrayBuffer, reals: reals.buffer as SharedArrayBuffer };
}

/** The good response a packed run stands for: goodResponse(net, vector, rep) of the vector it was packed from. */
export function unpackGoodRun(net: CompiledNetwork, p: PackedGoodRun): GoodResponse {
  const ints = new Int32Array(p.ints);
  const reals = new Float64Array(p.reals);
  let i = 0;
  let r = 0;
  const nLayers = ints[i++];
  const layers: LayerRun[] = [];
  for (let li = 0; li < nLayers; li++) {
    const nSegments = ints[i++];
    const cols = ints[i++];
    const nSpikes = ints[i++];
    const segments: Segment[] = [];
    for (let s = 0; s < nSegments; s++) {
      const window = ints[i++];
      const key = ints[i++];
      const n = ints[i++];
      segments.push({ startPs: reals[r], endPs: reals[r + 1], window, activeRows: ints.subarray(i, i + n), key });
      i += n;
      r += 2;
    }
    const currentsUa: Float64Array[] = [];
    for (let s = 0; s < nSegments; s++, r += cols) currentsUa.push(reals.subarray(r, r + cols));
    const spikes: Spike[] = [];
    for (let k = 0; k < nSpikes; k++, i += 2) spikes.push({ layer: li, neuron: ints[i], window: ints[i + 1], timePs: reals[r++] });
    layers.push({ segments, currentsUa, spikes });
  }
  const spikes = layers.flatMap((l) => l.spikes);
  return { observed: observableSpikes(net, spikes), run: { spikes, layers } };
}
