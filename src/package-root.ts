/**
 * Where the installed tool lives, the same from the TypeScript sources (run by tsx or
 * vitest) and from the esbuild bundle in dist/ (what `snn-atpg` runs). Both this file
 * (src/package-root.ts) and the bundle (dist/main.js) sit one folder below the package
 * root — scripts/build.mjs keeps every output file at the top of dist/ for that reason.
 *
 *   join(packageRoot, "testbenches", "black-pixel-4x1.json")
 *   if (runningFromBuild) …   // parallel/job-pool.ts: load dist/<task>.js, else the .ts module through tsx
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the folder holding package.json, testbenches/, fault-models/ … */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** True when this code runs from the bundle in dist/ rather than from src/*.ts. */
export const runningFromBuild = !import.meta.url.endsWith(".ts");
