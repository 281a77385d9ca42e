/**
 * Generated JSON Schemas and TypeScript types must match their zod sources
 * (run `npm run gen` after changing a schema), and every shipped data file must
 * validate against its format.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generatedFiles } from "../../src/formats/generate-schemas.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { repoRoot } from "../helpers/run-cli.ts";

describe("generated files", () => {
  it("schemas/ and src/formats/generated/ are up to date with the zod sources", async () => {
    const files = await generatedFiles();
    expect(files.size).toBeGreaterThan(0);
    for (const [rel, content] of files) {
      let onDisk = "";
      try {
        onDisk = readFileSync(join(repoRoot, rel), "utf8");
      } catch {
        onDisk = "(missing)";
      }
      expect(onDisk, `${rel} is stale: run npm run gen`).toBe(content);
    }
  });

  it("every shipped testbench validates and points its $schema at the published schema", () => {
    const dir = join(repoRoot, "testbenches");
    const names = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const f of names) {
      const raw = JSON.parse(readFileSync(join(dir, f), "utf8"));
      expect(raw.$schema).toBe("../schemas/testbench.schema.json");
      expect(loadTestbench(join(dir, f)).bench.id).toBe(f.replace(/\.json$/, ""));
    }
  });
});
