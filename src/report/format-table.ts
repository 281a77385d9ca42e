/**
 * Plain-text tables for the terminal: right-aligned numbers, left-aligned first column.
 *
 *   formatTable(["model", "faults"], [["dead-synapse", "4"]])
 *   // ["model         faults", "dead-synapse       4"]
 *   percent(0.8095)  // "80.95 %"      nanoseconds(93.96000000000001)  // "93.96 ns"
 */

/** Percentage with two decimals ("80.95 %"). */
export function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(2)} %`;
}

/** A time in ns to the picosecond, without float noise ("93.96 ns", not "93.96000000000001 ns"). */
export function nanoseconds(ns: number): string {
  return `${Number(ns.toFixed(3))} ns`;
}

export interface FormatTableOptions {
  /** Alignment per column (default: the first left, the others right, for names then numbers). */
  align?: readonly ("left" | "right")[];
  /** Spaces between columns (default 2). */
  gap?: number;
}

/** Lay out rows under a header; by default the first column is left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], opts: FormatTableOptions = {}): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const left = (i: number) => (opts.align?.[i] ?? (i === 0 ? "left" : "right")) === "left";
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join(" ".repeat(opts.gap ?? 2))
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
