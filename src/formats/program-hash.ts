/**
 * Content hashes that tie records to a test program: the whole program (datalog
 * headers, resume, the fault-dictionary cache key) and one vector's stimulus
 * (datalog vector records).
 *
 *   programHash(program)          // sha256 hex of the canonical JSON
 *   stimulusHash(program.vectors[0])
 */
import { canonicalHash } from "./canonical-hash.ts";
import type { Program, ProgramVector } from "./program-format.ts";
import { vectorEvents } from "./program-loader.ts";

/** Canonical hash of the stimulus a vector applies. */
export function stimulusHash(v: ProgramVector): string {
  return canonicalHash({ iwPs: v.iwPs, lwPs: v.lwPs, windows: v.windows, events: vectorEvents(v), writes: v.writes ?? [] });
}

/** Canonical hash of a validated program (what a datalog and a resume are tied to). */
export function programHash(p: Program): string {
  return canonicalHash(p);
}
