/**
 * One JSON object written in pieces, so a report with millions of entries never becomes
 * one string: V8 cannot hold a string past ~512 MB (`RangeError: Invalid string length`
 * at JSON.stringify, after an 11-minute bnn coverage run). Top-level arrays longer than
 * `batch` are written a batch of entries at a time (an array, or a list with `length` and
 * `slice`, such as a report's FaultEntries, which builds its entries as they are read); everything else is stringified
 * whole. Joined, the pieces are exactly JSON.stringify(value) up to whitespace between
 * pieces (the CLI prints each on its own line).
 *
 *   for (const piece of jsonPieces({ coverage, faults })) ctx.out(piece);
 */

/** The pieces of `JSON.stringify(value)` for a plain object; arrays at its top level are cut into batches. */
export function* jsonPieces(value: Record<string, unknown>, batch = 256): Generator<string> {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined && typeof value[k] !== "function");
  let head = "{";
  for (const [n, key] of keys.entries()) {
    const v = value[key];
    const sep = n < keys.length - 1 ? "," : "";
    if (!isList(v) || v.length <= batch) {
      head += `${JSON.stringify(key)}:${JSON.stringify(v)}${sep}`;
      continue;
    }
    yield `${head}${JSON.stringify(key)}:[`;
    head = "";
    for (let i = 0; i < v.length; i += batch) {
      const part = v.slice(i, i + batch).map((e) => JSON.stringify(e) ?? "null");
      yield `${part.join(",")}${i + batch < v.length ? "," : ""}`;
    }
    head = `]${sep}`;
  }
  yield `${head}}`;
}

/** An array, or an array-like list that slices into arrays (FaultEntries). */
function isList(v: unknown): v is { length: number; slice(a: number, b: number): unknown[] } {
  return Array.isArray(v) || (typeof v === "object" && v !== null && !ArrayBuffer.isView(v) && typeof (v as { slice?: unknown }).slice === "function" && typeof (v as { length?: unknown }).length === "number");
}
