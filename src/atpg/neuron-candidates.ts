/**
 * Candidate test-weight plans of the neuron phase (neuron-phase-plan.ts), found on the
 * nominal chip by simulation. Three families, each aimed at one kind of neuron fault:
 *
 *   hidden-fire   groups of hidden neurons at their firing edge (the fewest driven rows
 *                 that make an all-ones column fire first in the decisive window), each
 *                 group wired to one output whose column holds 1 only for the group: the
 *                 output fires one window later only if every member fired in the
 *                 decisive window (an AND of the group). A member that fires late, early
 *                 or never stops it: slow/fast-to-integrate, slow/fast-to-leak, dead.
 *   hidden-quiet  the same groups with one member just below its edge (fewer weight-1
 *                 cells): the output stays quiet unless that member fires — a fast fault.
 *   output-edge   every hidden neuron is a relay: driven well above its edge by every
 *                 driven row, it fires in each pulse window; each output column holds 1
 *                 for m of them, and the IW puts the output a margin above its threshold
 *                 at the last pulse (fire) or a margin below it (quiet) — gain faults move
 *                 it across, leak faults change what survives the leaky windows.
 *
 * Margins are ln(x_peak/θ) (window-margins.ts); a firing edge gets FIRE_MARGIN (about half
 * the ln-drive change of a ±50 % gain fault), earlier windows stay BEFORE_MARGIN below,
 * a quiet edge QUIET_MARGIN below. Whether the Monte-Carlo good chips keep to them is
 * the guard band's call, not this module's.
 *
 * On a one-layer chip every neuron is an output: only the edge of its column is searched.
 * A plan is yielded only if the nominal chip does exactly what the family intends
 * (checked spike by spike); the generator (neuron-phase.ts) then fault-simulates and guard-bands.
 *
 *   for (const c of neuronCandidates(net, timing)) c.plan, c.family
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import { simulateNetwork, type Spike } from "../sim/network.ts";
import { writtenNetwork } from "../faultsim/program-campaign.ts";
import { candidateStimulus } from "./candidate-vector.ts";
import { decisiveWindow, planPattern, planWindows, planWrites, rotatedGroups, type TestWeightPlan } from "./neuron-phase-plan.ts";
import { windowMargins } from "./window-margins.ts";
import { bisectTicks, leakyWindowChoices, type TimingRange } from "./window-timing.ts";

export type NeuronFamily = "hidden-fire" | "hidden-quiet" | "output-edge";

export interface NeuronCandidate {
  family: NeuronFamily;
  plan: TestWeightPlan;
  /** The network with the plan written (mission weights elsewhere). */
  net: CompiledNetwork;
}

/** Pulse shapes tried: single pulse, consecutive pulses, pulses with an empty window between (leak). */
const shapes = [
  { pulses: 1, spacing: 1 },
  { pulses: 2, spacing: 1 },
  { pulses: 3, spacing: 1 },
  { pulses: 2, spacing: 2 },
  { pulses: 3, spacing: 2 },
] as const;

/** The written network of a plan. */
export function planNetwork(net: CompiledNetwork, plan: TestWeightPlan): CompiledNetwork {
  const w = planWrites(net, plan, "x");
  return writtenNetwork(net, w, w.length);
}

export function planSpikes(net: CompiledNetwork, plan: TestWeightPlan): { netW: CompiledNetwork; spikes: Spike[] } {
  const netW = planNetwork(net, plan);
  const stim = candidateStimulus({ pattern: planPattern(net, plan), windows: planWindows(net, plan), iwPs: plan.iwPs, lwPs: plan.lwPs });
  return { netW, spikes: simulateNetwork(netW, stim).spikes };
}

/** First-spike window of each neuron of a layer (−1: none). */
function firstWindows(spikes: readonly Spike[], layer: number, n: number): Int32Array {
  const out = new Int32Array(n).fill(-1);
  for (const s of spikes) if (s.layer === layer && out[s.neuron] < 0) out[s.neuron] = s.window;
  return out;
}

/** Smallest a in [1, max] with ok(a), assuming monotone; null if none. */
function smallest(max: number, ok: (a: number) => boolean): number | null {
  if (!ok(max)) return null;
  let lo = 0;
  let hi = max;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Target margin ln(x/θ) of a firing edge: about half the drive change of a ±50 % gain
 * fault; with several pulses the step from one pulse to the next is at most ln 2, so
 * the decisive window and the one before share it (0.2 above, 0.15 below).
 */
const fireMargin = (pulses: number) => (pulses === 1 ? 0.45 : 0.2);
/** Margin every earlier window keeps below θ (a good chip must not fire early). */
const beforeMargin = (pulses: number) => (pulses === 1 ? 0.3 : 0.15);
/** Margin of a quiet edge below θ (a ×1.5 gain, +0.405, crosses it). */
const QUIET_MARGIN = 0.3;
/** Margin of a relay: it must fire on every pulse on every good chip. */
const RELAY_MARGIN = 0.7;

/** Driven-row counts tried: every count on a small crossbar, a geometric ladder (×1.1) on a large one. */
function rowCounts(rows: number): number[] {
  const out = new Set<number>();
  for (let a = 1; a <= rows; a = rows <= 32 ? a + 1 : Math.max(a + 1, Math.round(a * 1.1))) out.add(a);
  return [...out];
}

/** ln(x_peak/θ) of every neuron of `layer` in every window of the plan: [col·W + w]. */
function layerMargins(net: CompiledNetwork, plan: TestWeightPlan, layer: number): { m: Float64Array; W: number } {
  const netW = planNetwork(net, plan);
  const W = planWindows(net, plan);
  const stim = candidateStimulus({ pattern: planPattern(net, plan), windows: W, iwPs: plan.iwPs, lwPs: plan.lwPs });
  return { m: windowMargins(netW, simulateNetwork(netW, stim), W).logPeak[layer], W };
}

/** The weakest margin at window `at` and the strongest before it, over the columns `cols`. */
function edgeOf(x: { m: Float64Array; W: number }, cols: Iterable<number>, at: number): { atD: number; before: number; top: number } {
  let atD = Infinity;
  let top = -Infinity;
  let before = -Infinity;
  for (const c of cols) {
    atD = Math.min(atD, x.m[c * x.W + at]);
    top = Math.max(top, x.m[c * x.W + at]);
    for (let w = 0; w < at; w++) before = Math.max(before, x.m[c * x.W + w]);
  }
  return { atD, before, top };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * The first layer cut down to a few columns, as a one-layer chip: nominal columns differ
 * only by where they sit, so the edge search probes the first and the last column
 * instead of solving all of them (on a 784×1024 crossbar, 2 ladders instead of 1,024).
 */
function firstLayerSlice(net: CompiledNetwork, cols: readonly number[]): CompiledNetwork {
  const l = net.layers[0];
  const pick = (a: Float64Array) => {
    const out = new Float64Array(cols.length * l.rows);
    cols.forEach((c, i) => out.set(a.subarray(c * l.rows, (c + 1) * l.rows), i * l.rows));
    return out;
  };
  const layer = {
    ...l,
    cols: cols.length,
    weights: pick(l.weights),
    cellOhms: pick(l.cellOhms),
    segmentOhms: pick(l.segmentOhms),
    neuronInputOhms: Float64Array.from(cols, (c) => l.neuronInputOhms[c]),
    neurons: cols.map((c) => l.neurons[c]),
    columnDeltaKt: l.columnDeltaKt ? Float64Array.from(cols, (c) => l.columnDeltaKt![c]) : undefined,
    readExtraOhms: undefined,
  };
  return { ...net, layers: [layer], observe: "all" };
}

/** Every candidate plan of the bench's chip (nominal checks only), most drive above the critical current first. */
export function* neuronCandidates(net: CompiledNetwork, t: TimingRange, o: { maxGroup?: number } = {}): Generator<NeuronCandidate> {
  const L = net.layers.length;
  const rows0 = net.layers[0].rows;
  const H = net.layers[0].cols;
  const O = net.layers[L - 1].cols;
  for (const shape of shapes) {
    // the leaky window matters only between pulses
    for (const lwPs of shape.pulses === 1 ? [t.nominal.lwPs] : leakyWindowChoices(t)) {
      const d = decisiveWindow(shape);
      const allOnes = (a: number, iwPs: number, ones = a): TestWeightPlan => ({ ...shape, iwPs, lwPs, active: a, hiddenOnes: new Array(H).fill(ones), outputRows: [] });
      const probeCols = H > 2 ? [0, H - 1] : range(H);
      const slice = firstLayerSlice(net, probeCols);
      const hidden = (a: number, iwPs: number, ones = a) =>
        edgeOf(layerMargins(slice, { ...shape, iwPs, lwPs, active: a, hiddenOnes: new Array(probeCols.length).fill(ones), outputRows: [] }, 0), range(probeCols.length), d);
      let working = 0;
      const FIRE_MARGIN = fireMargin(shape.pulses);
      const BEFORE_MARGIN = beforeMargin(shape.pulses);
      // the spread of ln(x/θ) shrinks as I − I_c grows: most driven rows first
      for (const a of rowCounts(rows0).reverse()) {
        if (hidden(a, t.iwPs[0]).atD > FIRE_MARGIN + 0.3) continue; // far past θ even at the shortest IW
        // below threshold x grows ~ linearly with the IW: bisect the IW that gives the target margin
        const iwPs = bisectTicks(t.iwPs, t.tickPs, (iw) => hidden(a, iw).atD >= FIRE_MARGIN);
        if (iwPs === null) continue;
        const e = hidden(a, iwPs);
        if (e.before > -BEFORE_MARGIN || e.top > FIRE_MARGIN + 0.3) continue;
        const base = { ...shape, iwPs, lwPs };
        if (L === 1) {
          const p = allOnes(a, iwPs);
          yield { family: "output-edge", plan: p, net: planNetwork(net, p) };
          // quiet: the most weight-1 cells that keep every column QUIET_MARGIN below θ
          const q = largest(a - 1, (k) => hidden(a, iwPs, k).top <= -QUIET_MARGIN);
          if (q !== null) yield { family: "output-edge", plan: allOnes(a, iwPs, q), net: planNetwork(net, allOnes(a, iwPs, q)) };
          continue;
        }
        const q = largest(a - 1, (k) => hidden(a, iwPs, k).top <= -QUIET_MARGIN);
        let any = false;
        for (const c of hiddenFamilies(net, base, a, q, H, O, o.maxGroup ?? 8)) {
          any = true;
          yield c;
        }
        // a large crossbar: the two most driven working row counts per shape are enough
        if (any && ++working >= 2 && rows0 > 32) break;
      }
      if (L >= 2) yield* outputFamily(net, { ...shape, lwPs }, t, H, O);
    }
  }
}

/** Largest k in [0, max] with ok(k), assuming monotone (true … false); null if none. */
function largest(max: number, ok: (k: number) => boolean): number | null {
  if (max < 0 || !ok(0)) return null;
  let lo = 0;
  let hi = max + 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function* hiddenFamilies(net: CompiledNetwork, base: Omit<TestWeightPlan, "active" | "hiddenOnes" | "outputRows">, a: number, quietOnes: number | null, H: number, O: number, maxGroup: number): Generator<NeuronCandidate> {
  const d = decisiveWindow(base);
  const L = net.layers.length;
  // every output watching one group at once, else one group per vector (fewer hidden spikes per output)
  const sizes = range(Math.min(maxGroup, H)).flatMap((i) => [...new Set([Math.min(O, Math.floor(H / (i + 1))), 1])].map((g) => [i + 1, g] as const));
  for (const [m, g] of sizes) {
    const plansOf = (start: number, quiet: number | null, shuffled?: readonly number[]): TestWeightPlan => {
      const groups = rotatedGroups(H, m, g, start).map((grp) => (shuffled ? grp.map((h) => shuffled[h]) : grp));
      const ones = new Array(H).fill(0);
      for (const grp of groups) for (const h of grp) ones[h] = a;
      if (quiet !== null) for (const grp of groups) ones[grp[grp.length - 1]] = quiet;
      return { ...base, active: a, hiddenOnes: ones, outputRows: groups };
    };
    const fire = plansOf(0, null);
    const { spikes } = planSpikes(net, fire);
    const hw = firstWindows(spikes, 0, H);
    const ow = firstWindows(spikes, L - 1, O);
    const groups = fire.outputRows;
    const ok = groups.every((grp, j) => grp.every((h) => hw[h] === d) && ow[j] === d + 1) && spikes.filter((s) => s.layer === L - 1).length === groups.length;
    if (!ok) continue;
    // the AND must hold: with one member of group 0 silent, its output does not fire
    const missing = { ...fire, hiddenOnes: fire.hiddenOnes.map((x, h) => (h === groups[0][0] ? 0 : x)) };
    if (firstWindows(planSpikes(net, missing).spikes, L - 1, O)[0] >= 0) continue;
    // every hidden neuron in two rotations with different partners (diagnosis)
    const step = m * g;
    for (const off of m > 1 ? [0, Math.ceil(m / 2)] : [0]) {
      for (let start = off; start < H + off; start += step) {
        const p = plansOf(start % H, null);
        yield { family: "hidden-fire", plan: p, net: planNetwork(net, p) };
      }
    }
    // for diagnosis: groups over seeded random orders of the hidden layer (different partners each time)
    const rng = createRng(mixSeed(0x6e70, m, g));
    for (let k = 0; k < 2 * Math.ceil(Math.log2(Math.max(2, H))); k++) {
      const order = range(H);
      for (let i = H - 1; i > 0; i--) {
        const j = Math.floor(rng.next() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      for (let start = 0; start < H; start += step) {
        const p = plansOf(start, null, order);
        yield { family: "hidden-fire", plan: p, net: planNetwork(net, p) };
      }
    }
    // quiet role: the last member of each group just below its edge; the output fires only if it does
    if (quietOnes !== null) {
      for (let start = 0; start < H; start += step) {
        const q = plansOf(start, quietOnes);
        const r = planSpikes(net, q);
        if (firstWindows(r.spikes, L - 1, O).every((w) => w < 0)) yield { family: "hidden-quiet", plan: q, net: r.netW };
      }
    }
    return; // the smallest working group size is the most specific
  }
}

function* outputFamily(net: CompiledNetwork, shape: Pick<TestWeightPlan, "pulses" | "spacing" | "lwPs">, t: TimingRange, H: number, O: number): Generator<NeuronCandidate> {
  const L = net.layers.length;
  const rows0 = net.layers[0].rows;
  const d = decisiveWindow(shape);
  const plan = (m: number, iwPs: number): TestWeightPlan => ({
    ...shape,
    iwPs,
    active: rows0,
    hiddenOnes: new Array(H).fill(rows0),
    outputRows: range(O).map(() => range(m)),
  });
  // relays: every hidden column, every row driven and weight 1, must fire on each pulse with RELAY_MARGIN
  const relays = layerMargins(net, plan(0, t.iwPs[0]), 0);
  const pulses = range(shape.pulses).map((k) => d - k * shape.spacing);
  for (let h = 0; h < H; h++) for (const w of pulses) if (relays.m[h * relays.W + w] < RELAY_MARGIN) return;
  const out = (m: number, iw: number) => edgeOf(layerMargins(net, plan(m, iw), L - 1), range(O), d + 1);
  const FIRE_MARGIN = fireMargin(shape.pulses);
  const BEFORE_MARGIN = beforeMargin(shape.pulses);
  for (let m = 0; m <= H; m++) {
    // fire edge: the shortest IW with FIRE_MARGIN at the window after the last pulse
    const iwF = bisectTicks(t.iwPs, t.tickPs, (iw) => out(m, iw).atD >= FIRE_MARGIN);
    if (iwF !== null) {
      const e = out(m, iwF);
      if (e.before <= -BEFORE_MARGIN && e.top <= FIRE_MARGIN + 0.3) yield { family: "output-edge", plan: plan(m, iwF), net: planNetwork(net, plan(m, iwF)) };
    }
    // quiet edge: the longest IW that keeps every output QUIET_MARGIN below θ
    const iwQ = largestTick(t, (iw) => out(m, iw).top <= -QUIET_MARGIN);
    if (iwQ !== null && out(m, iwQ).top > -QUIET_MARGIN - 0.3) yield { family: "output-edge", plan: plan(m, iwQ), net: planNetwork(net, plan(m, iwQ)) };
  }
}

/** Largest IW on the tick grid with ok(iw), assuming true … false; null if none. */
function largestTick(t: TimingRange, ok: (iw: number) => boolean): number | null {
  const k = largest(Math.round((t.iwPs[1] - t.iwPs[0]) / t.tickPs), (i) => ok(t.iwPs[0] + i * t.tickPs));
  return k === null ? null : t.iwPs[0] + k * t.tickPs;
}
