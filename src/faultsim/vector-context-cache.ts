/**
 * An engine run's good vector contexts, kept for the whole run: a pooled campaign's thread
 * grades its own share on every vector, then the tail chunks it claims, each on every vector
 * again (fast-engine.ts, CampaignOptions.tail). Contexts made anew per chunk would derive
 * again what depends only on the good chip and the vector — the next layer's column
 * sensitivities that cone updates read (10 columns × 1,024 rows × segments per vector on
 * bnn, never released before the last layer's faults), the downstream verdicts by
 * (neuron, windows), the reference column's — ~0.2 CPU-s per pass over the vectors on bnn. A
 * context's caches hold only good-chip quantities, so a later chunk may read them; the column
 * sensitivities released after each column go back to the one pool the contexts share.
 *
 *   const cache = createVectorContextCache(pool);
 *   const ctx = cache.get(net, vectors, v, rep, goodRun);   // the same object for every chunk
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import type { FaultSimVector } from "./fault-engine.ts";
import type { GoodResponse } from "./good-response.ts";
import { createSensitivityPool, createVectorContext, type SensitivityPool, type VectorContext } from "./vector-context.ts";

export interface VectorContextCache {
  /** The sensitivity buffers every context of the cache takes from and releases to. */
  readonly pool: SensitivityPool;
  /** The context of vector v (of `vectors`), repetition rep: made on first use (on the caller's good run, `goodRun(v, rep)`, when it gives one), then kept. */
  get(net: CompiledNetwork, vectors: readonly FaultSimVector[], v: number, rep: number, goodRun?: (v: number, rep: number) => GoodResponse | undefined): VectorContext;
  /** Contexts made so far on a good run the caller gave (FaultSimResult.givenGoodRuns). */
  readonly given: number;
}

export function createVectorContextCache(pool: SensitivityPool = createSensitivityPool()): VectorContextCache {
  return new ContextCache(pool);
}

/**
 * A class, not an object literal: a literal with a getter (`given`) got a class (V8 map) of
 * its own at every run — its getter a new function each time — and the engine's vector loop,
 * optimised on the warm-up's, was thrown away at the campaign's first `get` ("wrong map",
 * --trace-deopt-verbose).
 */
class ContextCache implements VectorContextCache {
  private readonly byVector: VectorContext[][] = [];
  private owner: { net: CompiledNetwork; vectors: readonly FaultSimVector[] } | null = null;
  private made = 0;
  constructor(readonly pool: SensitivityPool) {}

  get given(): number {
    return this.made;
  }

  get(net: CompiledNetwork, vectors: readonly FaultSimVector[], v: number, rep: number, goodRun?: (v: number, rep: number) => GoodResponse | undefined): VectorContext {
    // one chip and one vector list per cache: a context of another chip's good run would grade wrongly, silently
    if (!this.owner) this.owner = { net, vectors };
    else if (this.owner.net !== net || this.owner.vectors !== vectors) throw new Error("a vector context cache serves one chip and vector list (make one per campaign)");
    const reps = (this.byVector[v] ??= []);
    let ctx = reps[rep];
    if (!ctx) {
      const run = goodRun?.(v, rep);
      if (run) this.made++;
      ctx = reps[rep] = createVectorContext(net, vectors[v], rep, this.pool, run);
    }
    return ctx;
  }
}
