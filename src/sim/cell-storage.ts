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
 * A multi-level (domain-wall, seed 001) cell stores a level 0 … top (top = levels − 1; a
 * binary cell is top = 1, its level is its bit), and has three more behaviours:
 *
 *   stuckWall            the wall cannot move: the cell keeps its mission level whatever is written
 *   levelShift k         every write lands k levels off (clamped to 0 … top); the mission
 *                        level was written the same way
 *   stuckAt b            on a multi-level cell: the wall pinned at an end (b = 1: level top, P)
 *
 * `failedTransition` generalises to "a write that would raise (up) / lower (down) the
 * level leaves it unchanged"; `decay` relaxes from the end `from·top` to `to·top`.
 *
 * Pure step functions over a stored level; the simulated chip and the READ fault grader
 * both use them, so they cannot disagree on what a cell holds.
 *
 *   let s = storageInitial(b, 0);        // mission value 0 → stored value
 *   s = storageWrite(b, s, 1);           // after WRITE 1
 *   s = storagePause(b, s, 1e9);         // after holding it 1 s since the write
 *   storageWrite({ levelShift: 1 }, 3, 5, 15);   // 6 (a 16-level cell)
 */

export type StoredBit = 0 | 1;

export interface CellStorageBehaviour {
  stuckAt?: StoredBit;
  failedTransition?: "up" | "down";
  decay?: { from: StoredBit; to: StoredBit; deltaKt: number };
  /** Multi-level cell: the wall cannot move (keeps its mission level). */
  stuckWall?: boolean;
  /** Multi-level cell: writes land this many levels off (clamped). */
  levelShift?: number;
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

const clampLevel = (x: number, top: number) => Math.min(top, Math.max(0, x));

/** Stored level at the start of a test, given the mission level the cell was programmed with (top = levels − 1; 1 on a binary cell). */
export function storageInitial(b: CellStorageBehaviour, mission: number, top = 1): number {
  if (b.stuckAt !== undefined) return b.stuckAt * top;
  if (b.stuckWall) return mission;
  if (b.levelShift !== undefined) return clampLevel(mission + b.levelShift, top);
  if (b.decay && mission === b.decay.from * top) return b.decay.to * top;
  return mission;
}

/** Stored level after writing `level`. */
export function storageWrite(b: CellStorageBehaviour, stored: number, level: number, top = 1): number {
  if (b.stuckAt !== undefined) return b.stuckAt * top;
  if (b.stuckWall) return stored;
  if (b.levelShift !== undefined) return clampLevel(level + b.levelShift, top);
  if (b.failedTransition === "up" && level > stored) return stored;
  if (b.failedTransition === "down" && level < stored) return stored;
  return level;
}

/**
 * Stored level after the cell has held `stored` for `heldNs` in all since its last write
 * (pauses add up: a write restarts the clock).
 */
export function storagePause(b: CellStorageBehaviour, stored: number, heldNs: number, top = 1): number {
  if (b.decay && stored === b.decay.from * top && switchingProbability(heldNs, b.decay.deltaKt) >= 0.5) return b.decay.to * top;
  return stored;
}
