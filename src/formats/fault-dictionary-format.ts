/**
 * The fault dictionary: per detected fault, the vectors it makes fail and the pass
 * criterion's signature items for each. In memory one object; on disk (the cache
 * src/faultsim/dictionary-cache.ts writes and reads back) JSON Lines — a header line, then
 * one line per fault — so a dictionary of millions of faults is never one string (V8
 * refuses strings past ~512 MB: a bnn-size dictionary as one JSON text was silently not cached).
 *
 *   { schemaVersion: 2, key, program: { file, sha256 }, testbench: { id, sha256 }, models: [...],
 *     universe: { collapsed: 20, uncollapsed: 21, undetected: 4 },
 *     faults: [{ id: "dead-neuron@l0.n0", modelId, siteId, classSize: 1, equivalents: [], failing: { p1111: ["m0@2"] } }],
 *     buildMs: 103 }
 *   cache file:  {"schemaVersion":2,"key":…,"buildMs":103,"faultCount":16}\n{"id":"dead-neuron@l0.n0",…}\n…
 */
import { z } from "zod";

/** Bumped when the dictionary's meaning changes (old cache files are then rebuilt). */
export const faultDictionaryVersion = 2;

export const dictionaryFaultSchema = z.strictObject({
  id: z.string(),
  modelId: z.string(),
  siteId: z.string(),
  classSize: z.number().int().positive(),
  equivalents: z.array(z.string()),
  /** Vector id → signature items; absent vectors pass. */
  failing: z.record(z.string(), z.array(z.string())),
});

export const faultDictionarySchema = z.strictObject({
  schemaVersion: z.literal(faultDictionaryVersion),
  key: z.string(),
  program: z.strictObject({ file: z.string(), sha256: z.string() }),
  testbench: z.strictObject({ id: z.string(), sha256: z.string() }),
  models: z.array(z.string()),
  /** Faults in the universe (collapsed) and how many no vector of the program detects. */
  universe: z.strictObject({ collapsed: z.number().int(), uncollapsed: z.number().int(), undetected: z.number().int() }),
  /** Detected faults only (an undetected fault cannot explain a failure). */
  faults: z.array(dictionaryFaultSchema),
  buildMs: z.number(),
});

/** The first line of a cached dictionary: everything but the faults, and how many fault lines follow (a cut file is rebuilt). */
export const dictionaryHeaderSchema = faultDictionarySchema.omit({ faults: true }).extend({ faultCount: z.number().int().nonnegative() });

export type FaultDictionary = z.output<typeof faultDictionarySchema>;
export type DictionaryFault = z.output<typeof dictionaryFaultSchema>;
