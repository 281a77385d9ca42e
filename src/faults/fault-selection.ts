/**
 * Picking faults of a universe by id (a fault list read back, `coverage --faults`):
 * an id names its representative, or one of the equivalent faults collapsed into it
 * (then the representative stands for it). The picked faults keep universe order and
 * each appears once, so a campaign over them is the same whatever order the list has,
 * and a worker that rebuilds the universe picks the same faults from the same ids.
 *
 *   selectFaults(universe.faults, ["dead-synapse@l0.r1.c0", "nope@x"])
 *   // { faults: [<dead-synapse@l0.r1.c0>], unknown: [1] }
 */
import type { Fault } from "./fault.ts";

export interface FaultSelection<F> {
  /** The representatives named, in universe order, once each. */
  faults: F[];
  /** Indices into the given ids that name no fault of the universe. */
  unknown: number[];
}

/** The faults of `faults` that `ids` name (directly or through an equivalent). */
export function selectFaults<F extends Pick<Fault, "id" | "equivalents">>(faults: readonly F[], ids: readonly string[]): FaultSelection<F> {
  const index = new Map<string, number>();
  faults.forEach((f, i) => {
    index.set(f.id, i);
    for (const e of f.equivalents ?? []) if (!index.has(e)) index.set(e, i);
  });
  const picked = new Uint8Array(faults.length);
  const unknown: number[] = [];
  ids.forEach((id, k) => {
    const i = index.get(id);
    if (i === undefined) unknown.push(k);
    else picked[i] = 1;
  });
  return { faults: faults.filter((_, i) => picked[i] === 1), unknown };
}
