/**
 * Where the installed tool lives, the same from the TypeScript sources (run by tsx or
 * vitest) and from the esbuild bundle in dist/ (what `snn-atpg` runs). Both this file
 * (src/package-root.ts) and the bundle (dist/main.js) sit one folder below the package
 * root — scripts/build.mjs keeps every output file at the top of dist/ for that reason.
 *
 *   join(packageRoot, "testbenches", "black-pixel-4x1.json")
 *   new Worker(workerEntry(import.meta.url, "fault-sim-worker", "./fault-sim-worker-boot.mjs"), …)
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: the folder holding package.json, testbenches/, fault-models/ … */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "..");

/** True when this code runs from the bundle in dist/ rather than from src/*.ts. */
export const runningFromBuild = !import.meta.url.endsWith(".ts");

/**
 * The module a worker thread starts with. From the bundle: dist/<bundleName>.js (an
 * entry point of scripts/build.mjs). From the sources: the `.mjs` boot file next to the
 * caller (resolved against `callerUrl`), which registers tsx in the thread first.
 */
export function workerEntry(callerUrl: string, bundleName: string, tsBoot: string): URL {
  return runningFromBuild ? new URL(`${bundleName}.js`, new URL(".", import.meta.url)) : new URL(tsBoot, callerUrl);
}
