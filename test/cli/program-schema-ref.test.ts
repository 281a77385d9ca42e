/**
 * Generated programs carry `$schema`: the package's schemas/program.schema.json (a
 * `.jsonl` header: program-header.schema.json) as a path relative to the program's own
 * folder, which is how JSON editors resolve it. `$schema` is editor-only: the program
 * hash ignores it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { programHash } from "../../src/formats/program-hash.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { schemaRefFor } from "../../src/cli/schema-ref.ts";
import { runMain } from "../helpers/run-main.ts";

mkdirSync(resolve("out"), { recursive: true }); // a fresh clone has no out/ yet
const dir = mkdtempSync(join(resolve("out"), "schema-ref-"));
const schemaFile = resolve("schemas", "program.schema.json");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("$schema in generated programs", () => {
  it("is the path from the program's folder to schemas/program.schema.json", async () => {
    mkdirSync(join(dir, "a", "b"), { recursive: true });
    const file = join(dir, "a", "b", "bp.json");
    const r = await runMain(["generate", "black-pixel-4x1", "-o", file]);
    expect(r.code).toBe(0);
    const program = JSON.parse(readFileSync(file, "utf8")) as { $schema: string };
    // out/schema-ref-*/a/b → four folders up to the repository root, then schemas/
    expect(program.$schema).toBe("../../../../schemas/program.schema.json");
    expect(resolve(dirname(file), program.$schema)).toBe(schemaFile);
    const loaded = loadProgram(file);
    expect(programHash(loaded)).toBe(programHash({ ...loaded, $schema: "elsewhere.json" }));
  });

  it("a .jsonl program's header line points at the header schema", async () => {
    const file = join(dir, "bp.jsonl");
    const r = await runMain(["generate", "black-pixel-4x1", "-o", file]);
    expect(r.code).toBe(0);
    const header = JSON.parse(readFileSync(file, "utf8").split("\n")[0]!) as { $schema: string };
    expect(header.$schema).toBe("../../schemas/program-header.schema.json");
  });

  it("uses / separators and works from the schemas folder itself", () => {
    expect(schemaRefFor(join("schemas", "p.json"), "program.schema.json")).toBe("program.schema.json");
  });
});
