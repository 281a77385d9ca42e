/**
 * The `$schema` a written data file carries: the path of its JSON Schema in the
 * installed package, relative to the folder the file is written to, with `/`
 * separators. VS Code and other JSON editors resolve a relative `$schema` from the
 * document's own location (they do not look into node_modules, so a bare package
 * path such as `snn-atpg/schemas/program.schema.json` would not resolve); a file
 * moved elsewhere keeps validating only when the schema sits at the same relative
 * place, and `$schema` is editor-only (content hashes drop it).
 *
 *   schemaRefFor("out/bp.json", "program.schema.json")   // "../schemas/program.schema.json" (from the repo root)
 */
import { dirname, join, relative, resolve, sep } from "node:path";
import { packageRoot } from "../package-root.ts";

/** `schemas/<schemaFile>` of the package, relative to the folder of `outputFile`. */
export function schemaRefFor(outputFile: string, schemaFile: string): string {
  return relative(dirname(resolve(outputFile)), join(packageRoot, "schemas", schemaFile)).split(sep).join("/");
}

/**
 * The schema of a program file by its layout: a `.json` program is one document
 * (schemas/program.schema.json); a `.jsonl` program's header line follows
 * schemas/program-header.schema.json (editors validate no JSON Lines file as a whole).
 */
export function programSchemaRef(outputFile: string): string {
  return schemaRefFor(outputFile, outputFile.endsWith(".jsonl") ? "program-header.schema.json" : "program.schema.json");
}
