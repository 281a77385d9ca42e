/**
 * Demagnetising factors against known limits, the shipped device files, the derived
 * energy barrier against the published E_B, and located errors for bad device files.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deviceFileSchema, loadDeviceFile } from "../../src/formats/device-format.ts";
import { InputError } from "../../src/formats/errors.ts";
import { FormatError } from "../../src/formats/format-error.ts";
import { generatedFiles } from "../../src/formats/generate-schemas.ts";
import { validateData } from "../../src/formats/load-json.ts";
import { ellipticDiscDemagFactors } from "../../src/sim/device/demagnetisation.ts";
import { deriveDeviceConstants } from "../../src/sim/device/device-constants.ts";

describe("demagnetising factors of an elliptic cylinder", () => {
  it("give N_zz = 0.3116 for a cylinder as tall as it is wide (Chen, Brug & Goldfarb 1991)", () => {
    const n = ellipticDiscDemagFactors(2, 2, 2);
    expect(n.nz).toBeCloseTo(0.3116, 3);
    expect(n.nx).toBeCloseTo(n.ny, 12);
  });

  it("tend to the infinite elliptic cylinder, N_xx = b/(a+b), N_yy = a/(a+b), for a long body", () => {
    const n = ellipticDiscDemagFactors(4, 2, 2e4);
    expect(n.nx).toBeCloseTo(1 / 3, 3);
    expect(n.ny).toBeCloseTo(2 / 3, 3);
  });

  it("give the seed 002 shape anisotropy: N_y > N_x, both growing with thickness", () => {
    const [a, b, c] = [0.8, 1.2, 1.5].map((t) => ellipticDiscDemagFactors(100, 40, t));
    for (const n of [a, b, c]) {
      expect(n.ny).toBeGreaterThan(n.nx);
      expect(n.nx + n.ny + n.nz).toBeCloseTo(1, 12);
    }
    expect(b.ny - b.nx).toBeGreaterThan(a.ny - a.nx);
    expect(c.ny - c.nx).toBeGreaterThan(b.ny - b.nx);
  });
});

describe("shipped device files", () => {
  const files = readdirSync("devices").filter((f) => f.endsWith(".json"));

  it("all validate and derive", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const d = loadDeviceFile(`devices/${f}`);
      expect(d.id).toBe(f.replace(/\.json$/, ""));
      expect(deriveDeviceConstants(d).energyBarrierKt).toBeGreaterThan(0);
    }
  });

  it("reproduce the published seed 002 energy barriers 10/20/30 k_BT from shape anisotropy alone (within 10 %)", () => {
    for (const eb of [10, 20, 30]) {
      const d = loadDeviceFile(`devices/seed002-she-eb${eb}.json`);
      expect(d.freeLayer.uniaxialAnisotropy).toBeUndefined(); // derived, not set
      expect(d.published?.energyBarrierKt).toBe(eb);
      const c = deriveDeviceConstants(d);
      expect(Math.abs(c.energyBarrierKt / eb - 1)).toBeLessThan(0.1);
    }
  });

  it("derive the seed 002 spin current I_s = θ_SH·(W_MTJ/t_HM)·I_Q and a write resistance consistent with ~1 fJ at 71 µA for 0.5 ns", () => {
    const c = deriveDeviceConstants(loadDeviceFile("devices/seed002-she-eb20.json"));
    expect(c.spinCurrentRatio).toBeCloseTo((0.3 * 40) / 2, 12);
    const energyFj = (71e-6) ** 2 * (c.heavyMetalOhms ?? 0) * 0.5e-9 * 1e15;
    expect(energyFj).toBeGreaterThan(0.8);
    expect(energyFj).toBeLessThan(1.2);
  });

  it("publish an up-to-date JSON Schema (schemas/device.schema.json)", async () => {
    const files = await generatedFiles();
    expect(readFileSync("schemas/device.schema.json", "utf8")).toBe(files.get("schemas/device.schema.json"));
    expect(readFileSync("src/formats/generated/device.ts", "utf8")).toBe(files.get("src/formats/generated/device.ts"));
  });
});

describe("bad device files", () => {
  const good = JSON.parse(readFileSync("devices/seed002-she-eb20.json", "utf8"));

  it("name the file and JSON path of a wrong value", () => {
    const bad = structuredClone(good);
    bad.freeLayer.damping = "0.01";
    expect(() => validateData(deviceFileSchema, bad, "x.json")).toThrow(/x\.json: at freeLayer\.damping/);
  });

  it("refuse a time step above 1 ps", () => {
    const bad = structuredClone(good);
    bad.simulation.timeStepPs = 2;
    expect(() => validateData(deviceFileSchema, bad, "x.json")).toThrow(/simulation\.timeStepPs/);
  });

  it("refuse a circular free layer without an induced anisotropy, with a hint", () => {
    const d = validateData(deviceFileSchema, { ...structuredClone(good), freeLayer: { ...good.freeLayer, lengthNm: 45, widthNm: 45 } }, "round.json");
    let err: unknown;
    try {
      deriveDeviceConstants(d, "round.json");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/round\.json: at freeLayer: .*no shape anisotropy/);
  });
});
