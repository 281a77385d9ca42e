/**
 * One spike as a tester sees it: which observable output fired, in which coding
 * window, and when. A program's expected response, a datalog's observed response and
 * the fault simulator's responses are all lists of this one type.
 *
 *   { output: 0, window: 2, timePs: 20518 }   // output 0 fired 518 ps into window 2 (10 ns windows)
 */
import { z } from "zod";

export const spikeSchema = z.strictObject({
  output: z.number().int().nonnegative().describe("observable output number (PROTOCOL.md numbering)"),
  window: z.number().int().nonnegative().describe("coding window index the spike falls in, from 0"),
  timePs: z.number().int().nonnegative().describe("spike time from the start of the vector, ps"),
});

export type Spike = z.output<typeof spikeSchema>;
