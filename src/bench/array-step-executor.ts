/**
 * Applying a program's array steps — WRITE a row, READ a row against its expected
 * bits, PAUSE — to a target, and the frozen datalog record of each.
 *
 *   const rec = await executeArrayStep(step, index, { target, dutId, now, targetLabel });
 *   rec.verdict; rec.failingColumns   // the fail-bitmap row of a READ
 *
 * A READ passes when every bit (or level, on a multi-level cell) equals the expected one; the columns that differ are
 * the row of the fail bitmap (diagnosis maps them to cells, rows and columns). A
 * pause waits on the target (a simulated chip ages its cells; a board waits in real
 * time, in slices, so Ctrl-C still stops it within about a second).
 */
import type { DatalogStep } from "../formats/datalog-format.ts";
import type { PauseStep, ReadStep, WriteStep } from "../formats/program-format.ts";
import type { Target } from "../targets/target.ts";
import { InterruptedError } from "../formats/errors.ts";
import { BenchSetupError } from "../transports/bench-error.ts";

export interface ArrayStepContext {
  target: Target;
  dutId: string;
  targetLabel: string;
  now: () => Date;
  signal?: AbortSignal;
}

/** Columns where two equal-length bit strings (or level arrays) differ. */
export function differingColumns(expected: string | readonly number[], observed: string | readonly number[]): number[] {
  const out: number[] = [];
  const n = Math.max(expected.length, observed.length);
  for (let c = 0; c < n; c++) if (expected[c] !== observed[c]) out.push(c);
  return out;
}

async function dwell(ns: number, ctx: ArrayStepContext): Promise<void> {
  if (ctx.target.pause) return ctx.target.pause(ns);
  // A physical chip ages in real time: wait, in slices so that Ctrl-C is honoured.
  let leftMs = ns / 1e6;
  while (leftMs > 0) {
    if (ctx.signal?.aborted) throw new InterruptedError();
    const slice = Math.min(leftMs, 250);
    await new Promise((r) => setTimeout(r, slice));
    leftMs -= slice;
  }
}

/** Apply one write, read or pause step and return its record. */
export async function executeArrayStep(step: WriteStep | ReadStep | PauseStep, index: number, ctx: ArrayStepContext): Promise<DatalogStep> {
  const startedAt = ctx.now().toISOString();
  const base = { type: "step" as const, index, stepId: step.id, dutId: ctx.dutId, kind: step.kind, ...(step.phase ? { phase: step.phase } : {}) };
  if (step.kind === "write" && step.levels) {
    if (!ctx.target.writeLevels) throw new BenchSetupError(`${ctx.targetLabel}: step ${step.id} programs levels of multi-level cells (WRITE levels), but this target cannot (PROTOCOL.md v1 and SCPI carry bits only; use --target sim)`);
    await ctx.target.writeLevels(step.layer, step.row, step.levels);
    return { ...base, layer: step.layer, row: step.row, levels: step.levels, verdict: "pass", retries: 0, startedAt, finishedAt: ctx.now().toISOString() };
  }
  if (step.kind === "read" && step.expectedLevels) {
    if (!ctx.target.readLevels) throw new BenchSetupError(`${ctx.targetLabel}: step ${step.id} senses levels of multi-level cells (READ levels), but this target cannot (PROTOCOL.md v1 and SCPI carry bits only; use --target sim)`);
    const levels = await ctx.target.readLevels(step.layer, step.row);
    const failingColumns = differingColumns(step.expectedLevels, levels);
    return { ...base, layer: step.layer, row: step.row, levels, expectedLevels: step.expectedLevels, failingColumns, verdict: failingColumns.length ? "fail" : "pass", retries: 0, startedAt, finishedAt: ctx.now().toISOString() };
  }
  if (step.kind === "write") {
    if (!ctx.target.writeRow) throw new BenchSetupError(`${ctx.targetLabel}: step ${step.id} programs weights (WRITE), but this target cannot`);
    await ctx.target.writeRow(step.layer, step.row, step.bits!);
    return { ...base, layer: step.layer, row: step.row, bits: step.bits, verdict: "pass", retries: 0, startedAt, finishedAt: ctx.now().toISOString() };
  }
  if (step.kind === "read") {
    if (!ctx.target.readRow) throw new BenchSetupError(`${ctx.targetLabel}: step ${step.id} senses weights (READ), but this target cannot`);
    const bits = await ctx.target.readRow(step.layer, step.row);
    const failingColumns = differingColumns(step.expected!, bits);
    return {
      ...base,
      layer: step.layer,
      row: step.row,
      bits,
      expected: step.expected,
      failingColumns,
      verdict: failingColumns.length ? "fail" : "pass",
      retries: 0,
      startedAt,
      finishedAt: ctx.now().toISOString(),
    };
  }
  await dwell(step.dwellNs, ctx);
  return { ...base, dwellNs: step.dwellNs, verdict: "pass", retries: 0, startedAt, finishedAt: ctx.now().toISOString() };
}
