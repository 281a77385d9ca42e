/**
 * A candidate test vector: what a strategy proposes before the generator has checked
 * it (guard band, fault simulation) and turned it into a program vector.
 *
 *   { pattern: ["1100", "0000"], windows: 3, iwPs: 800, lwPs: 12000, targets: ["slow-to-leak@l0.n0"], origin: "edge" }
 *
 * `pattern` holds one bit string per window for the first-layer rows (the last one
 * repeats), the program format's `pattern` field.
 */
import type { FaultSimVector } from "../faultsim/fault-engine.ts";
import { patternEvents, type Stimulus } from "../sim/stimulus.ts";

export interface CandidateVector {
  /** Bits per first-layer row, one string per window (the last repeats). */
  pattern: string[];
  windows: number;
  iwPs: number;
  lwPs: number;
  /** Fault ids the vector was built for (may be empty). */
  targets: string[];
  /** Strategy phase that proposed it (edge, fault, random, exhaustive, …). */
  origin: string;
}

/** The simulator stimulus of a candidate. */
export function candidateStimulus(c: Pick<CandidateVector, "pattern" | "windows" | "iwPs" | "lwPs">): Stimulus {
  return { iwPs: c.iwPs, lwPs: c.lwPs, windows: c.windows, events: patternEvents(c.pattern, c.windows, c.iwPs, c.lwPs) };
}

/** A fault-simulation vector for a candidate. */
export function candidateSimVector(c: CandidateVector, id: string, toleranceBandPs: number): FaultSimVector {
  return { id, stimulus: candidateStimulus(c), toleranceBandPs };
}

/** Stable identity of a candidate's stimulus (duplicates are dropped). */
export function candidateKey(c: Pick<CandidateVector, "pattern" | "windows" | "iwPs" | "lwPs">): string {
  return `${c.windows}|${c.iwPs}|${c.lwPs}|${compactPattern(c.pattern, c.windows).join(",")}`;
}

/** Drop repeated trailing window patterns (the last one repeats anyway) and patterns past the last window. */
export function compactPattern(pattern: readonly string[], windows: number): string[] {
  const p = pattern.slice(0, windows);
  while (p.length > 1 && p[p.length - 1] === p[p.length - 2]) p.pop();
  return p;
}

/** Bit string with the given rows set. */
export function bitsOf(rows: number, active: Iterable<number>): string {
  const b = new Array<string>(rows).fill("0");
  for (const r of active) b[r] = "1";
  return b.join("");
}

/** Test time of a candidate (windows × period), ns. */
export function candidateTimeNs(c: Pick<CandidateVector, "windows" | "iwPs" | "lwPs">): number {
  return (c.windows * (c.iwPs + c.lwPs)) / 1000;
}
