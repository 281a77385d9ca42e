/**
 * A test program that is never held in memory as a whole: a first pass over the file
 * validates every step (schema, bench shapes, consistency — the rules of
 * checkProgramForBench, one step at a time) and computes its hash, step count and what
 * it needs (WRITE, READ); each later pass streams the steps again from the file. A
 * `run` of a 10⁶-vector `.jsonl` program keeps one vector at a time (plus the step ids,
 * for the unique-id rule), not the 4.4 GB a loaded program took.
 *
 *   const stream = await readProgramStream("p.jsonl");          // the header
 *   const bench = loadProgramBench(stream.header, "p.jsonl", undefined);
 *   const program = await scanProgram(stream, bench);           // throws a located FormatError
 *   for await (const step of program.steps()) apply(step);
 *
 * `inMemoryProgram` gives a loaded Program the same shape, so the executor has one path.
 */
import { checkpoint } from "./interrupt-checkpoint.ts";
import { isSpikeVector, type Program, type ProgramHeader, type ProgramStep } from "./program-format.ts";
import { programHash, programHasher } from "./program-hash.ts";
import { checkHeaderForBench, stepChecker } from "./program-loader.ts";
import { readProgramStream, type ProgramStream } from "./program-stream-reader.ts";
import type { LoadedTestbench } from "./testbench-loader.ts";

/** A validated program whose steps are read again on every `steps()` call. */
export interface StreamedProgram {
  file: string;
  header: ProgramHeader;
  /** Number of steps (spike vectors, writes, reads, pauses). */
  count: number;
  /** programHash of the whole program. */
  sha256: string;
  /** Some step programs weights (a write step or a vector's `writes`). */
  needsWrites: boolean;
  /** Some step senses weights (a read step). */
  needsReads: boolean;
  /** The step kinds present ("spike", "write", "read", "pause"). */
  kinds: Set<string>;
  /** The first write or read of levels of multi-level cells (index, id, kind), or null: a target without level WRITE/READ refuses it before opening. */
  firstLevelStep: { index: number; id: string; kind: "write" | "read" } | null;
  /** The steps in file order, freshly streamed (or from memory for a loaded program). */
  steps(): AsyncIterable<ProgramStep>;
  /** The whole program, when it was loaded anyway (small programs, targets that check a program as a whole). */
  loaded?: Program;
}

/** A write of `levels` or a read of `expectedLevels` at index i, else null. */
function levelStepAt(s: ProgramStep, index: number): StreamedProgram["firstLevelStep"] {
  if (isSpikeVector(s)) return null;
  if (s.kind === "write" && s.levels) return { index, id: s.id, kind: "write" };
  if (s.kind === "read" && s.expectedLevels) return { index, id: s.id, kind: "read" };
  return null;
}

function kindOf(s: ProgramStep): string {
  return isSpikeVector(s) ? "spike" : s.kind;
}

/**
 * Validate an opened program stream step by step against its bench (first pass; the
 * stream is consumed). Errors name the line (`.jsonl`) or the vector index. `signal`
 * lets Ctrl-C stop a long scan.
 */
export async function scanProgram(stream: ProgramStream, loaded: LoadedTestbench, signal?: AbortSignal): Promise<StreamedProgram> {
  const { file, header } = stream;
  checkHeaderForBench(header, file, loaded);
  const check = stepChecker(loaded);
  const hasher = programHasher(header);
  const kinds = new Set<string>();
  let count = 0;
  let needsWrites = false;
  let firstLevelStep: StreamedProgram["firstLevelStep"] = null;
  for await (const step of stream.vectors) {
    check(step, count, stream.at);
    firstLevelStep ??= levelStepAt(step, count);
    hasher.add(step);
    kinds.add(kindOf(step));
    needsWrites ||= isSpikeVector(step) ? (step.writes?.length ?? 0) > 0 : step.kind === "write";
    count++;
    await checkpoint(signal);
  }
  return {
    file,
    header,
    count,
    sha256: hasher.digest(),
    needsWrites,
    needsReads: kinds.has("read"),
    kinds,
    firstLevelStep,
    async *steps() {
      yield* (await readProgramStream(file)).vectors;
    },
  };
}

/** A loaded program in the streamed shape (steps from memory). */
export function inMemoryProgram(program: Program, file: string): StreamedProgram {
  const { vectors, ...header } = program;
  return {
    file,
    header,
    count: vectors.length,
    sha256: programHash(program),
    needsWrites: vectors.some((s) => (isSpikeVector(s) ? (s.writes?.length ?? 0) > 0 : s.kind === "write")),
    needsReads: vectors.some((s) => s.kind === "read"),
    kinds: new Set(vectors.map(kindOf)),
    firstLevelStep: vectors.reduce<StreamedProgram["firstLevelStep"]>((hit, s, i) => hit ?? levelStepAt(s, i), null),
    async *steps() {
      yield* vectors;
    },
    loaded: program,
  };
}
