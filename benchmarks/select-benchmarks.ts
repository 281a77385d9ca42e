/**
 * Which benchmarks `npm run bench -- <name…>` runs: a benchmark's name is its file name
 * without `-benchmark.ts` (`sim-benchmark.ts` → `sim`), and each name given selects
 * exactly that one — `sim` does not also run `faultsim`. No name runs them all.
 *
 *   selectBenchmarks(["faultsim-benchmark.ts", "sim-benchmark.ts"], ["sim"])   // ["sim-benchmark.ts"]
 */

const suffix = "-benchmark.ts";

/** The benchmark name of a file, or null when the file is not a benchmark. */
export function benchmarkName(file: string): string | null {
  return file.endsWith(suffix) ? file.slice(0, -suffix.length) : null;
}

/** A name on the command line that is no benchmark; the message lists the names there are. */
export class UnknownBenchmarkError extends Error {
  constructor(unknown: readonly string[], names: readonly string[]) {
    super(`no benchmark named ${unknown.map((n) => `"${n}"`).join(", ")}; the benchmarks are: ${names.join(", ")} (npm run bench -- <name>)`);
    this.name = "UnknownBenchmarkError";
  }
}

/** The benchmark files to run, in name order: all of them, or exactly the ones named. */
export function selectBenchmarks(files: readonly string[], requested: readonly string[]): string[] {
  const byName = new Map<string, string>();
  for (const f of files) {
    const name = benchmarkName(f);
    if (name !== null) byName.set(name, f);
  }
  const names = [...byName.keys()].sort();
  if (requested.length === 0) return names.map((n) => byName.get(n)!);
  const unknown = requested.filter((n) => !byName.has(n));
  if (unknown.length > 0) throw new UnknownBenchmarkError(unknown, names);
  return names.filter((n) => requested.includes(n)).map((n) => byName.get(n)!);
}
