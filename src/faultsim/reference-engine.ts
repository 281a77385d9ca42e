/**
 * The reference fault engine: for every fault, build the whole faulty network
 * (`applyPerturbations`) and re-simulate it on every vector and repetition, then
 * judge its observable response against the good one by the vector's pass criterion. Simple and obviously right —
 * the yardstick the fast engine is tested against.
 *
 *   const r = referenceEngine.run(net, faults, vectors, { drop: true });
 *   r.outcomes[0]  // { faultId: "dead-synapse@l0.r0.c0", cls: "DT", firstVector: "p1111", … }
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { applyPerturbations } from "../sim/perturbation.ts";
import { createCampaign, vectorVerdict, type CampaignOptions } from "./campaign.ts";
import type { FaultEngine, FaultSimResult, FaultSimVector } from "./fault-engine.ts";
import type { Fault } from "../faults/fault.ts";
import { goodResponse, repetitionsOf } from "./good-response.ts";
import { responseVerdict } from "./pass-criteria.ts";

export const referenceEngine = {
  id: "reference",
  run(net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], opts: CampaignOptions = {}): FaultSimResult {
    const start = performance.now();
    const c = createCampaign(net, faults, vectors, opts);
    const good = vectors.map((v) => Array.from({ length: repetitionsOf(net, v) }, (_, rep) => goodResponse(net, v, rep).observed));
    let evaluations = 0;
    const todo = c.pending();
    for (let k = 0; k < todo.length && !c.aborted(); k++) {
      const i = todo[k];
      const faulty = applyPerturbations(net, faults[i].perturbations);
      for (let v = 0; v < vectors.length && c.active(i); v++) {
        const vec = vectors[v];
        const verdict = vectorVerdict(good[v].length, (rep) =>
          responseVerdict(vec, good[v][rep], goodResponse(faulty, vec, rep).observed),
        );
        evaluations++;
        c.record(i, v, verdict);
      }
      opts.onProgress?.(k + 1, todo.length);
    }
    return c.result("reference", evaluations, 0, start);
  },
} as const satisfies FaultEngine;
