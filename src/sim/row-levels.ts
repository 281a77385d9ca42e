/**
 * What a WRITE puts in a row and a READ expects of it, as cell levels: a binary step's
 * bits are the end levels (bit 1 = P = level top, 0 = AP = level 0), a multi-level step
 * (`levels` / `expectedLevels`, a `device.domainWall` bench) gives them directly. One
 * rule for the simulated chip and both array graders.
 *
 *   writtenLevels({ kind: "write", bits: "10", … }, 15)        // [15, 0]
 *   writtenLevels({ kind: "write", levels: [5, 3], … }, 15)    // [5, 3]
 */
import type { WriteStep } from "../formats/program-format.ts";

/** Levels a WRITE programs, one per column (top = levels − 1). */
export function writtenLevels(s: Pick<WriteStep, "bits" | "levels">, top: number): number[] {
  if (s.levels) return s.levels;
  return Array.from(s.bits ?? "", (b) => (b === "1" ? top : 0));
}

/** Level a WRITE programs into column c. */
export function writtenLevelAt(s: Pick<WriteStep, "bits" | "levels">, c: number, top: number): number {
  return s.levels ? s.levels[c] : s.bits!.charCodeAt(c) === 49 ? top : 0;
}
