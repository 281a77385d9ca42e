/**
 * What a bit-cell *stores* under WRITE and over time, for cells whose storage is not
 * ideal: the memory-test view of an MTJ cell (stuck-at, transition and data-retention
 * faults of march testing). A good cell stores what was last written.
 *
 *   stuckAt b            the cell always holds b (a pinned free layer, a shorted barrier)
 *   failedTransition     a write that would change 0→1 ("up") or 1→0 ("down") leaves it unchanged
 *   decay {from,to,Δ}    a cell holding `from` relaxes to `to` over time, P_sw(t) = 1 − exp(−(t/τ0)·e^(−Δ))
 *                        (seed 004 eq. 2, τ0 = 1 ns); it is counted as flipped once P_sw ≥ ½
 *                        (the median cell), and it has already flipped in the field before
 *                        the test starts (its mission value is `to`).
 *
 * Pure step functions over a stored bit; the simulated chip and the READ fault grader
 * both use them, so they cannot disagree on what a cell holds.
 *
 *   let s = storageInitial(b, 0);        // mission value 0 → stored value
 *   s = storageWrite(b, s, 1);           // after WRITE 1
 *   s = storagePause(b, s, 1e9);         // after holding it 1 s since the write
 */

export type StoredBit = 0 | 1;

export interface CellStorageBehaviour {
  stuckAt?: StoredBit;
  failedTransition?: "up" | "down";
  decay?: { from: StoredBit; to: StoredBit; deltaKt: number };
}

/** A faulty cell with its storage behaviour (what an injected storage fault is to a simulated chip). */
export interface StorageFault {
  layer: number;
  row: number;
  col: number;
  behaviour: CellStorageBehaviour;
}

/** Attempt time of thermal switching, ns (seed 004). */
export const retentionTau0Ns = 1;

/** Probability that a cell with barrier Δ has switched after t ns (seed 004 eq. 2). */
export function switchingProbability(tNs: number, deltaKt: number): number {
  return -Math.expm1(-(tNs / retentionTau0Ns) * Math.exp(-deltaKt));
}

/** Stored value at the start of a test, given the mission value the cell was programmed with. */
export function storageInitial(b: CellStorageBehaviour, mission: StoredBit): StoredBit {
  if (b.stuckAt !== undefined) return b.stuckAt;
  if (b.decay && mission === b.decay.from) return b.decay.to;
  return mission;
}

/** Stored value after writing `bit`. */
export function storageWrite(b: CellStorageBehaviour, stored: StoredBit, bit: StoredBit): StoredBit {
  if (b.stuckAt !== undefined) return b.stuckAt;
  if (b.failedTransition === "up" && stored === 0 && bit === 1) return 0;
  if (b.failedTransition === "down" && stored === 1 && bit === 0) return 1;
  return bit;
}

/**
 * Stored value after the cell has held `stored` for `heldNs` in all since its last write
 * (pauses add up: a write restarts the clock).
 */
export function storagePause(b: CellStorageBehaviour, stored: StoredBit, heldNs: number): StoredBit {
  if (b.decay && stored === b.decay.from && switchingProbability(heldNs, b.decay.deltaKt) >= 0.5) return b.decay.to;
  return stored;
}
