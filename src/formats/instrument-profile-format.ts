/**
 * Instrument profile format (placeholder schema; the bench issue defines it fully).
 */
import { z } from "zod";

export const instrumentProfileSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  id: z.string(),
  title: z.string(),
});

export type InstrumentProfile = z.output<typeof instrumentProfileSchema>;
