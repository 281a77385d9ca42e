/**
 * Resolve a testbench argument: a path, or the id of a shipped bench
 * (`black-pixel-4x1` → testbenches/black-pixel-4x1.json next to the package).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadTestbench, type LoadedTestbench } from "../formats/testbench-loader.ts";

/** Root of the installed package (where testbenches/, fault-models/ live). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Path of a testbench argument (id or path). */
export function benchPath(arg: string): string {
  if (existsSync(arg)) return arg;
  const shipped = join(packageRoot, "testbenches", `${arg}.json`);
  return existsSync(shipped) ? shipped : arg;
}

/** Load a testbench given by path or shipped id. */
export function loadBenchArg(arg: string): LoadedTestbench {
  return loadTestbench(benchPath(arg));
}
