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
 *   output-edge   every hidden neuron of a relay set fires in each pulse window (a column
 *                 driven well above its edge), each output column holds 1 for m relays:
 *                 the output integrates m rows per pulse across the pulse windows and
 *                 fires first at the last pulse (fire edge, m) or stays quiet (m − 1).
 *
 * On a one-layer chip every neuron is an output: only the edge of its column is searched.
 * A plan is kept only if the nominal chip does exactly what the family intends (checked
 * spike by spike); the generator (neuron-phase.ts) then fault-simulates and guard-bands.
 *
 *   for (const c of neuronCandidates(net, timing)) c.plan, c.family
 */
import type { CompiledNetwork } from "../sim/compile.ts";
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

/** Driven-row counts tried per shape: the fewest that can fire in the decisive window, then a few more (geometric). */
/** Target margin ln(x/θ) of a firing edge: about half the drive change of a ±50 % gain fault. */
const FIRE_MARGIN = 0.45;

/** Margin every earlier window keeps below θ (a good chip must not fire early). */
const BEFORE_MARGIN = 0.3;

/** Driven-row counts tried: every count on a small crossbar, a geometric ladder (×1.1) on a large one. */
function rowCounts(rows: number): number[] {
  const out = new Set<number>();
  for (let a = 1; a <= rows; a = rows <= 32 ? a + 1 : Math.max(a + 1, Math.round(a * 1.1))) out.add(a);
  return [...out];
}

/**
 * Every candidate plan of the bench's chip (nominal checks only). For each leaky window,
 * pulse shape and driven-row count, the IW is put in the middle (geometric) of the
 * interval in which every all-ones column fires first in the decisive window: the
 * largest margin on both sides the timing can buy.
 */
export function* neuronCandidates(net: CompiledNetwork, t: TimingRange, o: { maxGroup?: number } = {}): Generator<NeuronCandidate> {
  const L = net.layers.length;
  const rows0 = net.layers[0].rows;
  const H = net.layers[0].cols;
  const O = net.layers[L - 1].cols;
  for (const lwPs of leakyWindowChoices(t)) {
    for (const shape of shapes) {
      const d = decisiveWindow(shape);
      const fw = (a: number, iwPs: number) => firstWindows(planSpikes(net, { ...shape, iwPs, lwPs, active: a, hiddenOnes: new Array(H).fill(a), outputRows: [] }).spikes, 0, H);
      // ln(x/θ) of the weakest all-ones column in the decisive window, and the largest before it
      const margins = (a: number, iwPs: number) => {
        const plan = { ...shape, iwPs, lwPs, active: a, hiddenOnes: new Array(H).fill(a), outputRows: [] };
        const netW = planNetwork(net, plan);
        const W = planWindows(net, plan);
        const m = windowMargins(netW, simulateNetwork(netW, candidateStimulus({ pattern: planPattern(net, plan), windows: W, iwPs, lwPs })), W).logPeak[0];
        let atD = Infinity;
        let before = -Infinity;
        for (let c = 0; c < H; c++) {
          atD = Math.min(atD, m[c * W + d]);
          for (let w = 0; w < d; w++) before = Math.max(before, m[c * W + w]);
        }
        return { atD, before };
      };
      // most drive above the critical current first: the spread of ln(x/θ) shrinks as I − I_c grows
      for (const a of rowCounts(rows0).reverse()) {
        if (margins(a, t.iwPs[0]).atD > FIRE_MARGIN + 0.3) continue; // fires far past θ even at the shortest IW
        // below threshold x grows ~ linearly with the IW: bisect the IW that gives the target margin
        const iwPs = bisectTicks(t.iwPs, t.tickPs, (iw) => margins(a, iw).atD >= FIRE_MARGIN);
        if (iwPs === null || margins(a, iwPs).before > -BEFORE_MARGIN) continue;
        const base = { ...shape, iwPs, lwPs };
        if (!fw(a, iwPs).every((w) => w === d)) continue;
        if (L === 1) {
          const p = { ...base, active: a, hiddenOnes: new Array(H).fill(a), outputRows: [] };
          yield { family: "output-edge", plan: p, net: planNetwork(net, p) };
          continue;
        }
        yield* hiddenFamilies(net, base, a, H, O, o.maxGroup ?? 8);
        yield* outputFamily(net, base, H, O);
      }
    }
  }
}

function* hiddenFamilies(net: CompiledNetwork, base: Omit<TestWeightPlan, "active" | "hiddenOnes" | "outputRows">, a: number, H: number, O: number, maxGroup: number): Generator<NeuronCandidate> {
  const d = decisiveWindow(base);
  const L = net.layers.length;
  // every output watching one group at once, else one group per vector (fewer hidden spikes per output)
  for (const [m, g] of Array.from({ length: Math.min(maxGroup, H) }, (_, i) => i + 1).flatMap((m) => [...new Set([Math.min(O, Math.floor(H / m)), 1])].map((g) => [m, g] as const))) {
    const plansOf = (start: number, quietDeficit: number): TestWeightPlan | null => {
      const groups = rotatedGroups(H, m, g, start);
      const ones = new Array(H).fill(0);
      for (const grp of groups) for (const h of grp) ones[h] = a;
      if (quietDeficit > 0) for (const grp of groups) ones[grp[grp.length - 1]] = a - quietDeficit;
      return { ...base, active: a, hiddenOnes: ones, outputRows: groups };
    };
    const fire = plansOf(0, 0)!;
    const { spikes } = planSpikes(net, fire);
    const hw = firstWindows(spikes, 0, H);
    const ow = firstWindows(spikes, L - 1, O);
    const groups = fire.outputRows;
    const ok = groups.every((grp, j) => grp.every((h) => hw[h] === d) && ow[j] === d + 1) && spikes.filter((s) => s.layer === L - 1).length === groups.length;

    if (!ok) continue;
    // the AND must hold: with one member of group 0 silent, its output does not fire
    const missing = { ...fire, hiddenOnes: fire.hiddenOnes.map((x, h) => (h === groups[0][0] ? 0 : x)) };
    if (firstWindows(planSpikes(net, missing).spikes, L - 1, O)[0] >= 0) continue;
    // every hidden neuron in two rotations with different partners (diagnosis), fire and quiet roles
    const step = m * g;
    const offsets = m > 1 ? [0, Math.ceil(m / 2)] : [0];
    for (const off of offsets) {
      for (let start = off; start < H + off; start += step) {
        const p = plansOf(start % H, 0)!;
        yield { family: "hidden-fire", plan: p, net: planNetwork(net, p) };
      }
    }
    for (const deficit of [...new Set([1, 2, 3, 4, 5, 6, Math.ceil(a / 4), Math.ceil(a / 3), Math.ceil(a / 2)])].filter((x) => x < a)) for (let start = 0; start < H; start += step) {
      const q = plansOf(start, deficit)!;
      const r = planSpikes(net, q);
      const qw = firstWindows(r.spikes, 0, H);
      if (q.outputRows.every((grp) => qw[grp[grp.length - 1]] < 0 || qw[grp[grp.length - 1]] > d) && firstWindows(r.spikes, L - 1, O).every((w) => w < 0)) {
        yield { family: "hidden-quiet", plan: q, net: r.netW };
      }
    }
    return; // the smallest working group size is the most specific
  }
}

function* outputFamily(net: CompiledNetwork, base: Omit<TestWeightPlan, "active" | "hiddenOnes" | "outputRows">, H: number, O: number): Generator<NeuronCandidate> {
  const L = net.layers.length;
  const rows0 = net.layers[0].rows;
  const d = decisiveWindow(base);
  const pulseWindows: number[] = [];
  for (let w = d; w >= 0; w -= base.spacing) pulseWindows.push(w);
  // relays: the first m hidden columns, driven so that one pulse fires them (they fire in every pulse window); the rest silent
  const relayPlan = (a: number, m: number): TestWeightPlan => ({
    ...base,
    active: a,
    hiddenOnes: Array.from({ length: H }, (_, h) => (h < m ? a : 0)),
    outputRows: new Array(O).fill(0).map(() => Array.from({ length: m }, (_, k) => k)),
  });
  const single = { ...base, pulses: 1, spacing: 1 };
  const a = smallest(rows0, (x) => firstWindows(planSpikes(net, { ...single, active: x, hiddenOnes: new Array(H).fill(x), outputRows: [] }).spikes, 0, H).every((w) => w === 0));
  if (a === null) return;
  const relaysOk = (m: number, spikes: readonly Spike[]) => {
    for (let h = 0; h < H; h++) {
      const ws = spikes.filter((s) => s.layer === 0 && s.neuron === h).map((s) => s.window);
      if (h >= m ? ws.length > 0 : ws.length !== pulseWindows.length || !pulseWindows.every((w) => ws.includes(w))) return false;
    }
    return true;
  };
  const run = (m: number) => planSpikes(net, relayPlan(a, m)).spikes;
  const firstOut = (m: number) => firstWindows(run(m), L - 1, O);
  const m = smallest(H, (k) => firstOut(k).every((w) => w >= 0 && w <= d + 1));
  if (m === null || !relaysOk(m, run(m))) return;
  if (firstOut(m).every((w) => w === d + 1)) {
    const p = relayPlan(a, m);
    yield { family: "output-edge", plan: p, net: planNetwork(net, p) };
  }
  if (m > 1 && relaysOk(m - 1, run(m - 1)) && firstOut(m - 1).every((w) => w < 0 || w > d + 1)) {
    const q = relayPlan(a, m - 1);
    yield { family: "output-edge", plan: q, net: planNetwork(net, q) };
  }
}
