/**
 * Fault model format: one fault model per file in `fault-models/`, as data. It names
 * the physical defect it stands for, the kind of site it sits on, its parameters (with
 * units, default and range) and how it perturbs the simulator (`src/sim/perturbation.ts`:
 * which quantity of the site, which operation, which value; `{name}` refers to a
 * parameter). A new model of an existing site kind and operation is one new file.
 *
 *   { "schemaVersion": 1, "id": "slow-to-integrate", "title": "Slow-to-integrate (SIF)",
 *     "origin": { "seeds": ["000"], "description": "…" }, "siteKind": "neuron",
 *     "parameters": { "gainFactor": { "unit": "1", "default": 0.5, "range": [0.01, 0.99], "description": "…" } },
 *     "perturbation": [{ "quantity": "gainPerUaNs", "op": "scale", "value": "{gainFactor}" }] }
 *
 * Quantities by site kind (checked here, so a wrong one is a located error):
 *   synapse, cell-internal   ohms | conductance | weight   (synapse of a ternary array: dvPerTick;
 *                            synapse of a domain-wall bench: level, in levels 0 … levels − 1)
 *   line-segment             ohms
 *   neuron                   criticalCurrentUa | gainPerUaNs | leakTauNs | threshold | dead | inputOhms
 */
import { z } from "zod";

/** Where a fault model's faults sit (each maps to simulator sites, see src/faults/fault-site-kinds.ts). */
export const faultSiteKindSchema = z
  .enum(["synapse", "neuron", "line-segment", "cell-internal"])
  .describe("synapse = a bit-cell (l0.r2.c3); neuron = l0.n3; line-segment = l0.c3.seg1; cell-internal = l0.r2.c3.series / .read");

/** Simulator quantities each site kind may perturb. */
export const quantitiesBySiteKind = {
  synapse: ["ohms", "conductance", "weight", "level", "dvPerTick"],
  "cell-internal": ["ohms", "conductance", "weight"],
  "line-segment": ["ohms"],
  neuron: ["criticalCurrentUa", "gainPerUaNs", "leakTauNs", "threshold", "dead", "inputOhms"],
} as const satisfies Record<z.output<typeof faultSiteKindSchema>, readonly string[]>;

const paramRef = z
  .string()
  .regex(/^\{[A-Za-z][A-Za-z0-9]*\}$/, "a parameter reference like \"{gainFactor}\"")
  .describe("reference to a parameter of this model: {name}");

export const faultParameterSchema = z.strictObject({
  unit: z.string().describe("unit of the value (\"ohms\", \"1\" for a factor, \"ns\", …)"),
  default: z.number().describe("value used when the user does not override it"),
  range: z
    .tuple([z.number(), z.number().nullable()])
    .describe("[min, max] the value may take (inclusive); max null = unbounded (e.g. an open of infinite resistance)"),
  description: z.string(),
});

export const faultPerturbationSchema = z.strictObject({
  quantity: z.string().describe("simulator quantity of the site (see the table in the header / src/sim/perturbation.ts)"),
  op: z.enum(["set", "scale", "add"]).describe("set = replace, scale = multiply, add = add to the fault-free value"),
  value: z.union([z.number(), paramRef]).describe("a number, or {param}"),
});

export const faultModelSchema = z
  .strictObject({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/).describe("stable id, kebab-case; also the file name"),
    title: z.string(),
    abbreviation: z.string().optional().describe("short name used in the literature (SIF, DSF, …)"),
    origin: z
      .strictObject({
        description: z.string().describe("the physical defect or mechanism this model stands for"),
        seeds: z.array(z.string()).min(1).describe("seed papers it comes from (DOMAIN.md table), e.g. \"000\""),
        reference: z.string().optional().describe("section / table / figure in the seed"),
      })
      .describe("physical origin"),
    siteKind: z
      .union([faultSiteKindSchema, z.array(faultSiteKindSchema).min(1)])
      .describe("kind(s) of site the faults sit on; one fault per site of each kind"),
    parameters: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/), faultParameterSchema).default({}),
    parametric: z
      .string()
      .optional()
      .describe("name of the parameter that is the fault's magnitude: fault ids then end in :<value> (resistive-open@l0.c0.seg0:50000)"),
    perturbation: z
      .array(faultPerturbationSchema)
      .describe("applied in order to the fault's site: the fault's effect on the chip as deployed (mission weights); may be empty only for a storage fault with no effect on them"),
    defaultUse: z
      .enum(["always", "array-tests"])
      .default("always")
      .describe("always: in every default fault list; array-tests: only where a program writes and reads the array (march tests) or when named with --models — its faults are invisible or duplicated on the mission weights"),
    storage: z
      .strictObject({
        stuckAt: z.union([z.literal(0), z.literal(1)]).optional().describe("the cell always holds this bit"),
        failedTransition: z.enum(["up", "down"]).optional().describe("a write 0→1 (up) or 1→0 (down) leaves the cell unchanged"),
        decay: z
          .strictObject({
            from: z.union([z.literal(0), z.literal(1)]),
            to: z.union([z.literal(0), z.literal(1)]),
            deltaKt: z.union([z.number().positive(), paramRef]).describe("thermal stability Δ of the weak cell"),
          })
          .optional()
          .describe("the stored bit relaxes from → to over time (seed 004 eq. 2); flipped once P_sw ≥ ½"),
        stuckWall: z.literal(true).optional().describe("multi-level (domain-wall) cell: the wall cannot move, the cell keeps its mission level whatever is written (seed 001: a pinning site in the free layer)"),
        levelShift: z
          .union([z.number().int(), paramRef])
          .optional()
          .describe("multi-level cell: every write lands this many levels off, clamped to 0 … levels − 1 (a programming current off by k steps, seed 001 §III: displacement ∝ current)"),
      })
      .optional()
      .describe("synapse only: what the cell stores under WRITE and over a pause (src/sim/cell-storage.ts); march tests see it, and a program that rewrites weights uses it instead of the mission-weight perturbation"),
    extent: z
      .enum(["cell", "row", "row-from", "column", "column-above", "column-below"])
      .default("cell")
      .describe(
        "synapse: which cells one fault at (r, c) affects (row 0 at the top, column 0 at the left) — cell; row = every cell of row r; row-from = row r from column c on; " +
          "column = every cell of column c; column-above = column c, rows 0 … r; column-below = column c, rows r … last (Hou et al. ITC 2022: bc, r, ra, c, cb, ca). Other than cell: ternary arrays only",
      ),
    activeWhenWritten: z
      .union([z.literal(-1), z.literal(0), z.literal(1)])
      .optional()
      .describe("synapse of a ternary array: the fault acts on an affected cell only while the last WRITE to it wrote this value (Hou's depend_w); any other write behaves normally"),
    appliesTo: z
      .strictObject({
        weights: z
          .array(z.number().min(-1).max(1))
          .min(1)
          .optional()
          .describe("synapse / cell-internal: only cells whose fault-free weight is one of these (retention flip: [0]); −1 only on a ternary (differential-pair) bench"),
        paths: z.array(z.enum(["series", "read"])).min(1).optional().describe("cell-internal: which in-cell paths (default both)"),
        layers: z.array(z.number().int().nonnegative()).min(1).optional().describe("only these layers (default all)"),
        cells: z
          .enum(["binary", "multi-level"])
          .optional()
          .describe("only benches whose synapses are binary MTJs, or multi-level domain-wall cells (testbench device.domainWall); default both"),
      })
      .default({})
      .describe("site filters"),
    occurrence: z
      .strictObject({
        formula: z.string().describe("probability of the fault, as text"),
        constants: z.record(z.string(), z.number()).default({}).describe("constants of the formula, units in the name"),
      })
      .optional()
      .describe("how likely the fault is (informative; used by characterisation commands)"),
    notes: z.string().optional(),
  })
  .superRefine((m, ctx) => {
    const kinds = Array.isArray(m.siteKind) ? m.siteKind : [m.siteKind];
    if (m.perturbation.length === 0 && !m.storage) {
      ctx.addIssue({ code: "custom", path: ["perturbation"], message: "at least one perturbation (or a storage behaviour)" });
    }
    if (m.storage && !(kinds.length === 1 && kinds[0] === "synapse")) {
      ctx.addIssue({ code: "custom", path: ["storage"], message: "a storage behaviour only with siteKind synapse" });
    }
    const ls = m.storage?.levelShift;
    if (typeof ls === "string" && !(ls.slice(1, -1) in m.parameters)) {
      ctx.addIssue({ code: "custom", path: ["storage", "levelShift"], message: "a parameter defined in \"parameters\"" });
    }
    const dk = m.storage?.decay?.deltaKt;
    if (typeof dk === "string" && !(dk.slice(1, -1) in m.parameters)) {
      ctx.addIssue({ code: "custom", path: ["storage", "decay", "deltaKt"], message: "a parameter defined in \"parameters\"" });
    }
    m.perturbation.forEach((p, i) => {
      for (const k of kinds) {
        const allowed: readonly string[] = quantitiesBySiteKind[k];
        if (!allowed.includes(p.quantity)) {
          ctx.addIssue({
            code: "custom",
            path: ["perturbation", i, "quantity"],
            message: `a quantity a ${k} site has (${allowed.join(", ")})`,
          });
        }
      }
      if (typeof p.value === "string" && !(p.value.slice(1, -1) in m.parameters)) {
        ctx.addIssue({
          code: "custom",
          path: ["perturbation", i, "value"],
          message: `a parameter defined in "parameters" (${Object.keys(m.parameters).join(", ") || "none defined"})`,
        });
      }
    });
    for (const [name, p] of Object.entries(m.parameters)) {
      const [lo, hi] = p.range;
      if (p.default < lo || (hi !== null && p.default > hi)) {
        ctx.addIssue({ code: "custom", path: ["parameters", name, "default"], message: `a default inside range [${lo}, ${hi ?? "∞"}]` });
      }
    }
    if (m.parametric !== undefined && !(m.parametric in m.parameters)) {
      ctx.addIssue({ code: "custom", path: ["parametric"], message: "the name of one of the parameters" });
    }
    if (isTernaryArrayModel(m) && !(kinds.length === 1 && kinds[0] === "synapse")) {
      ctx.addIssue({ code: "custom", path: ["siteKind"], message: "synapse: an extent other than cell, activeWhenWritten and dvPerTick describe ternary-array synapses" });
    }
    if (m.appliesTo.paths && !kinds.includes("cell-internal")) {
      ctx.addIssue({ code: "custom", path: ["appliesTo", "paths"], message: "paths only with siteKind cell-internal" });
    }
    if (m.appliesTo.weights && !kinds.some((k) => k === "synapse" || k === "cell-internal")) {
      ctx.addIssue({ code: "custom", path: ["appliesTo", "weights"], message: "weights only with siteKind synapse or cell-internal" });
    }
  });

export type FaultModel = z.output<typeof faultModelSchema>;
export type FaultSiteKind = z.output<typeof faultSiteKindSchema>;
export type FaultParameter = z.output<typeof faultParameterSchema>;
export type FaultPerturbationTemplate = z.output<typeof faultPerturbationSchema>;
export type FaultExtent = FaultModel["extent"];

/** Whether a model uses what only a ternary (potential-level) array has: a multi-cell extent, a written-value condition, dvPerTick. */
export function isTernaryArrayModel(m: FaultModel): boolean {
  return m.extent !== "cell" || m.activeWhenWritten !== undefined || m.perturbation.some((p) => p.quantity === "dvPerTick");
}
