/**
 * Shared by the scripts that write hand-made test programs into fixtures/: the good
 * chip's expected spikes for a pattern stimulus, and the program around the vectors
 * (testbench id + canonical hash, 500 ps tolerance, single decision).
 *
 *   const expected = goodChipSpikes(net, ["1111"], 3, iwPs, lwPs);   // [{ output: 0, window: 2, timePs: 20518 }]
 *   const p = fixtureProgram(loaded, vectors, { generator: "scripts/gen-coverage-fixtures.ts" });
 */
import type { Program, ProgramVector } from "../src/formats/program-format.ts";
import type { LoadedTestbench } from "../src/formats/testbench-loader.ts";
import type { CompiledNetwork } from "../src/sim/compile.ts";
import { observableSpikes, simulateNetwork } from "../src/sim/network.ts";
import { patternEvents } from "../src/sim/stimulus.ts";

/** Observable spikes of `net` for one pattern per window (the last one repeats), timings in ps. */
export function goodChipSpikes(net: CompiledNetwork, pattern: string[], windows: number, iwPs: number, lwPs: number): ProgramVector["expected"] {
  const events = patternEvents(pattern, windows, iwPs, lwPs);
  return observableSpikes(net, simulateNetwork(net, { iwPs, lwPs, windows, events }).spikes);
}

/** A test program for `loaded` around `vectors`; `extra` overrides the defaults (e.g. `decision`). */
export function fixtureProgram(loaded: LoadedTestbench, vectors: ProgramVector[], metadata: Program["metadata"], extra: Partial<Program> = {}): Program {
  return {
    $schema: "../../schemas/program.schema.json",
    schemaVersion: 1,
    testbench: { id: loaded.bench.id, sha256: loaded.sha256 },
    timingTolerancePs: 500,
    decision: { rule: "single" },
    metadata,
    ...extra,
    vectors,
  } as Program;
}
