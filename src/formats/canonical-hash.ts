/**
 * Canonical content hash of a JSON document: sha256 of its JSON with keys sorted
 * and the editor-only `$schema` key dropped, so reformatting a file keeps its hash.
 *
 *   canonicalHash({ b: 1, a: 2 }) === canonicalHash({ a: 2, b: 1 })
 */
import { createHash } from "node:crypto";

/** Stable JSON: object keys sorted recursively, `$schema` omitted. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value as object)
      .filter((k) => k !== "$schema")
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function canonicalHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}
