/**
 * Lists of spikes (one list per image, or per vector) as typed arrays, for crossing to and
 * from pool threads: a structured clone of the bnn-mnist good chip's hidden spikes as
 * objects cost each thread more than simulating them again; typed arrays are copied whole.
 *
 *   const packed = packSpikeLists([[{ layer: 0, neuron: 3, window: 1, timePs: 250 }], []]);
 *   packed.start   // Int32Array [0, 1, 1]: list k is entries start[k] … start[k+1] − 1
 *   unpackSpikeLists(packed)   // the same lists, as objects again
 */
import type { Spike } from "./network.ts";

export interface PackedSpikeLists {
  /** List k holds entries [start[k], start[k + 1]); length = lists + 1. */
  start: Int32Array;
  layer: Int32Array;
  neuron: Int32Array;
  window: Int32Array;
  timePs: Float64Array;
}

export function packSpikeLists(lists: readonly (readonly Spike[])[]): PackedSpikeLists {
  const n = lists.reduce((s, l) => s + l.length, 0);
  const p: PackedSpikeLists = { start: new Int32Array(lists.length + 1), layer: new Int32Array(n), neuron: new Int32Array(n), window: new Int32Array(n), timePs: new Float64Array(n) };
  let at = 0;
  lists.forEach((l, k) => {
    p.start[k] = at;
    for (const s of l) {
      p.layer[at] = s.layer;
      p.neuron[at] = s.neuron;
      p.window[at] = s.window;
      p.timePs[at++] = s.timePs;
    }
  });
  p.start[lists.length] = at;
  return p;
}

/** List k of a packed set, as spike objects. */
export function unpackSpikeList(p: PackedSpikeLists, k: number): Spike[] {
  const out: Spike[] = [];
  for (let j = p.start[k]; j < p.start[k + 1]; j++) out.push({ layer: p.layer[j], neuron: p.neuron[j], window: p.window[j], timePs: p.timePs[j] });
  return out;
}

export function unpackSpikeLists(p: PackedSpikeLists): Spike[][] {
  return Array.from({ length: p.start.length - 1 }, (_, k) => unpackSpikeList(p, k));
}
