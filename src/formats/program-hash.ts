/**
 * Content hashes that tie records to a test program: the whole program (datalog
 * headers, resume, the fault-dictionary cache key) and one vector's stimulus
 * (datalog vector records).
 *
 *   programHash(program)          // sha256 hex of the canonical JSON
 *   stimulusHash(program.vectors[0])
 *   const h = programHasher(header); for (const v of steps) h.add(v); h.digest() // = programHash
 */
import { createHash } from "node:crypto";
import { canonicalHash, canonicalJson } from "./canonical-hash.ts";
import type { Program, ProgramHeader, ProgramStep, ProgramVector } from "./program-format.ts";
import { vectorEvents } from "./program-loader.ts";

/** Canonical hash of the stimulus a vector applies. */
export function stimulusHash(v: ProgramVector): string {
  return canonicalHash({ iwPs: v.iwPs, lwPs: v.lwPs, windows: v.windows, events: vectorEvents(v), writes: v.writes ?? [] });
}

/** Canonical hash of a validated program (what a datalog and a resume are tied to). */
export function programHash(p: Program): string {
  return canonicalHash(p);
}

/**
 * programHash of a program met one step at a time (a streamed program): the canonical
 * JSON of `{ ...header, vectors }` is hashed in pieces — the header keys before
 * "vectors", each step, the keys after — so the digest equals programHash.
 */
export function programHasher(header: ProgramHeader): { add(step: ProgramStep): void; digest(): string } {
  const h = createHash("sha256");
  const keys = Object.keys(header).filter((k) => k !== "$schema" && k !== "vectors");
  const entry = (k: string) => `${JSON.stringify(k)}:${canonicalJson((header as Record<string, unknown>)[k])}`;
  const before = keys.filter((k) => k < "vectors").sort().map(entry);
  const after = keys.filter((k) => k > "vectors").sort().map(entry);
  h.update(`{${[...before, '"vectors":['].join(",")}`);
  let n = 0;
  return {
    add(step) {
      h.update((n++ ? "," : "") + canonicalJson(step));
    },
    digest() {
      h.update(`]${after.map((e) => `,${e}`).join("")}}`);
      return h.digest("hex");
    },
  };
}
