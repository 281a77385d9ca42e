/**
 * Static compaction of a generated vector set: reverse-order fault simulation, then a
 * greedy set cover, both with the fault engine as the only judge of detection.
 *
 *   const c = compactVectors(engine, net, faults, vectors, { analysis });
 *   c.keep       // indices into `vectors`, ascending
 *   c.before, c.afterReverseOrder, c.afterSetCover
 *
 * 1. Forward simulation (fault dropping) fixes the target sets: faults detected (DT),
 *    and faults only possibly detected (PD).
 * 2. Reverse order: simulate the vectors last-first with dropping; a vector that is
 *    nobody's first detection is dropped (late targeted vectors often cover what
 *    early ones were kept for).
 * 3. Set cover: each remaining vector is simulated alone without dropping; greedily
 *    keep the vector that detects most still-uncovered DT faults (ties: earlier vector),
 *    then cover the PD-only faults the same way, then drop any kept vector whose faults
 *    are all covered by the others. Skipped when faults × vectors exceeds `maxCoverWork`.
 */
import type { Fault } from "../faults/fault.ts";
import type { FaultEngine, FaultSimOptions, FaultSimVector } from "../faultsim/fault-engine.ts";
import type { CompiledNetwork } from "../sim/compile.ts";

export interface CompactionOptions {
  /** Extra options handed to the engine (e.g. a shared fault analysis). */
  engineOptions?: FaultSimOptions;
  /** Largest faults × vectors product for the set-cover pass (default 5e6). */
  maxCoverWork?: number;
}

export interface CompactionResult {
  keep: number[];
  before: number;
  afterReverseOrder: number;
  afterSetCover: number;
  setCoverSkipped: boolean;
}

function detects(engine: FaultEngine, net: CompiledNetwork, faults: readonly Fault[], vectors: readonly FaultSimVector[], o: CompactionOptions) {
  return engine.run(net, faults, vectors, { ...o.engineOptions, drop: true, proveUndetectable: false } as FaultSimOptions).outcomes;
}

/** Compact `vectors` against `faults` (see header). */
export function compactVectors(
  engine: FaultEngine,
  net: CompiledNetwork,
  faults: readonly Fault[],
  vectors: readonly FaultSimVector[],
  o: CompactionOptions = {},
): CompactionResult {
  const before = vectors.length;
  if (before <= 1) return { keep: vectors.map((_, i) => i), before, afterReverseOrder: before, afterSetCover: before, setCoverSkipped: false };
  const forward = detects(engine, net, faults, vectors, o);
  const dtFaults = faults.filter((_, i) => forward[i].cls === "DT");
  const pdFaults = faults.filter((_, i) => forward[i].cls === "PD");
  const targets = [...dtFaults, ...pdFaults];

  // reverse order
  const reversed = [...vectors].reverse();
  const rev = detects(engine, net, targets, reversed, o);
  const idIndex = new Map(vectors.map((v, i) => [v.id, i]));
  const kept = new Set<number>();
  for (const out of rev) {
    const first = out.cls === "DT" ? out.firstVector : (out.firstPossibleVector ?? out.firstVector);
    if (first !== null && first !== undefined) kept.add(idIndex.get(first)!);
  }
  const afterReverse = [...kept].sort((a, b) => a - b);
  const work = targets.length * afterReverse.length;
  if (work > (o.maxCoverWork ?? 5e6)) {
    return { keep: afterReverse, before, afterReverseOrder: afterReverse.length, afterSetCover: afterReverse.length, setCoverSkipped: true };
  }

  // per-vector detection sets
  const dtSets: Set<number>[] = [];
  const pdSets: Set<number>[] = [];
  for (const vi of afterReverse) {
    const outs = detects(engine, net, targets, [vectors[vi]], o);
    const dt = new Set<number>();
    const pd = new Set<number>();
    outs.forEach((out, fi) => {
      if (out.cls === "DT") dt.add(fi);
      else if (out.cls === "PD") pd.add(fi);
    });
    dtSets.push(dt);
    pdSets.push(pd);
  }
  const chosen = new Set<number>();
  const cover = (need: Set<number>, sets: Set<number>[]) => {
    while (need.size > 0) {
      let best = -1;
      let gain = 0;
      sets.forEach((s, j) => {
        let g = 0;
        for (const f of s) if (need.has(f)) g++;
        if (g > gain) {
          gain = g;
          best = j;
        }
      });
      if (best < 0) break;
      chosen.add(best);
      for (const f of sets[best]) need.delete(f);
    }
  };
  const needDt = new Set(dtFaults.map((_, i) => i));
  cover(needDt, dtSets);
  const needPd = new Set(pdFaults.map((_, i) => dtFaults.length + i));
  for (const j of chosen) for (const f of [...dtSets[j], ...pdSets[j]]) needPd.delete(f);
  cover(
    needPd,
    dtSets.map((s, j) => new Set([...s, ...pdSets[j]])),
  );
  // redundancy removal, last chosen first
  const order = [...chosen].sort((a, b) => b - a);
  for (const j of order) {
    const others = [...chosen].filter((k) => k !== j);
    const coveredDt = new Set<number>();
    const coveredAny = new Set<number>();
    for (const k of others) {
      for (const f of dtSets[k]) coveredDt.add(f);
      for (const f of [...dtSets[k], ...pdSets[k]]) coveredAny.add(f);
    }
    const needed = [...dtSets[j]].some((f) => !coveredDt.has(f)) || [...pdSets[j]].some((f) => f >= dtFaults.length && !coveredAny.has(f));
    if (!needed) chosen.delete(j);
  }
  const keep = [...chosen].map((j) => afterReverse[j]).sort((a, b) => a - b);
  return { keep, before, afterReverseOrder: afterReverse.length, afterSetCover: keep.length, setCoverSkipped: false };
}
