/**
 * A test program's vectors as the fault simulator sees them: stimulus from the
 * pattern or events (program-loader's vectorEvents), the tolerance band (the vector's
 * own or the program's), repetitions, the tester's timing resolution and the vector's
 * pass criterion (the engines judge by it).
 *
 *   const vectors = faultSimVectors(program, "p.json", { timingResolutionPs: bench.timing.tickPs });
 */
import { FormatError } from "../formats/format-error.ts";
import type { Program } from "../formats/program-format.ts";
import { requireSpikeVectors, vectorEvents } from "../formats/program-loader.ts";
import { defaultTimingResolutionPs } from "./response-rule.ts";
import type { FaultSimVector } from "./fault-engine.ts";

export interface ProgramVectorOptions {
  /** Tester timing resolution, ps (spike shifts below it are invisible); default 1. */
  timingResolutionPs?: number;
}

/** Convert a loaded program; vectors that reprogram weights (`writes`) are not supported yet. */
export function faultSimVectors(program: Program, file: string, opts: ProgramVectorOptions = {}): FaultSimVector[] {
  return requireSpikeVectors(program, file, "the fault simulator").map((v, i) => {
    if (v.writes && v.writes.length > 0) {
      throw new FormatError({
        file,
        where: `vectors[${i}].writes`,
        expected: "no weight writes (the fault simulator grades spike vectors on the bench's weights)",
        found: `${v.writes.length} write(s)`,
        hint: "grade the spike vectors in a program without writes",
      });
    }
    return {
      id: v.id,
      stimulus: { iwPs: v.iwPs, lwPs: v.lwPs, windows: v.windows, events: vectorEvents(v) },
      toleranceBandPs: v.toleranceBandPs ?? program.timingTolerancePs,
      repetitions: v.repetitions,
      timingResolutionPs: opts.timingResolutionPs ?? defaultTimingResolutionPs,
      ...(v.criterion && v.criterion.kind !== "exact-train" ? { criterion: v.criterion } : {}),
    };
  });
}
