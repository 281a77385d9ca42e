// Is the build in dist/ current? The rule shared by bin/snn-atpg.js (run the build or
// fall back to the sources) and the test suite's global setup (rebuild before the tests
// spawn the CLI): dist/main.js must be at least as new as every file under src/.
//
//   distState(root)  // → "fresh" | "stale" | "missing"
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Newest modification time (ms) of any file under dir, or 0 if dir is absent. */
function newestMtimeMs(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) newest = Math.max(newest, statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return newest;
}

/** State of the build below the package root `root` (a path). */
export function distState(root) {
  const built = join(root, "dist", "main.js");
  if (!existsSync(built)) return "missing";
  return statSync(built).mtimeMs >= newestMtimeMs(join(root, "src")) ? "fresh" : "stale";
}
