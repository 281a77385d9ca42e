/**
 * `npm run bench`: run every benchmarks/*-benchmark.ts (each default-exports an async
 * function that prints its figures). `npm run bench -- <name…>` runs exactly the named
 * ones (`sim`, `faultsim`, … — the file name without `-benchmark.ts`); an unknown name
 * lists the names there are and exits 2.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { benchmarkName, selectBenchmarks, UnknownBenchmarkError } from "./select-benchmarks.ts";
import { distState } from "../scripts/dist-freshness.mjs";
import { applyRuntimeFlags } from "../scripts/runtime-flags.mjs";

// the CLI's V8 settings (bin/snn-atpg.js sets the same), so the figures are the command's
applyRuntimeFlags();

const dir = import.meta.dirname;
let files: string[];
try {
  files = selectBenchmarks(readdirSync(dir), process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UnknownBenchmarkError)) throw err;
  console.error(`error: ${err.message}`);
  process.exit(2);
}
// Pool threads start from the build when it is current, as the CLI's do (job-pool.ts taskModule): a thread
// started from the sources compiles the TypeScript it imports again, which is start-up no user pays.
if (distState(join(dir, "..")) === "fresh") process.env.SNN_ATPG_TASKS_FROM_BUILD = "1";
else console.log("note: dist/ is missing or older than src/ (npm run build): pool threads start from the TypeScript sources");
for (const f of files) {
  console.log(`\n=== ${benchmarkName(f)}-benchmark ===`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: () => Promise<void> };
  await mod.default();
}
