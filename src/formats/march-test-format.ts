/**
 * March test format: one march algorithm per file in `march-tests/`, as data. The
 * algorithm is written in the usual notation, a `;`-separated list of march elements:
 *
 *   element   := order "(" op { "," op } ")"  |  "pause" "(" dwellNs ")"
 *   order     := "⇑" | "⇓" | "⇕"   (or ASCII "up", "down", "any")   — address order over the rows
 *   op        := "r0" | "r1" | "w0" | "w1"                           — read expecting / write a solid row
 *   dwellNs   := a positive number of nanoseconds (e.g. 1e9 for 1 s)
 *
 *   { "schemaVersion": 1, "id": "march-c-minus", "title": "March C−",
 *     "elements": "⇕(w0); ⇑(r0,w1); ⇑(r1,w0); ⇓(r0,w1); ⇓(r1,w0); ⇕(r0)" }
 *
 * Addresses are the rows of a crossbar layer and the word is a whole row (one WRITE or
 * READ per row, PROTOCOL.md), with a solid background (all 0 or all 1). ⇕ is expanded
 * in ascending order. src/atpg/march/march-grammar.ts parses the notation with errors
 * located at the character.
 */
import { z } from "zod";

export const marchTestSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe("stable id, kebab-case; also the file name"),
  title: z.string(),
  elements: z.string().min(1).describe("march elements in the notation of the header, e.g. \"⇕(w0); ⇑(r0,w1); ⇓(r1,w0)\""),
  operationsPerAddress: z.number().int().positive().optional().describe("the algorithm's complexity in operations per address (10 for March C−: 10N); checked against the elements"),
  detects: z.array(z.string()).default([]).describe("fault classes the literature credits it with (informative)"),
  reference: z.string().optional(),
});

export type MarchTestFile = z.output<typeof marchTestSchema>;
