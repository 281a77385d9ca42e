/**
 * The tool's name and version, read once from package.json: what datalogs, STDF
 * files, programs, STIL/VCD exports, dictionary cache keys and `--version` record.
 *
 *   toolInfo              // { name: "snn-atpg", version: "0.1.0" }
 *   toolVersionString     // "snn-atpg 0.1.0"
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../package-root.ts";

// src/package-root.ts finds the package from the sources and from the dist/ bundle alike
const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { name: string; version: string };

export const toolInfo: { readonly name: string; readonly version: string } = Object.freeze({ name: pkg.name, version: pkg.version });

/** "<name> <version>", as programs and exports record it. */
export const toolVersionString = `${toolInfo.name} ${toolInfo.version}`;
