/**
 * Local search for a stimulus that makes one fault visible at the pins — activation
 * (the site neuron's spike changes) and propagation (that change flips an observable
 * output) — in the spirit of simulation-based sequential ATPG (CRIS, GATEST): a cost
 * from good and faulty simulations, and bit flips of the per-window input patterns
 * that lower it.
 *
 *   const hit = searchStimulus(good, faulty, start, { site: { layer: 0, col: 3 }, requiredMargin, rng, maxEvaluations: 200 });
 *
 * Cost of a candidate (0 = the fault flips an observable spike with the good chip's
 * margin at least `requiredMargin(layer, col)`): for every observable neuron and
 * window where the fault moves ln(x_peak/θ) by d = l_F − l_G,
 *   d > 0:  max(0, l_G + m) + max(0, ε − l_F)     (good stays m below, faulty crosses)
 *   d < 0:  max(0, m − l_G) + max(0, l_F + ε)     (good fires m above, faulty stays below)
 * and the minimum over them; when no output moves, 10 + the same cost on the site
 * neuron's windows (activation first), or 100 when the fault changes nothing at all.
 * A robustness penalty (robustnessPenalty) is added so that the search prefers stimuli
 * whose other neurons sit clear of their thresholds — those pass the guard band.
 * The search is ATPG's own guidance: whether a vector detects a fault is decided by the
 * fault engine afterwards, never here.
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { observableLayers, simulateNetwork } from "../sim/network.ts";
import type { Rng } from "../sim/rng.ts";
import { candidateStimulus, compactPattern, type CandidateVector } from "./candidate-vector.ts";
import { windowMargins, type WindowMargins } from "./window-margins.ts";

type Shape = Pick<CandidateVector, "pattern" | "windows" | "iwPs" | "lwPs">;

export interface SearchOptions {
  site: { layer: number; col: number };
  /** Margin the good chip needs at neuron (layer, col), ln units. */
  requiredMargin: (layer: number, col: number) => number;
  rng: Rng;
  maxEvaluations: number;
  /** Windows whose patterns may change (default all). */
  mutableWindows?: readonly number[];
}

export interface SearchResult {
  candidate: Shape;
  /** Detection cost of the returned candidate (0 = detects with the good chip's margin). */
  cost: number;
  /** Its robustness penalty (0 = every relevant neuron window clear of its threshold band). */
  penalty: number;
  evaluations: number;
}

const eps = 0.005;

function pairCost(lG: number, lF: number, m: number): number | null {
  const d = lF - lG;
  if (Math.abs(d) < 1e-9) return null;
  if (d > 0) return Math.max(0, lG + m) + Math.max(0, eps - lF);
  return Math.max(0, m - lG) + Math.max(0, lF + eps);
}

function neuronCost(g: WindowMargins, f: WindowMargins, layer: number, col: number, m: number): number | null {
  let best: number | null = null;
  const W = g.windows;
  for (let w = 0; w < W; w++) {
    const i = col * W + w;
    const c = pairCost(g.logPeak[layer][i], f.logPeak[layer][i], m);
    if (c !== null && (best === null || c < best)) best = c;
  }
  return best;
}

/** Detection cost and robustness penalty of a candidate (see header). */
export function candidateCost(
  good: CompiledNetwork,
  faulty: CompiledNetwork,
  c: Shape,
  o: Pick<SearchOptions, "site" | "requiredMargin">,
): { detection: number; penalty: number } {
  const stim = candidateStimulus(c);
  const g = windowMargins(good, simulateNetwork(good, stim), c.windows);
  const f = windowMargins(faulty, simulateNetwork(faulty, stim), c.windows);
  const observable = observableLayers(good);
  let out: number | null = null;
  for (const li of observable) {
    for (let col = 0; col < good.layers[li].cols; col++) {
      const v = neuronCost(g, f, li, col, o.requiredMargin(li, col));
      if (v !== null && (out === null || v < out)) out = v;
    }
  }
  let detection: number;
  if (out !== null) detection = out;
  else {
    const s = neuronCost(g, f, o.site.layer, o.site.col, o.requiredMargin(o.site.layer, o.site.col));
    detection = s === null ? 100 : 10 + s;
  }
  return { detection, penalty: robustnessPenalty(good, g, observable, o.requiredMargin) };
}

/**
 * How far the good chip is from robust: Σ max(0, m − |ln ρ|) over every neuron window a
 * variation flip could reach the pins from (all windows of observable neurons, all but
 * the last of hidden ones — a spike in the last window goes nowhere), hidden neurons at
 * half weight (their flips do not always propagate).
 */
export function robustnessPenalty(net: CompiledNetwork, g: WindowMargins, observable: readonly number[], margin?: (l: number, c: number) => number): number {
  const W = g.windows;
  let p = 0;
  net.layers.forEach((l, li) => {
    const obs = observable.includes(li);
    const lastW = obs ? W : W - 1;
    for (let c = 0; c < l.cols; c++) {
      const m = margin ? margin(li, c) : 0;
      for (let w = 0; w < lastW; w++) {
        const v = g.logPeak[li][c * W + w];
        if (v < -15) continue;
        const d = Math.max(0, m - Math.abs(v));
        p += obs ? d : d / 2;
      }
    }
  });
  return p;
}

/** Cost of a candidate: detection cost (0 = robustly detected) plus the robustness penalty. */
export function detectionCost(good: CompiledNetwork, faulty: CompiledNetwork, c: Shape, o: Pick<SearchOptions, "site" | "requiredMargin">): number {
  const r = candidateCost(good, faulty, c, o);
  return r.detection + r.penalty;
}

function expand(c: Shape): string[] {
  return Array.from({ length: c.windows }, (_, w) => c.pattern[Math.min(w, c.pattern.length - 1)]);
}

function flip(bits: string, r: number): string {
  return bits.slice(0, r) + (bits[r] === "1" ? "0" : "1") + bits.slice(r + 1);
}

/**
 * First-improvement bit-flip search from `start` on detection cost + penalty; stops when
 * both are 0 or at the evaluation limit. Returns the best candidate that detects (detection
 * cost 0), least penalty first, or the best overall when none does.
 */
export function searchStimulus(good: CompiledNetwork, faulty: CompiledNetwork, start: Shape, o: SearchOptions): SearchResult {
  let cur: Shape = { ...start, pattern: expand(start) };
  let curCost = candidateCost(good, faulty, cur, o);
  let best = { cand: cur, cost: curCost };
  const better = (a: { detection: number; penalty: number }, b: { detection: number; penalty: number }) =>
    a.detection === 0 && b.detection === 0 ? a.penalty < b.penalty - 1e-12 : a.detection + a.penalty < b.detection + b.penalty - 1e-12;
  let evaluations = 1;
  const rows = good.layers[0].rows;
  const windows = o.mutableWindows ?? Array.from({ length: start.windows }, (_, w) => w);
  let improved = true;
  const done = () => curCost.detection === 0 && curCost.penalty === 0;
  while (!done() && improved && evaluations < o.maxEvaluations) {
    improved = false;
    const moves: [number, number][] = [];
    for (const w of windows) for (let r = 0; r < rows; r++) moves.push([w, r]);
    for (let i = moves.length - 1; i > 0; i--) {
      const j = Math.floor(o.rng.next() * (i + 1));
      [moves[i], moves[j]] = [moves[j], moves[i]];
    }
    for (const [w, r] of moves) {
      if (evaluations >= o.maxEvaluations) break;
      const pattern = cur.pattern.slice();
      pattern[w] = flip(pattern[w], r);
      const cand = { ...cur, pattern };
      const cost = candidateCost(good, faulty, cand, o);
      evaluations++;
      if (better(cost, curCost)) {
        cur = cand;
        curCost = cost;
        improved = true;
        if (better(cost, best.cost)) best = { cand, cost };
        if (done()) break;
      }
    }
  }
  return {
    candidate: { ...best.cand, pattern: compactPattern(best.cand.pattern, best.cand.windows) },
    cost: best.cost.detection,
    penalty: best.cost.penalty,
    evaluations,
  };
}
