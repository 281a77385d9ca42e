/**
 * The verdict of a changed spike train of one neuron (fast-engine.ts): compared where the
 * layer is observable, and passed down the cone below — incrementally (cone-update.ts) or
 * by re-simulating it, cached per vector by (neuron, spike windows), since many faults of
 * one column change a neuron the same way. A criterion other than exact-train (count band,
 * class decision) reads the whole response, so criterionVerdict builds and judges it.
 *
 *   const v = isExactTrain(crit) ? propagate(net, ctx, li, c, train, observable) : criterionVerdict(…);
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableSpikes, simulateLayer, spikesToEvents, type Spike } from "../sim/network.ts";
import { nextLayerVerdict } from "./cone-update.ts";
import { responseVerdict } from "./pass-criteria.ts";
import { compareTrains, type CompareVerdict, defaultTimingResolutionPs } from "./response-rule.ts";
import { sameWindows, type SpikeTrain as Train } from "./spike-trains.ts";
import type { VectorContext } from "./vector-context.ts";

/**
 * Verdict for a changed spike train of neuron (li, c): its own output when observable,
 * and the layers below, which see only its spike windows — so their verdict is cached
 * per vector by (neuron, windows): many faults of one column change it the same way.
 */
export function propagate(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train, observable: Uint8Array): CompareVerdict {
  const good = ctx.trains[li][c];
  const vec = ctx.vector;
  const res = vec.timingResolutionPs ?? defaultTimingResolutionPs;
  const local: CompareVerdict = observable[li] ? compareTrains(good, train, vec.toleranceBandPs, res) : 0;
  if (li === net.layers.length - 1 || local === 2 || sameWindows(good, train)) return local;
  const key = windowsKey(net, li, c, train);
  let down = ctx.downstream.get(key);
  if (down === undefined) {
    down = nextLayerVerdict(net, ctx, li, c, train, observableSets.get(observable) ?? observableSet(observable)) ?? resimulateCone(net, ctx, li, c, train);
    ctx.downstream.set(key, down);
  }
  return down > local ? down : local;
}

/**
 * Key of (neuron, spike windows) for the per-vector downstream cache: a number (neuron
 * index over the layers times 2^windows, plus the windows as a bit set) when the windows
 * fit, so a lookup builds no string; a string otherwise.
 */
function windowsKey(net: CompiledNetwork, li: number, c: number, train: Train): number | string {
  let neuron = c;
  for (let l = 0; l < li; l++) neuron += net.layers[l].cols;
  const last = train.length > 0 ? train[train.length - 1].window : 0;
  if (last < 24) {
    let bits = 0;
    for (const t of train) bits |= 1 << t.window;
    return neuron * 16777216 + bits;
  }
  return `${li}.${c}:${train.map((t) => t.window).join(",")}`;
}

const observableSets = new WeakMap<Uint8Array, ReadonlySet<number>>();
function observableSet(observable: Uint8Array): ReadonlySet<number> {
  const s = new Set<number>();
  observable.forEach((o, l) => o && s.add(l));
  observableSets.set(observable, s);
  return s;
}

/** Verdict of the layers below li when neuron (li, c) spikes as `train`: re-simulate them (layer li itself compared as good). */
function resimulateCone(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train): CompareVerdict {
  const vec = ctx.vector;
  const spikes: Spike[] = ctx.layers[li].run.spikes.filter((s) => s.neuron !== c);
  for (const t of train) spikes.push({ layer: li, neuron: c, window: t.window, timePs: t.timePs });
  spikes.sort((a, b) => a.timePs - b.timePs || a.neuron - b.neuron);
  const all: Spike[] = [];
  for (let l = 0; l <= li; l++) all.push(...ctx.layers[l].run.spikes);
  let events = spikesToEvents(spikes, vec.stimulus);
  for (let l = li + 1; l < net.layers.length; l++) {
    const run = simulateLayer(net, l, vec.stimulus, events, { rngSalt: ctx.rep });
    all.push(...run.spikes);
    events = spikesToEvents(run.spikes, vec.stimulus);
  }
  return responseVerdict(vec, ctx.observed, observableSpikes(net, all));
}

/** Spikes of the layers below li when neuron (li, c) spikes in `train`'s windows, cached per vector by (neuron, windows). */
const downstreamSpikes = new WeakMap<VectorContext, Map<string, Spike[]>>();
function coneSpikes(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train): Spike[] {
  let cache = downstreamSpikes.get(ctx);
  if (!cache) downstreamSpikes.set(ctx, (cache = new Map()));
  const key = `${li}.${c}:${train.map((t) => t.window).join(",")}`;
  let below = cache.get(key);
  if (!below) {
    const spikes: Spike[] = ctx.layers[li].run.spikes.filter((s) => s.neuron !== c);
    for (const t of train) spikes.push({ layer: li, neuron: c, window: t.window, timePs: t.timePs });
    spikes.sort((a, b) => a.timePs - b.timePs || a.neuron - b.neuron);
    below = [];
    let events = spikesToEvents(spikes, ctx.vector.stimulus);
    for (let l = li + 1; l < net.layers.length; l++) {
      const run = simulateLayer(net, l, ctx.vector.stimulus, events, { rngSalt: ctx.rep });
      below.push(...run.spikes);
      events = spikesToEvents(run.spikes, ctx.vector.stimulus);
    }
    cache.set(key, below);
  }
  return below;
}

/**
 * Verdict for a changed spike train of neuron (li, c) under a criterion other than
 * exact-train (count band, class decision): such a criterion reads the whole response,
 * so build the faulty observable response — the good spikes, neuron (li, c)'s replaced,
 * the layers below re-simulated when its windows changed — and judge it.
 */
export function criterionVerdict(net: CompiledNetwork, ctx: VectorContext, li: number, c: number, train: Train, observable: Uint8Array): CompareVerdict {
  const hidden = li < net.layers.length - 1;
  const below = hidden && !sameWindows(ctx.trains[li][c], train) ? coneSpikes(net, ctx, li, c, train) : null;
  if (!observable[li] && !below) return 0;
  const all: Spike[] = [];
  for (let l = 0; l < net.layers.length; l++) {
    if (!observable[l]) continue;
    if (l === li) {
      for (const s of ctx.layers[l].run.spikes) if (s.neuron !== c) all.push(s);
      for (const t of train) all.push({ layer: li, neuron: c, window: t.window, timePs: t.timePs });
    } else if (l > li && below) {
      for (const s of below) if (s.layer === l) all.push(s);
    } else all.push(...ctx.layers[l].run.spikes);
  }
  return responseVerdict(ctx.vector, ctx.observed, observableSpikes(net, all));
}
