/**
 * Resolve a testbench argument: a path, or the id of a shipped bench
 * (`black-pixel-4x1` → testbenches/black-pixel-4x1.json next to the package).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.ts";
import { FormatError } from "../formats/format-error.ts";
import type { Program } from "../formats/program-format.ts";
import { loadTestbench, type LoadedTestbench } from "../formats/testbench-loader.ts";

/** Root of the installed package (where testbenches/, fault-models/ live). */
export { packageRoot } from "../package-root.ts";

/** Path of a testbench argument (id or path). */
export function benchPath(arg: string): string {
  if (existsSync(arg)) return arg;
  const shipped = join(packageRoot, "testbenches", `${arg}.json`);
  return existsSync(shipped) ? shipped : arg;
}

/**
 * The testbench a program runs on: `--testbench` when given, else the shipped bench the
 * program names. A program made for a bench file that is not shipped needs `--testbench`,
 * and the error says so.
 */
export function loadProgramBench(program: Program, programFile: string, testbenchArg: string | undefined): LoadedTestbench {
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
