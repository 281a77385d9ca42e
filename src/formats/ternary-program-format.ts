/**
 * Ternary-array test program format: the tests of Hou et al. (ITC 2022) as data — write
 * a value to the whole array, set the neuron's threshold and polarity, spike each row
 * alone and judge every output by a window criterion of the registry.
 *
 *   { "schemaVersion": 1, "kind": "ternary-array-program", "testbench": { "id": "hou-itc22-n8" },
 *     "steps": [
 *       { "op": "neuron", "id": "SWP0", "phase": "neuron", "thresholdPotential": 500, "polarity": "up" },
 *       { "op": "write-all", "id": "W1", "value": 1 },
 *       { "op": "spike-rows", "id": "S5-41", "windows": 41,
 *         "criterion": { "kind": "first-spike-window", "firstWindow": 4, "lastWindow": 40 } } ] }
 *
 * Hou's commands: `W d` → write-all d; `VTH v` / `SWP p` → neuron (p 0 = up, 1 = down);
 * `S a b` → spike-rows b windows, first-spike-window [a − 1, b − 1]; `SZ n` → spike-rows n
 * windows, no-spike n. A spike-rows step applies one vector per row (that row alone
 * spiking every window), so it costs rows × windows ticks: Hou's algorithm is 90·N.
 */
import { z } from "zod";
import { passCriterionSchema } from "./program-format.ts";
import { testPhaseSchema } from "./program-format.ts";

const stepId = z.string().min(1).describe("unique id of the step (an ablation drops steps by id)");

export const ternaryStepSchema = z.discriminatedUnion("op", [
  z.strictObject({
    op: z.literal("write-all"),
    id: stepId,
    phase: testPhaseSchema.optional(),
    value: z.union([z.literal(-1), z.literal(0), z.literal(1)]).describe("the value written to every synapse (Hou's W d)"),
  }),
  z.strictObject({
    op: z.literal("neuron"),
    id: stepId,
    phase: testPhaseSchema.optional(),
    thresholdPotential: z.number().describe("V_th, in the bench's potential units (Hou's VTH); must lie beyond V_R in the polarity's direction"),
    polarity: z.enum(["up", "down"]).describe("up = fire when v ≥ V_th (Hou's SWP 0); down = fire when v ≤ V_th (SWP 1)"),
  }),
  z.strictObject({
    op: z.literal("spike-rows"),
    id: stepId,
    phase: testPhaseSchema.optional(),
    windows: z.number().int().positive().describe("windows (ticks) each row spikes for, alone"),
    criterion: passCriterionSchema
      .refine((c) => c.kind === "first-spike-window" || c.kind === "no-spike", { message: "a window criterion: first-spike-window or no-spike" })
      .describe("how every output's response to each row is judged"),
  }),
]);

export const ternaryProgramSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  kind: z.literal("ternary-array-program"),
  testbench: z.strictObject({ id: z.string().describe("the ternary-array bench it was written for (any size: steps are per row)") }),
  source: z.string().optional().describe("where the algorithm comes from"),
  steps: z.array(ternaryStepSchema).min(1),
}).superRefine((p, ctx) => {
  const seen = new Set<string>();
  p.steps.forEach((s, i) => {
    if (seen.has(s.id)) ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `a unique step id ("${s.id}" is used twice)` });
    seen.add(s.id);
    if (s.op !== "spike-rows") return;
    const c = s.criterion;
    const last = c.kind === "first-spike-window" ? c.lastWindow + 1 : c.kind === "no-spike" ? c.windows : 0;
    if (last > s.windows) ctx.addIssue({ code: "custom", path: ["steps", i, "windows"], message: `at least ${last}: the criterion judges windows the step does not apply` });
  });
});

export type TernaryProgram = z.output<typeof ternaryProgramSchema>;
export type TernaryStep = z.output<typeof ternaryStepSchema>;
export type SpikeRowsStep = Extract<TernaryStep, { op: "spike-rows" }>;
