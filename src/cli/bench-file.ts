/**
 * Resolve a testbench argument: a path, or the id of a shipped bench
 * (`black-pixel-4x1` → testbenches/black-pixel-4x1.json next to the package).
 * An argument that is neither (and does not look like a path) is a mistyped id: the
 * error lists the shipped ids and the closest one.
 *
 *   benchPath("black-pixl-4x1")  // NotFoundError: … Did you mean "black-pixel-4x1"? Shipped ids: …
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.ts";
import { FormatError, NotFoundError } from "../formats/format-error.ts";
import { closestMatch } from "./closest-match.ts";
import type { Program } from "../formats/program-format.ts";
import { loadTestbench, type LoadedTestbench } from "../formats/testbench-loader.ts";

/** Root of the installed package (where testbenches/, fault-models/ live). */
export { packageRoot } from "../package-root.ts";

/** Ids of the shipped benches (testbenches/*.json), sorted. */
export function shippedBenchIds(): string[] {
  return readdirSync(join(packageRoot, "testbenches"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/**
 * Path of a testbench argument (id or path). A missing path (it has a `/` or ends in
 * `.json`) is left for the loader to report; a bare word that is no shipped id throws.
 */
export function benchPath(arg: string): string {
  if (existsSync(arg)) return arg;
  const shipped = join(packageRoot, "testbenches", `${arg}.json`);
  if (existsSync(shipped)) return shipped;
  if (/[\\/]|\.json$/i.test(arg)) return arg;
  const ids = shippedBenchIds();
  const near = closestMatch(arg, ids);
  throw new NotFoundError(
    `${arg}: no such file and no shipped bench with that id` +
      (near ? `. Did you mean "${near}"?` : ".") +
      ` Shipped ids: ${ids.join(", ")} (or give the path of a testbench file)`,
  );
}

/**
 * The testbench a program runs on: `--testbench` when given, else the shipped bench the
 * program names. A program made for a bench file that is not shipped needs `--testbench`,
 * and the error says so.
 */
export function loadProgramBench(program: { testbench: Pick<Program["testbench"], "id"> }, programFile: string, testbenchArg: string | undefined): LoadedTestbench {
  if (testbenchArg !== undefined) return loadBenchArg(testbenchArg);
  const id = program.testbench.id;
  if (!existsSync(join(packageRoot, "testbenches", `${id}.json`))) {
    throw new FormatError({
      file: programFile,
      where: "testbench.id",
      expected: "the id of a shipped testbench (see testbenches/)",
      found: JSON.stringify(id),
      hint: "the program was made for a bench file that is not shipped: pass it with --testbench <file>",
    });
  }
  return loadBenchArg(id);
}

/** Load a testbench given by path or shipped id. */
export function loadBenchArg(arg: string): LoadedTestbench {
  return loadTestbench(benchPath(arg));
}
