/**
 * What `lifetime` prints and writes for a finished sweep — the table (mean ± sd per year
 * and curve), --floor's years, --json, --svg — shared by the command and by `merge` of
 * lifetime parts, so a merged sweep reads exactly like an unsharded one.
 *
 *   emitLifetime(result, { years: 10, floor: 0.85, svg: "out/lifetime.svg" }, ctx);
 */
import { lifetimeSvg } from "../characterise/lifetime-plot.ts";
import { yearsAboveFloor, type LifetimeResult } from "../characterise/lifetime.ts";
import type { CliContext } from "./cli-context.ts";
import { writeOutputFile } from "./output-file.ts";

export interface LifetimeOutputOptions {
  years: number;
  floor?: number;
  svg?: string;
  json?: boolean;
}

export const pct = (x: number) => (100 * x).toFixed(1);

function tableLines(r: LifetimeResult): string[] {
  const head = ["years", ...r.curves.map((c) => c.label)];
  const rows = r.curves[0].points.map((_, k) => [
    String(r.curves[0].points[k].years),
    ...r.curves.map((c) => (r.trials > 1 ? `${pct(c.points[k].mean)} ± ${pct(c.points[k].std)}` : pct(c.points[k].mean))),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  return [fmt(head), ...rows.map(fmt)];
}

/** Print (and write) the sweep's report. */
export function emitLifetime(r: LifetimeResult, o: LifetimeOutputOptions, ctx: CliContext): void {
  const floors = o.floor === undefined ? [] : r.curves.map((c) => ({ curve: c.label, yearsBelowFloor: yearsAboveFloor(c, o.floor!) }));
  if (o.svg && r.curves.length) writeOutputFile(o.svg, lifetimeSvg(r, { floor: o.floor }), "--svg");
  if (o.json) {
    ctx.out(JSON.stringify({ testbench: r.bench, ...r, ...(o.floor === undefined ? {} : { floor: o.floor, floors }) }));
    return;
  }
  if (!r.curves.length) return;
  ctx.out(`${r.bench}: held-out accuracy (%) over ${o.years} year(s), ${r.images} digits, ${r.trials} trial(s) (mean${r.trials > 1 ? " ± sd" : ""}), seed ${r.seed}, ${r.reference} reference`);
  for (const line of tableLines(r)) ctx.out(line);
  for (const f of floors) {
    ctx.out(f.yearsBelowFloor === null ? `${f.curve}: stays at or above ${pct(o.floor!)} % for all ${o.years} years` : `${f.curve}: falls below ${pct(o.floor!)} % by year ${f.yearsBelowFloor} (retest or refresh before then)`);
  }
  if (o.svg) ctx.out(`plot written to ${o.svg}`);
}
