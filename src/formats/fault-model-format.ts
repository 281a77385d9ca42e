/**
 * Fault model format (placeholder schema; the fault-model issue defines it fully).
 */
import { z } from "zod";

export const faultModelSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  id: z.string(),
  title: z.string(),
});

export type FaultModel = z.output<typeof faultModelSchema>;
