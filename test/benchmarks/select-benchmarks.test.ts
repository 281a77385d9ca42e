/**
 * `npm run bench -- <name>` selects benchmarks by exact name (issue 17): `sim` must not
 * also start the minutes-long `faultsim`, and a typo lists the names there are.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { selectBenchmarks, UnknownBenchmarkError } from "../../benchmarks/select-benchmarks.ts";

const shipped = readdirSync(join(import.meta.dirname, "..", "..", "benchmarks"));

describe("benchmark selection", () => {
  it("`sim` runs sim-benchmark.ts only, although faultsim contains the word", () => {
    expect(shipped).toContain("faultsim-benchmark.ts");
    expect(selectBenchmarks(shipped, ["sim"])).toEqual(["sim-benchmark.ts"]);
  });

  it("several names run each of them once, in name order", () => {
    expect(selectBenchmarks(shipped, ["sim", "llg", "sim"])).toEqual(["llg-benchmark.ts", "sim-benchmark.ts"]);
  });

  it("no name runs every *-benchmark.ts and nothing else", () => {
    expect(selectBenchmarks(["b-benchmark.ts", "run-benchmarks.ts", "select-benchmarks.ts", "a-benchmark.ts"], [])).toEqual(["a-benchmark.ts", "b-benchmark.ts"]);
  });

  it("an unknown or partial name is an error that lists the names", () => {
    expect(() => selectBenchmarks(["sim-benchmark.ts", "faultsim-benchmark.ts"], ["fault"])).toThrow(UnknownBenchmarkError);
    expect(() => selectBenchmarks(["sim-benchmark.ts", "faultsim-benchmark.ts"], ["fault"])).toThrow('no benchmark named "fault"; the benchmarks are: faultsim, sim');
  });
});
