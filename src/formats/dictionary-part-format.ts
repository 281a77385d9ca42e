/**
 * A dictionary part (`diagnose <program> --shard i/N --out part-i.jsonl`): one shard's
 * faults of a program's fault dictionary (part-file-format.ts). The units are the
 * collapsed faults of the universe, sharded by a hash of the fault id; each record holds a
 * fault's failing vectors and their signatures (empty when no vector makes it fail), so
 * `merge` rebuilds — and caches — the dictionary of one unsharded build.
 *
 *   {"kind":"header","format":"snn-atpg-dictionary-part","schemaVersion":1,"tool":"snn-atpg 0.1.0",…,"shard":{"index":0,"count":3}}
 *   {"faultId":"dead-neuron@l0.n0","failing":{"p1111":["m0@2"]}}
 *   {"kind":"end","faults":1,"elapsedMs":5210}
 */
import { z } from "zod";
import type { PartFormat } from "./part-file-format.ts";

export const dictionaryPartFormat = "snn-atpg-dictionary-part";

const count = z.number().int().min(0);

export const dictionaryPartHeaderSchema = z.strictObject({
  kind: z.literal("header"),
  format: z.literal(dictionaryPartFormat),
  schemaVersion: z.literal(1),
  tool: z.string().describe("tool name and version that wrote the part"),
  testbench: z.strictObject({ id: z.string(), file: z.string(), sha256: z.string() }),
  program: z.strictObject({ file: z.string(), sha256: z.string().describe("programHash of the program") }),
  key: z.string().describe("the dictionary's cache key (tool, program, bench and fault-model hashes)"),
  models: z.array(z.string()).describe("fault-model ids the universe is made of"),
  universe: z.strictObject({ collapsed: count }).describe("faults in the whole (unsharded) collapsed universe"),
  shard: z.strictObject({ index: count, count: z.number().int().min(1) }),
});

export const dictionaryPartRecordSchema = z.strictObject({
  faultId: z.string(),
  failing: z.record(z.string(), z.array(z.string())).describe("vector id → signature items (m/x/s<output>@<window>) of each vector the fault makes fail"),
});

export const dictionaryPartEndSchema = z.strictObject({
  kind: z.literal("end"),
  faults: count,
  elapsedMs: z.number().min(0),
});

export type DictionaryPartHeader = z.output<typeof dictionaryPartHeaderSchema>;
export type DictionaryPartRecord = z.output<typeof dictionaryPartRecordSchema>;

/** The dictionary kind of part file. */
export const dictionaryPartKind = {
  format: dictionaryPartFormat,
  noun: "dictionary part",
  writtenBy: "snn-atpg diagnose <program> --shard i/N --out FILE",
  header: dictionaryPartHeaderSchema,
  record: dictionaryPartRecordSchema,
  end: dictionaryPartEndSchema,
  countField: "faults",
} as const satisfies PartFormat<typeof dictionaryPartHeaderSchema, typeof dictionaryPartRecordSchema, typeof dictionaryPartEndSchema>;
