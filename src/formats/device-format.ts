/**
 * Device file format: one MTJ spin-Hall (MTJ-SHE) neuron device — free layer,
 * heavy metal, temperature and the solver step — for the macrospin LLG model in
 * src/sim/device/. Shipped device files live in devices/.
 *
 *   { "schemaVersion": 1, "id": "seed002-she-eb20", "title": "…",
 *     "freeLayer": { "shape": "ellipse", "lengthNm": 100, "widthNm": 40, "thicknessNm": 1.2,
 *                    "saturationMagnetizationKaPerM": 1000, "damping": 0.0122 },
 *     "heavyMetal": { "thicknessNm": 2, "spinHallAngle": 0.3 }, "temperatureK": 300 }
 *
 * Axes: x is the free layer's long (easy) axis and the spin-Hall polarisation; the
 * charge current flows along y, across the free layer's `widthNm`; z is the film normal.
 * This zod schema is the single source of truth: `npm run gen` publishes
 * `schemas/device.schema.json` and `src/formats/generated/device.ts` from it.
 */
import { z } from "zod";

const positive = () => z.number().positive();

/** Extra (induced / crystalline) uniaxial anisotropy along x, on top of the shape anisotropy. */
export const uniaxialAnisotropySchema = z.union([
  z.strictObject({
    fieldKaPerM: z.number().nonnegative().describe("induced anisotropy field H_k,ind along x, kA/m"),
  }),
  z.strictObject({
    energyBarrierKt: positive().describe(
      "total energy barrier (shape + induced) in k_B·T at temperatureK; the induced field is whatever the shape does not supply",
    ),
  }),
]);

export const freeLayerSchema = z.strictObject({
  shape: z.literal("ellipse").describe("elliptic disc (a circle when lengthNm = widthNm); demagnetising factors of an elliptic cylinder"),
  lengthNm: positive().describe("extent along x (easy axis, spin polarisation), nm"),
  widthNm: positive().describe("extent along y (the charge-current direction; W_MTJ of seed 002), nm"),
  thicknessNm: positive().describe("free-layer thickness t_FL, nm"),
  saturationMagnetizationKaPerM: positive().describe("saturation magnetisation M_s, kA/m"),
  damping: positive().max(1).describe("Gilbert damping α"),
  uniaxialAnisotropy: uniaxialAnisotropySchema.optional().describe("absent = shape anisotropy only"),
});

export const heavyMetalSchema = z.strictObject({
  thicknessNm: positive().describe("heavy-metal thickness t_HM, nm"),
  spinHallAngle: positive().describe("spin-Hall angle θ_SH; spin current I_s = θ_SH·(W_MTJ/t_HM)·I_Q"),
  lengthNm: positive().optional().describe("heavy-metal extent along the current (default: the free layer's widthNm), nm"),
  widthNm: positive().optional().describe("heavy-metal extent across the current (default: the free layer's lengthNm), nm"),
  resistivityMicroOhmCm: positive().optional().describe("resistivity ρ_HM, µΩ·cm (write resistance and energy only)"),
});

export const deviceSimulationSchema = z.strictObject({
  timeStepPs: positive().max(1).default(0.5).describe("fixed integration step, ps (at most 1)"),
  settlePs: positive().default(3000).describe("longest relaxation after a write pulse before the state is read, ps"),
  thermalField: z
    .enum(["seed-002", "fluctuation-dissipation"])
    .default("seed-002")
    .describe(
      "seed-002: variance α/(1+α²)·2k_BT/(γμ0M_sVδt) as seed 002 and DOMAIN.md state it (equilibrates at T/(1+α²)); " +
        "fluctuation-dissipation: 2αk_BT/(γμ0M_sVδt), Brown's variance for eq. 2 (equilibrates at T)",
    ),
});

/** Reference numbers from the paper, checked by the tests and reported by the commands. */
export const publishedSchema = z.strictObject({
  energyBarrierKt: positive().optional().describe("published energy barrier E_B, k_B·T"),
  switchingCurrents: z
    .array(
      z.strictObject({
        pulsePs: positive().describe("write pulse width, ps"),
        currentUa: positive().describe("heavy-metal charge current, µA"),
        probability: z.number().min(0).max(1).describe("switching probability at that current"),
      }),
    )
    .default([])
    .describe("published points of the switching-probability curve"),
});

export const deviceFileSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).describe("stable id, kebab-case"),
  title: z.string(),
  source: z.string().optional().describe("where the parameters come from"),
  notes: z.string().optional().describe("assumptions beyond the source"),
  freeLayer: freeLayerSchema,
  heavyMetal: heavyMetalSchema,
  temperatureK: z.number().nonnegative().describe("temperature, K (0 = deterministic)"),
  appliedFieldKaPerM: z
    .tuple([z.number(), z.number(), z.number()])
    .default([0, 0, 0])
    .describe("external field [x, y, z], kA/m"),
  simulation: deviceSimulationSchema.default({ timeStepPs: 0.5, settlePs: 3000, thermalField: "seed-002" }),
  published: publishedSchema.optional(),
});

/** A validated device file as the rest of the code sees it. */
export type DeviceFile = z.output<typeof deviceFileSchema>;
export type FreeLayerSpec = z.output<typeof freeLayerSchema>;
export type HeavyMetalSpec = z.output<typeof heavyMetalSchema>;

import { loadJsonFile } from "./load-json.ts";

/** Read and validate a device file (errors name the file and the JSON path). */
export function loadDeviceFile(file: string): DeviceFile {
  return loadJsonFile(file, deviceFileSchema);
}
