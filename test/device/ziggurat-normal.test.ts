/** The ziggurat Gaussian behind the thermal field: moments and tails of N(0, 1). */
import { describe, expect, it } from "vitest";
import { zigguratNormal } from "../../src/sim/device/ziggurat-normal.ts";
import { createRng } from "../../src/sim/rng.ts";

describe("zigguratNormal", () => {
  it("has the moments and tail mass of a standard normal", () => {
    const rng = createRng(2024);
    const n = 400_000;
    let s1 = 0;
    let s2 = 0;
    let s4 = 0;
    let beyond3 = 0;
    let beyondR = 0;
    for (let i = 0; i < n; i++) {
      const z = zigguratNormal(rng);
      s1 += z;
      s2 += z * z;
      s4 += z ** 4;
      if (Math.abs(z) > 3) beyond3++;
      if (Math.abs(z) > 3.442619855899) beyondR++; // the ziggurat's tail sampler
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.006);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.01);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.06);
    expect(beyond3 / n).toBeGreaterThan(0.0027 * 0.85);
    expect(beyond3 / n).toBeLessThan(0.0027 * 1.15);
    expect(beyondR).toBeGreaterThan(0); // the tail branch runs
    expect(beyondR / n).toBeLessThan(0.0006 * 1.5);
  });

  it("is reproducible for a seed", () => {
    const a = createRng(9);
    const b = createRng(9);
    for (let i = 0; i < 1000; i++) expect(zigguratNormal(a)).toBe(zigguratNormal(b));
  });
});
