/**
 * `npm run gen`: write schemas/*.schema.json and src/formats/generated/*.ts from the zod sources.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { generatedFiles } from "../src/formats/generate-schemas.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
for (const [rel, content] of await generatedFiles()) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${rel}`);
}
