/**
 * `npm run bench`: run every bench/*-benchmark.ts (each default-exports an async
 * function that prints its figures). Filter with `npm run bench -- <name-substring>`.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dir = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith("-benchmark.ts"))
  .filter((f) => !filter || f.includes(filter))
  .sort();
for (const f of files) {
  console.log(`\n=== ${f.replace(/\.ts$/, "")} ===`);
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: () => Promise<void> };
  await mod.default();
}
