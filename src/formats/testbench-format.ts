/**
 * Testbench format: one chip under test — crossbar layers, device electrics, neuron
 * model, window timing, input coding and which neurons reach the pins.
 *
 *   { "schemaVersion": 1, "id": "black-pixel-4x1", "layers": [{ "rows": 4, "cols": 1,
 *     "weights": { "generator": "constant", "value": 1 } }], "device": {...}, ... }
 *
 * This zod schema is the single source of truth: `npm run gen` publishes
 * `schemas/testbench.schema.json` and `src/formats/generated/testbench.ts` from it.
 */
import { z } from "zod";
import { limitMax, limits } from "./limits.ts";

const positive = () => z.number().positive();

/** Crossbar and bit-cell electrics (seed 000 table I, seed 003 table II, seed 004 table I). */
export const deviceSchema = z
  .strictObject({
    rLowOhms: positive().describe("MTJ resistance in the parallel state P (weight 1), ohms"),
    rHighOhms: positive().optional().describe("MTJ resistance in the anti-parallel state AP (weight 0), ohms"),
    tmrPercent: positive().optional().describe("TMR in percent; R_H = R_L·(1 + TMR/100). Used when rHighOhms is absent"),
    accessOhms: z.number().nonnegative().describe("on-resistance of the access transistor(s) in series with each MTJ, ohms"),
    segmentOhms: z.number().nonnegative().describe("resistance of one column line segment between adjacent bit-cells, ohms"),
    neuronInputOhms: positive().describe("resistance from the column bottom through the neuron heavy metal to ground, ohms"),
    writeVoltageV: positive().describe("voltage that drives an active row during the integrate window, volts"),
    readVoltageV: positive().optional().describe("voltage used to sense weights (WRITE/READ march tests), volts"),
    deltaKt: positive().optional().describe("thermal stability factor Δ = E_B/k_BT of the synapse MTJs (retention)"),
    readScheme: z
      .union([
        z.strictObject({ kind: z.literal("midpoint-reference") }),
        z.strictObject({
          kind: z.literal("self-reference"),
          knownBit: z.union([z.literal(0), z.literal(1)]).default(1).describe("state written between the two reads (1 = P, the low-resistance state of Jeong et al. 2003)"),
        }),
      ])
      .optional()
      .describe(
        "how the sense amplifier decides a READ (src/sim/read-sense.ts): midpoint-reference compares the cell's current with a fixed reference cell midway between P and AP; " +
          "self-reference (Jeong et al., IEEE JSSC 38(11), 2003) reads, writes the known state, reads again, compares the two currents and writes the sensed bit back. Absent = midpoint-reference",
      ),
    referenceColumn: z
      .strictObject({
        weight: z.number().min(0).max(1).describe("weight of every reference cell in [0, 1] (0.5 = conductance midway between AP and P)"),
      })
      .optional()
      .describe(
        "differential read: a reference column of identical cells at this weight, driven by the same rows, with the same segment and neuron-input resistances, " +
          "whose current is subtracted from every column of every layer (the neuron sees I_col − I_ref); absent = single-ended read",
      ),
    domainWall: z
      .strictObject({
        levels: z.number().int().min(2).max(256).describe("number of programmable wall positions (seed 002: 4-bit synapses, 16 levels); level ℓ puts the wall at x/L = ℓ/(levels − 1), weight ℓ/(levels − 1)"),
        wallOhms: positive().describe("R_DW = 1/G_DW, the resistance of the wall region alone (seed 001 eq. 6: the wall's perpendicular MTJ in parallel with the P and AP parts), ohms"),
      })
      .optional()
      .describe(
        "multi-level domain-wall synapse (seed 001 §III, eq. 6): G = G_P·x/L + G_AP·(1 − x/L) + G_DW with G_P = 1/rLowOhms, G_AP = 1/rHighOhms; " +
          "weights are levels ℓ/(levels − 1) and WRITE / READ may carry levels (src/sim/compile.ts `mtjOhms`, `levelOfWeight`). Absent = a binary MTJ cell (no wall term)",
      ),
    variability: z
      .strictObject({
        thicknessSigma: z.number().nonnegative().default(0.01).describe("relative σ of free-layer and oxide thickness (seed 003: 1 %)"),
        tmrSigma: z.number().nonnegative().default(0.03).describe("relative σ of TMR (seed 003: 3 %)"),
        areaSigma: z.number().nonnegative().default(0.05).describe("relative σ of MTJ cross-section area (seed 003: 5 %)"),
        neuronSigma: z.number().nonnegative().default(0).describe("relative σ of the neuron critical current and gain"),
      })
      .optional()
      .describe("process variation; absent = no variation (guard bands use seed 003 defaults)"),
  })
  .refine((d) => d.rHighOhms !== undefined || d.tmrPercent !== undefined, {
    message: "either rHighOhms or tmrPercent",
  });

/** Behavioural MTJ spin-Hall neuron (leaky integrate-and-fire with a critical current). */
export const neuronSchema = z.strictObject({
  model: z
    .enum(["lif-she", "stochastic-lif-she", "integrate-and-fire", "macrospin-she"])
    .describe("neuron model id (see src/sim/neuron/); integrate-and-fire = leak-free, signed drive, exact sum (Hou et al. ITC 2022), with leakTauNs null"),
  criticalCurrentUa: z.number().nonnegative().describe("heavy-metal current below which a write pulse does not move the free layer, µA"),
  gainPerUaNs: positive().describe("rate of state gain per µA above the critical current, 1/(µA·ns); threshold is 1"),
  leakTauNs: positive()
    .nullable()
    .describe("relaxation time constant of the free layer, ns (leak in both windows); null = no leak, only with model integrate-and-fire"),
  threshold: positive().default(1).describe("state at which the free layer switches (fires)"),
  sigmoidWidth: z.number().positive().optional().describe("stochastic model: width of the switching-probability sigmoid in state units"),
  seed: z.number().int().nonnegative().optional().describe("stochastic model: RNG seed"),
  restLevel: z.number().nonnegative().optional().describe("macrospin-she: thermal rest level of the state, k_BT/E_B"),
  switchDelayNs: z.number().nonnegative().optional().describe("macrospin-she: time from the committed switch (saddle) to the read seeing it, ns"),
  adaptation: z
    .strictObject({
      kind: z.enum(["leak", "threshold"]).describe("leak: τ_leak/(1 + a), seed 001 eq. 5; threshold: θ·(1 + a), the adaptive threshold of Diehl & Cook 2015 (seed 001 ref. [17])"),
      increment: positive().describe("Δa, the jump of the adaptation variable a at each spike of the neuron"),
      tauAdaptNs: positive().describe("τ_adapt, the decay time constant of a between spikes, ns"),
    })
    .optional()
    .describe("spike-frequency adaptation (seed 001 §II.3, src/sim/adaptation.ts): a grows by Δa per spike and decays with τ_adapt; absent = none"),
});

/** Weights of one crossbar layer: explicit matrix or a deterministic generator. */
export const weightsSchema = z.union([
  z
    .array(z.array(z.number().min(-1).max(1)))
    .describe("explicit rows × cols matrix; 0 = R_H, 1 = R_L, between = multi-level; −1 … 1 (ternary −1/0/+1) only on a bench with a `ternaryArray` (differential-pair cells)"),
  z.strictObject({
    generator: z.literal("random"),
    density: z.number().min(0).max(1).describe("probability that a cell is weight 1 (R_L)"),
    seed: z.number().int().nonnegative(),
  }),
  z.strictObject({
    generator: z.literal("constant"),
    value: z.number().min(-1).max(1).describe("0 … 1; −1 … 1 only on a bench with a `ternaryArray`"),
  }),
  z.strictObject({
    generator: z.literal("file"),
    file: z.string().min(1).describe("bit-packed weight file (src/formats/weight-file.ts), path relative to the testbench"),
    sha256: z.string().regex(/^[0-9a-fA-F]{64}$/).describe("sha256 of the weight file's bytes; a mismatch is a located error"),
    layer: z.number().int().nonnegative().describe("which layer of the file holds this layer's rows × cols cells"),
  }),
]);

/** Device parameters of a group of columns of one layer (a mixed-retention array, seed 004 fig. 13). */
export const regionSchema = z.strictObject({
  columns: z.array(z.number().int().nonnegative()).min(1).describe("column indices of the region"),
  deltaKt: positive().optional().describe("thermal stability factor Δ of the region's MTJs (retention)"),
  rLowOhms: positive().optional().describe("R_L of the region's MTJs, ohms (default: device)"),
  rHighOhms: positive().optional().describe("R_H of the region's MTJs, ohms (default: device)"),
  accessOhms: z.number().nonnegative().optional().describe("access resistance of the region's cells, ohms (default: device)"),
  note: z.string().optional(),
});

/** Lateral inhibition among a layer's neurons (src/sim/inhibition.ts; seed 002, seed 001 §IV). */
export const inhibitionSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("common"),
    tauInhNs: positive().describe("τ_inh: how long a spike of any neuron of the layer stops every neuron of the layer from spiking, ns (seed 002 table II: 50 steps × 0.5 ns = 25)"),
  }).describe("one inhibitory signal shared by the layer (seed 002 fig. 5): an inhibited neuron gets no write current, so it leaks and cannot switch"),
]);

export const layerSchema = z.strictObject({
  rows: z.number().int().positive().max(...limitMax("layerRows")).describe("inputs (pre-synaptic rows)"),
  cols: z.number().int().positive().max(...limitMax("layerCols")).describe("output neurons (columns)"),
  weights: weightsSchema,
  neuron: neuronSchema.partial().optional().describe("per-layer override of the neuron parameters"),
  regions: z
    .array(regionSchema)
    .optional()
    .describe("device parameters per column group; columns in no region use `device` (and `device.deltaKt`)"),
  inhibition: inhibitionSchema.optional().describe("lateral inhibition among this layer's neurons; absent = none (each neuron independent)"),
});

export const timingSchema = z.strictObject({
  iwPs: z.number().int().positive().describe("integrate window, ps (seed 000: 1000)"),
  lwPs: z.number().int().positive().describe("leaky window, ps (seed 000: 9000)"),
  iwRangePs: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional().describe("[min, max] IW a test may use, ps"),
  lwRangePs: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional().describe("[min, max] LW a test may use, ps"),
  tickPs: z.number().int().positive().default(10).describe("timing resolution of the tester, ps"),
});

export const codingSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("binary") }).describe("a pixel spikes at its window start or not at all"),
  z.strictObject({
    kind: z.literal("temporal"),
    tMaxPs: z.number().int().positive().default(10000),
    iMax: positive().default(2),
  }).describe("single-spike temporal coding, seed 000 eq. 1: t = ceil((Imax − I)/Imax · tmax)"),
  z.strictObject({
    kind: z.literal("rate"),
    maxProbability: z.number().min(0).max(1).default(0.064),
    seed: z.number().int().nonnegative().default(1),
  }).describe("Poisson rate coding (seeds 001, 002): per-window spike probability ∝ intensity"),
]);

/** A uniform band [min, max] of per-tick potential change. */
const dvBand = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo <= hi, { message: "a band [min, max] with min ≤ max" });

/**
 * A ternary synapse array simulated at the potential level (Hou et al., ITC 2022): each
 * synapse is a differential pair of 1T1R cells, so a weight is −1, 0 or +1 and the
 * neuron integrates the signed difference of the pair's currents as a change of its
 * potential per tick. Each WRITE of w draws the synapse's dV uniformly from the band of
 * w (good-chip variation); src/sim/ternary-array.ts simulates it.
 */
export const ternaryArraySchema = z.strictObject({
  cell: z
    .literal("differential-pair")
    .describe("a synapse is a pair of 1T1R cells (G+, G−) on two columns; the neuron sees G+ − G−, so weights −1 / 0 / +1 (Hou: array columns = 2 × neurons)"),
  restingPotential: z.number().describe("V_R: the neuron potential at the start of a vector and after each spike (Hou: 400)"),
  dvBands: z
    .strictObject({
      plus: dvBand.describe("dV per tick of a synapse written +1 (Hou: [2.45, 24.57])"),
      zero: dvBand.describe("dV per tick of a synapse written 0 (Hou: [−6.1, 8.2])"),
      minus: dvBand.describe("dV per tick of a synapse written −1 (Hou: [−18.11, −4.83])"),
    })
    .describe("good-chip variation: each WRITE draws the synapse's dV uniformly from the band of the written value (Hou's DV_MIN_* / DV_MAX_*)"),
  seed: z.number().int().nonnegative().default(1).describe("seed of the per-write draws (a chip is (seed, write, row, column) → dV)"),
});

export const testbenchSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).describe("stable id, kebab-case"),
  title: z.string(),
  source: z.string().optional().describe("where the circuit and its numbers come from"),
  notes: z.string().optional(),
  device: deviceSchema,
  neuron: neuronSchema,
  timing: timingSchema,
  coding: codingSchema.default({ kind: "binary" }),
  layers: z
    .array(layerSchema)
    .min(1)
    .superRefine((layers, ctx) => {
      // checked before any layer is compiled (a Float64Array per cell array)
      const cells = layers.reduce((n, l) => n + l.rows * l.cols, 0);
      if (cells > limits.benchCells.max) ctx.addIssue({ code: "too_big", origin: "number", maximum: limits.benchCells.max, inclusive: true, input: cells, message: "limit:benchCells" });
    })
    .describe(`the crossbar layers, input first; ${limits.benchCells.what}: at most ${limits.benchCells.max}`),
  observe: z.enum(["outputs", "all"]).default("outputs").describe("outputs = last layer at the pins; all = debug access to every layer"),
  readout: z.enum(["most-spikes", "first-spike"]).optional().describe("how the chip's class is read from its outputs: most-spikes (default) or first-spike (functional-phase class decisions)"),
  siteAliases: z.record(z.string(), z.string()).default({}).describe("friendly names for site ids, e.g. rop1 → l0.c0.seg0"),
  ternaryArray: ternaryArraySchema
    .optional()
    .describe("a ternary differential-pair array simulated at the potential level (Hou et al. ITC 2022); its weights may be −1 … 1; the crossbar electrics (`device`) do not apply"),
}).superRefine((tb, ctx) => {
  if (tb.ternaryArray) return;
  tb.layers.forEach((l, li) => {
    const w = l.weights;
    const negative = Array.isArray(w) ? w.some((row) => row.some((x) => x < 0)) : w.generator === "constant" && w.value < 0;
    if (negative) ctx.addIssue({ code: "custom", path: ["layers", li, "weights"], message: "weights in [0, 1]: a negative weight needs signed cells (add a `ternaryArray` block: differential-pair synapses)" });
  });
});

/** A validated testbench as the rest of the code sees it. */
export type Testbench = z.output<typeof testbenchSchema>;
export type DeviceParams = z.output<typeof deviceSchema>;
export type NeuronSpec = z.output<typeof neuronSchema>;
export type LayerSpec = z.output<typeof layerSchema>;
export type TimingSpec = z.output<typeof timingSchema>;
export type CodingSpec = z.output<typeof codingSchema>;
export type RegionSpec = z.output<typeof regionSchema>;
export type InhibitionSpec = z.output<typeof inhibitionSchema>;
export type TernaryArraySpec = z.output<typeof ternaryArraySchema>;
