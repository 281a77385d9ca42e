/**
 * A lifetime part (`lifetime --shard i/N --out part-i.jsonl`): one shard's Monte-Carlo
 * trials of a lifetime sweep (part-file-format.ts). The units are (curve, trial) pairs,
 * sharded by a hash of "<curve label>#<trial>"; each record holds a trial's accuracy and
 * cumulative flips after every step, so `merge` rebuilds the curves of one unsharded run.
 *
 *   {"kind":"header","format":"snn-atpg-lifetime-part","schemaVersion":1,"tool":"snn-atpg 0.1.0",…,"shard":{"index":0,"count":3}}
 *   {"unit":2,"curve":"Δ = 40","trial":0,"accuracy":[0.9,0.85,0.8],"flipped":[0,51234,98765]}
 *   {"kind":"end","trials":1,"elapsedMs":5210}
 */
import { z } from "zod";
import type { PartFormat } from "./part-file-format.ts";

export const lifetimePartFormat = "snn-atpg-lifetime-part";

const count = z.number().int().min(0);

export const lifetimePartHeaderSchema = z.strictObject({
  kind: z.literal("header"),
  format: z.literal(lifetimePartFormat),
  schemaVersion: z.literal(1),
  tool: z.string().describe("tool name and version that wrote the part"),
  testbench: z.strictObject({ id: z.string(), file: z.string(), sha256: z.string() }),
  campaign: z
    .strictObject({
      years: z.number().positive(),
      stepYears: z.number().positive(),
      delta: z.array(z.union([z.number().positive(), z.enum(["bench", "mixed"])])).describe("the curves as --delta gave them"),
      mixedFraction: z.number(),
      mixedDelta: z.number(),
      trials: z.number().int().min(1),
      seed: z.number().int(),
      images: z.number().int().min(1).describe("held-out digits scored"),
      reference: z.enum(["fixed", "aging"]),
    })
    .describe("the sweep's options (lifetime's flags)"),
  curves: z.array(z.string()).describe("curve labels, in order"),
  atRiskCells: count.describe("R_H cells of the first crossbar at year 0"),
  shard: z.strictObject({ index: count, count: z.number().int().min(1) }),
});

export const lifetimePartRecordSchema = z.strictObject({
  unit: count.describe("curve index × trials + trial"),
  curve: z.string(),
  trial: count.describe("0-based trial of the curve"),
  accuracy: z.array(z.number().min(0).max(1)).describe("accuracy after each step; index 0 = year 0"),
  flipped: z.array(count).describe("cumulative flipped cells of A1 after each step"),
});

export const lifetimePartEndSchema = z.strictObject({
  kind: z.literal("end"),
  trials: count,
  elapsedMs: z.number().min(0),
});

export type LifetimePartHeader = z.output<typeof lifetimePartHeaderSchema>;
export type LifetimePartRecord = z.output<typeof lifetimePartRecordSchema>;

/** The lifetime kind of part file. */
export const lifetimePartKind = {
  format: lifetimePartFormat,
  noun: "lifetime part",
  writtenBy: "snn-atpg lifetime --shard i/N --out FILE",
  header: lifetimePartHeaderSchema,
  record: lifetimePartRecordSchema,
  end: lifetimePartEndSchema,
  countField: "trials",
} as const satisfies PartFormat<typeof lifetimePartHeaderSchema, typeof lifetimePartRecordSchema, typeof lifetimePartEndSchema>;
