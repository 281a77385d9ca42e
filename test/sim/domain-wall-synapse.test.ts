/**
 * The multi-level domain-wall synapse (seed 001 eq. 6, 16 levels and a max/min ratio of
 * 20 per seed 002): conductances of levels derived by hand from
 * G = G_P·x/L + G_AP·(1 − x/L) + G_DW with G_P = 4.95 µS, G_AP = 0.2 µS, G_DW = 0.05 µS.
 */
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, levelCount, levelOfWeight, mtjOhms, weightOfLevel } from "../../src/sim/compile.ts";

const tb = loadTestbench("testbenches/seed001-dw-4x2.json").bench;
const d = tb.device;

describe("domain-wall synapse levels (seed 001 eq. 6)", () => {
  it("has 16 levels, x/L = ℓ/15", () => {
    expect(levelCount(d)).toBe(16);
    expect(weightOfLevel(d, 5)).toBeCloseTo(1 / 3, 15);
    expect(levelOfWeight(d, 0.2)).toBe(3);
    expect(levelOfWeight(d, 1.2)).toBe(15);
  });

  it("level 0 conducts G_AP + G_DW = 0.25 µS (4 MΩ)", () => {
    expect(mtjOhms(d, weightOfLevel(d, 0))).toBeCloseTo(4e6, 3);
  });

  it("level 15 conducts G_P + G_DW = 5 µS (200 kΩ): max/min = 20 with the wall", () => {
    expect(mtjOhms(d, weightOfLevel(d, 15))).toBeCloseTo(2e5, 4);
    expect(mtjOhms(d, 0) / mtjOhms(d, 1)).toBeCloseTo(20, 10);
  });

  it("level 5 conducts 4.95·5/15 + 0.2·10/15 + 0.05 = 1.8333 µS (545.45 kΩ)", () => {
    expect(mtjOhms(d, weightOfLevel(d, 5))).toBeCloseTo(1 / 1.8333333333333333e-6, 3);
  });

  it("the crossbar uses the same rule: cell (1, 0) at weight 0.2 (level 3) is 1/1.2 µS", () => {
    const net = compileNetwork(tb);
    // column-major: cell (r = 1, c = 0) is index 1; G = 4.95·0.2 + 0.2·0.8 + 0.05 = 1.2 µS, access 0 Ω
    expect(net.layers[0].cellOhms[1]).toBeCloseTo(1 / 1.2e-6, 3);
  });

  it("a binary device has no wall term: weight 1 is R_L, 0 is R_H", () => {
    const binary = { ...d, domainWall: undefined };
    expect(mtjOhms(binary, 1)).toBeCloseTo(d.rLowOhms, 6);
    expect(mtjOhms(binary, 0)).toBeCloseTo(5e6, 3);
    expect(levelCount(binary)).toBe(2);
  });
});
