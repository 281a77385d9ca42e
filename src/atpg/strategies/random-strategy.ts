/**
 * Random-pattern strategy (the baseline): each vector applies one random first-layer
 * pattern (every bit on with probability ½) at the start of every window, with the
 * bench's nominal timing. Kept only when it detects a new fault; stops after
 * `randomPatience` useless vectors in a row or when the budget is spent.
 *
 *   randomCandidate(4, 4, { iwPs: 1000, lwPs: 9000 }, rng) → { pattern: ["1011"], windows: 4, … }
 */
import type { Rng } from "../../sim/rng.ts";
import type { AtpgStrategy, StrategyContext } from "../atpg-strategy.ts";
import type { CandidateVector } from "../candidate-vector.ts";

/** One random vector; every bit is on with probability `density`. */
export function randomCandidate(rows: number, windows: number, timing: { iwPs: number; lwPs: number }, rng: Rng, origin = "random", density = 0.5): CandidateVector {
  let bits = "";
  for (let r = 0; r < rows; r++) bits += rng.next() < density ? "1" : "0";
  return { pattern: [bits], windows, iwPs: timing.iwPs, lwPs: timing.lwPs, targets: [], origin };
}

/**
 * Offer random vectors until `patience` in a row detect nothing (or the budget ends).
 * With `varyDensity` each vector draws its own density in [0.2, 0.9]: a steep network
 * (a single-ended binary crossbar, whose column currents follow mostly the number of
 * active inputs — bnn-784x1024x10 before its differential read fired its outputs only
 * above ~70 % of them) is never exercised by density ½ alone.
 */
export function runRandomPhase(ctx: StrategyContext, patience: number, maxOffers = Number.POSITIVE_INFINITY, origin = "random", varyDensity = false): number {
  const rows = ctx.net.layers[0].rows;
  let idle = 0;
  let offers = 0;
  while (idle < patience && offers < maxOffers && ctx.budgetLeft() && ctx.remaining().length > 0) {
    const density = varyDensity ? 0.2 + 0.7 * ctx.rng.next() : 0.5;
    const r = ctx.offer(randomCandidate(rows, ctx.settings.randomWindows, ctx.timing.nominal, ctx.rng, origin, density));
    offers++;
    idle = r.accepted ? 0 : idle + 1;
    ctx.progress(origin, offers, Number.isFinite(maxOffers) ? maxOffers : offers + patience - idle);
  }
  return offers;
}

export const randomStrategy: AtpgStrategy = {
  id: "random",
  title: "random patterns with fault dropping (baseline)",
  run(ctx) {
    runRandomPhase(ctx, ctx.settings.randomPatience);
    for (const i of ctx.remaining()) ctx.giveUp(i, "AU", `random search stopped after ${ctx.settings.randomPatience} useless vectors in a row`);
  },
};
