/**
 * Which Δ every column of A1 has in one lifetime curve (lifetime.ts): a uniform array
 * (`40`), the bench's own per-column Δ from its regions (`"bench"`), or seed 004's
 * mixed-retention array (`"mixed"`, §III-D, fig. 14): the `fraction` of columns holding
 * the most R_H (weight-0) cells on Δ = `highDeltaKt`, the rest on the device's Δ.
 *
 *   lifetimeCurves(net, [30, 40, "mixed"])
 *   // → [{ label: "Δ = 30", columnDeltaKt }, { label: "Δ = 40", … }, { label: "mixed 10% Δ60/40", … }]
 */
import type { CompiledNetwork } from "../sim/compile.ts";
import { RetentionInputError } from "./retention.ts";

/** One curve: a label and the Δ of each column of the first layer. */
export interface LifetimeCurveSpec {
  label: string;
  columnDeltaKt: Float64Array;
}

export interface MixedArrayOptions {
  /** Share of the columns on the high Δ (seed 004: 0.1). */
  fraction: number;
  highDeltaKt: number;
}

/**
 * Seed 004's mixed-retention mapping: the `fraction` of A1's columns holding the most
 * R_H (weight-0) cells go on Δ = `highDelta`, the rest keep the device's Δ. Returns the
 * testbench `regions` entry (columns ascending).
 */
export function mixedRetentionRegion(weights: ArrayLike<number>, rows: number, cols: number, fraction = 0.1, highDelta = 60): { columns: number[]; deltaKt: number; note: string } {
  const count = new Array(cols).fill(0);
  for (let c = 0; c < cols; c++) for (let r = 0; r < rows; r++) if (weights[c * rows + r] === 0) count[c]++;
  const order = [...count.keys()].sort((a, b) => count[b] - count[a] || a - b);
  const n = Math.round(cols * fraction);
  return {
    columns: order.slice(0, n).sort((a, b) => a - b),
    deltaKt: highDelta,
    note: `seed 004 mixed array: the ${n} of ${cols} columns with the most R_H cells (${count[order[n - 1]]}–${count[order[0]]}) on Δ = ${highDelta}`,
  };
}

/** The per-column Δ of each requested curve. */
export function lifetimeCurves(net: CompiledNetwork, tokens: readonly (number | "bench" | "mixed")[], mixed: MixedArrayOptions = { fraction: 0.1, highDeltaKt: 60 }): LifetimeCurveSpec[] {
  const l0 = net.layers[0];
  const deviceDelta = net.device.deltaKt;
  return tokens.map((t) => {
    if (typeof t === "number") {
      if (!(t > 0) || !Number.isFinite(t)) throw new RetentionInputError(`--delta: Δ must be a positive number (e.g. 40), got ${t}`);
      return { label: `Δ = ${t}`, columnDeltaKt: new Float64Array(l0.cols).fill(t) };
    }
    if (t === "bench") {
      const d = l0.columnDeltaKt;
      const missing = d ? d.findIndex((x) => !Number.isFinite(x)) : 0;
      if (!d || missing >= 0) throw new RetentionInputError(`--delta bench: column ${missing} of ${net.id} has no Δ; give the bench a device.deltaKt or use a number`);
      return { label: `${net.id} regions`, columnDeltaKt: Float64Array.from(d) };
    }
    if (deviceDelta === undefined) throw new RetentionInputError(`--delta mixed: ${net.id} has no device.deltaKt for the low-Δ columns; add one (seed 004: 40)`);
    if (!(mixed.fraction > 0 && mixed.fraction < 1)) throw new RetentionInputError(`--mixed-fraction must be in (0, 1), got ${mixed.fraction}`);
    const region = mixedRetentionRegion(l0.weights, l0.rows, l0.cols, mixed.fraction, mixed.highDeltaKt);
    const columnDeltaKt = new Float64Array(l0.cols).fill(deviceDelta);
    for (const c of region.columns) columnDeltaKt[c] = mixed.highDeltaKt;
    return { label: `mixed ${Math.round(mixed.fraction * 100)}% Δ${mixed.highDeltaKt}/${deviceDelta}`, columnDeltaKt };
  });
}
