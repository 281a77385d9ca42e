/**
 * Targeted strategy: threshold-edge vectors, first per neuron, then per fault.
 *
 *   snn-atpg generate mlp-16x8x4 -o p.json          (targeted is the default strategy)
 *
 * 1. Neuron phase — for every neuron that still has undetected faults, one stimulus
 *    where it just fires (drive-lowering faults remove the spike) and one where it
 *    stays just below threshold (drive-raising faults add one), each placed at the
 *    smallest margin the guard band accepts (edge-placement.ts).
 * 2. Fault phase — for every fault still undetected: walk the threshold-edge
 *    configurations of its site neuron (side by the fault's direction first, then
 *    window counts, pulse spacing, leaky windows, row ladders); keep the first whose
 *    faulty site neuron spikes differently (activation); when that neuron is hidden,
 *    add a window for the spike to travel and search the input patterns until an
 *    output flips (stimulus-search.ts, propagation); offer the result. A fault whose
 *    budget (`searchLimit` evaluations) runs out is AU with that reason.
 * A random warm-up (`randomWarmup` offers, stopping after `randomPatience` useless ones;
 * by default 256 on multi-layer benches, none on single-layer ones) removes the easy
 * faults first, as classic ATPG does: there the guard band leaves hidden neurons little
 * room for threshold-edge vectors (see docs/atpg.md).
 */
import type { Fault } from "../../faults/fault.ts";
import type { CompiledNetwork } from "../../sim/compile.ts";
import { observableLayers } from "../../sim/network.ts";
import { applyPerturbations } from "../../sim/perturbation.ts";
import type { AtpgStrategy, StrategyContext } from "../atpg-strategy.ts";
import { candidateStimulus, compactPattern, type CandidateVector } from "../candidate-vector.ts";
import { guardZ, minLogMargin, placeEdge, spreadOf, widenedMargin } from "../edge-placement.ts";
import { faultTarget, ladderOrders, type FaultTarget } from "../fault-target.ts";
import { evaluateGuardBand, type VectorGuardBand } from "../guard-band.ts";
import { probeNeuron } from "../neuron-probe.ts";
import { searchStimulus } from "../stimulus-search.ts";
import { edgeValue, findEdge, type EdgeConfig, type EdgeSide, type EdgeVector } from "../threshold-edge.ts";
import { leakyWindowChoices, type TimingRange } from "../window-timing.ts";
import { runRandomPhase } from "./random-strategy.ts";

/**
 * Window counts, most useful first: three or more windows let a drive-raising fault
 * pull the spike a window early at a fire edge, so one vector catches both directions;
 * one or two windows are the cheapest; the long ones expose slow leakage.
 */
export function windowCountOrder(maxWindows: number): number[] {
  const preferred = [3, 4, 2, 1, 5, 6, 8, 7];
  const extra = Array.from({ length: Math.max(0, maxWindows - 8) }, (_, i) => 9 + i);
  return [...preferred, ...extra].filter((k) => k <= maxWindows);
}

/** Threshold-edge configurations of a target, most promising first. */
export function* edgeConfigs(t: FaultTarget, sides: readonly EdgeSide[], orders: readonly number[][], timing: TimingRange, maxWindows: number): Generator<EdgeConfig> {
  for (const side of sides) {
    for (const k of windowCountOrder(maxWindows)) {
      for (const spacing of k >= 3 ? [1, 2] : [1]) {
        for (const lwPs of leakyWindowChoices(timing)) {
          for (const order of orders) yield { side, windows: k, spacing, lwPs, order, minCount: t.required.length };
        }
      }
    }
  }
}

function neuronTarget(net: CompiledNetwork, layer: number, col: number, observable: boolean): FaultTarget {
  return { layer, col, required: [], preferred: [], observable };
}

function requiredMargin(ctx: StrategyContext): (layer: number, col: number) => number {
  const z = guardZ(ctx.guard.failBound);
  return (layer, col) => Math.max(minLogMargin, z * spreadOf(ctx.spreads, `${layer}.${col}`, 0.03));
}

/** Phase 1: a fire-edge and a quiet-edge vector per neuron with undetected faults. */
function runNeuronPhase(ctx: StrategyContext, infCache: Map<number, Float64Array[]>): void {
  const pending = new Map<string, number>();
  for (const i of ctx.remaining()) {
    const s = ctx.faults[i].site;
    const key = `${s.layer}.${s.col}`;
    pending.set(key, (pending.get(key) ?? 0) + 1);
  }
  const observable = new Set(observableLayers(ctx.net));
  // observable neurons first: their edge vectors need no propagation
  const neurons = [...pending.keys()].map((k) => k.split(".").map(Number) as [number, number]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  let done = 0;
  for (const [layer, col] of neurons) {
    if (!ctx.budgetLeft()) return;
    const t = neuronTarget(ctx.net, layer, col, observable.has(layer));
    const orders = ladderOrders(ctx.net, t, infCache);
    for (const side of ["fire", "quiet"] as const) {
      let tries = 0;
      for (const cfg of edgeConfigs(t, [side], orders.slice(0, 1), ctx.timing, Math.min(ctx.settings.maxWindows, 4))) {
        if (++tries > 24 || !ctx.budgetLeft()) break;
        const placed = placeEdge(ctx.guard, layer, col, cfg, ctx.timing, ctx.spreads, 3);
        if (!placed) continue;
        const cand: CandidateVector = { ...placed.edge, targets: [], origin: `edge-${side}` };
        if (!t.observable) cand.windows += 1; // let the spike reach the next layer
        cand.pattern = compactPattern(t.observable ? cand.pattern : [...expandTo(placed.edge.pattern, placed.edge.windows), "0".repeat(ctx.net.layers[0].rows)], cand.windows);
        // a candidate the hold-out population rejects is replaced by the next configuration's
        if (!ctx.offer(cand, t.observable ? placed.guard : undefined).rejectedByHoldOut) break;
      }
    }
    ctx.progress("neuron edges", ++done, neurons.length);
  }
}

function expandTo(pattern: readonly string[], windows: number): string[] {
  return Array.from({ length: windows }, (_, w) => pattern[Math.min(w, pattern.length - 1)]);
}

/** Which side the fault pushes the site neuron to, from one fire-edge probe. */
function faultSides(ctx: StrategyContext, faulty: CompiledNetwork, t: FaultTarget, orders: number[][]): EdgeSide[] {
  const cfg: EdgeConfig = { side: "fire", windows: 3, spacing: 1, lwPs: ctx.timing.nominal.lwPs, order: orders[0], minCount: t.required.length };
  const e = findEdge(ctx.net, t.layer, t.col, cfg, ctx.timing, minLogMargin);
  if (!e) return ["fire", "quiet"];
  const g = edgeValue(probeNeuron(ctx.net, t.layer, t.col, e), "fire");
  const f = edgeValue(probeNeuron(faulty, t.layer, t.col, e), "fire");
  return f > g ? ["quiet", "fire"] : ["fire", "quiet"];
}

/** Whether the fault changes its site neuron's spikes at this edge stimulus. */
function activates(net: CompiledNetwork, faulty: CompiledNetwork, t: FaultTarget, edge: EdgeVector): boolean {
  const a = probeNeuron(net, t.layer, t.col, edge).fired;
  const b = probeNeuron(faulty, t.layer, t.col, edge).fired;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return true;
  return false;
}

/** Candidates a fault's search offered and what stopped them. */
interface Rejections {
  guardBand: number;
  holdOut: number;
}

/** Why a search ended without a vector, from the best detection cost it reached and the gate's verdicts. */
function abortReason(limit: number, evaluations: number, tried: number, bestCost: number, activated: boolean, r: Rejections): string {
  if (tried === 0) return `no vector found: the search budget (${limit} evaluations) ran out before a stimulus was tried`;
  const gate = (what: string) =>
    r.guardBand === 0 && r.holdOut === 0
      ? `${what}, but none was kept (each repeated an earlier candidate, or its detection vanished within the timing band)`
      : r.guardBand > 0 && r.holdOut > 0
      ? `${what}, but every one failed a Monte-Carlo good-chip check (${r.guardBand} the guard band, ${r.holdOut} the hold-out population)`
      : r.holdOut > 0
        ? `${what}, but every one that passed the guard band failed the hold-out population (${r.holdOut}; good chips would fail it)`
        : `${what}, but every candidate failed the guard band (${r.guardBand}; good chips would fail it)`;
  const what =
    bestCost >= 100 && !activated
      ? "no threshold-edge stimulus of its neuron changed that neuron's spikes"
      : bestCost >= 10
        ? "the site neuron's spike changes, but no stimulus carried the change to an output"
        : bestCost > 0
          ? "an output moves, but not by more than the good chip's guard band"
          : gate("detecting stimuli exist");
  const how = evaluations >= limit ? `within the search budget (${limit} evaluations)` : `in any threshold-edge configuration (${evaluations} of ${limit} evaluations used)`;
  return `no vector found ${how}: ${what}`;
}

/** Phase 2: search one fault; true when a kept vector detects it. */
function searchFault(ctx: StrategyContext, i: number, infCache: Map<number, Float64Array[]>): boolean {
  const f: Fault = ctx.faults[i];
  const t = faultTarget(ctx.net, f);
  const faulty = applyPerturbations(ctx.net, f.perturbations);
  const orders = ladderOrders(ctx.net, t, infCache);
  const sides = faultSides(ctx, faulty, t, orders);
  const margin = requiredMargin(ctx);
  const limit = ctx.settings.searchLimit;
  const direct = t.observable && t.layer === 0;
  let evaluations = 1;
  let bestCost = Number.POSITIVE_INFINITY;
  let activated = false;
  const rows = ctx.net.layers[0].rows;
  const rejections: Rejections = { guardBand: 0, holdOut: 0 };
  /** Offer a candidate; the verdict of the population that rejected it, if one did. */
  const tryOffer = (cand: CandidateVector): VectorGuardBand | null => {
    const guard = evaluateGuardBand(ctx.guard, candidateStimulus(cand));
    evaluations++;
    if (!guard.accepted) {
      rejections.guardBand++;
      return guard;
    }
    const r = ctx.offer(cand, guard);
    if (!r.rejectedByHoldOut) return null;
    rejections.holdOut++;
    return r.guard;
  };
  const z = guardZ(ctx.guard.failBound);
  let tried = 0;
  for (const cfg of edgeConfigs(t, sides, orders, ctx.timing, ctx.settings.maxWindows)) {
    if (evaluations >= limit || !ctx.budgetLeft() || !ctx.isRemaining(i)) break;
    tried++;
    if (direct) {
      // a stimulus a Monte-Carlo population rejects is re-placed further from the threshold
      // (edge-placement.ts) while the fault still shows: a dropped candidate is replaced, not lost
      let m = margin(t.layer, t.col);
      for (let attempt = 0; attempt < 4 && evaluations < limit && ctx.isRemaining(i); attempt++) {
        evaluations++;
        const edge = findEdge(ctx.net, t.layer, t.col, cfg, ctx.timing, m);
        if (!edge || !activates(ctx.net, faulty, t, edge)) break;
        activated = true;
        bestCost = 0;
        const rejectedBy = tryOffer({ ...edge, targets: [f.id], origin: "fault" });
        if (!rejectedBy) break;
        m = widenedMargin(rejectedBy, t.layer, t.col, cfg, m, z);
      }
      if (!ctx.isRemaining(i)) return true;
      continue;
    }
    evaluations++;
    const edge = findEdge(ctx.net, t.layer, t.col, cfg, ctx.timing, margin(t.layer, t.col));
    if (!edge || !activates(ctx.net, faulty, t, edge)) continue;
    activated = true;
    const cand: CandidateVector = { ...edge, targets: [f.id], origin: "fault" };
    // propagate (hidden site: one more window for the spike to travel) and make the rest robust
    const start = t.observable ? cand : { ...cand, windows: cand.windows + 1, pattern: [...expandTo(cand.pattern, cand.windows), "0".repeat(rows)] };
    const r = searchStimulus(ctx.net, faulty, start, {
      site: { layer: t.layer, col: t.col },
      requiredMargin: margin,
      rng: ctx.rng,
      maxEvaluations: Math.max(1, Math.min(limit - evaluations, ctx.settings.searchLimit >> 1)),
      mutableWindows: Array.from({ length: cand.windows }, (_, w) => w),
    });
    evaluations += r.evaluations;
    bestCost = Math.min(bestCost, r.cost);
    if (r.cost > 0) continue;
    tryOffer({ ...cand, ...r.candidate });
    if (!ctx.isRemaining(i)) return true;
  }
  if (ctx.isRemaining(i) && ctx.budgetLeft()) ctx.giveUp(i, "AU", abortReason(limit, evaluations, tried, bestCost, activated, rejections));
  return !ctx.isRemaining(i);
}

export const targetedStrategy: AtpgStrategy = {
  id: "targeted",
  title: "threshold-edge vectors per neuron and per fault, with propagation search and guard bands",
  run(ctx) {
    const infCache = new Map<number, Float64Array[]>();
    const warmup = ctx.settings.randomWarmup < 0 ? (ctx.net.layers.length > 1 ? 256 : 0) : ctx.settings.randomWarmup;
    if (warmup > 0) runRandomPhase(ctx, ctx.settings.randomPatience, warmup, "random warm-up", true);
    runNeuronPhase(ctx, infCache);
    // faults on observable neurons first (no propagation needed), then deeper layers first
    const obs = new Set(observableLayers(ctx.net));
    const todo = ctx.remaining().sort((a, b) => {
      const fa = ctx.faults[a];
      const fb = ctx.faults[b];
      return Number(obs.has(fb.layer)) - Number(obs.has(fa.layer)) || fb.layer - fa.layer || a - b;
    });
    let done = 0;
    for (const i of todo) {
      if (!ctx.budgetLeft()) break;
      if (ctx.isRemaining(i)) searchFault(ctx, i, infCache);
      ctx.progress("fault search", ++done, todo.length);
    }
  },
};
