/**
 * Wilson score bounds, hand-computed. With k = 0 the upper bound simplifies to
 * (z²/n)/(1 + z²/n) = z²/(n + z²).
 */
import { describe, expect, it } from "vitest";
import { wilsonInterval, wilsonUpper, Z95, Z_ONE_SIDED_90 } from "../../src/stats/binomial-confidence.ts";

describe("Wilson score bounds", () => {
  it("37 of 100 at 95 %: centre 0.389207, half-width 0.096559, over 1.038415", () => {
    const ci = wilsonInterval(37, 100);
    expect(ci.low).toBeCloseTo(0.28182, 4);
    expect(ci.high).toBeCloseTo(0.4678, 4);
    expect(wilsonUpper(37, 100, Z95)).toBe(ci.high);
  });

  it("0 of 20, one-sided 90 %: z²/(n + z²) = 1.642499/21.642499", () => {
    expect(wilsonUpper(0, 20, Z_ONE_SIDED_90)).toBeCloseTo(1.64249856 / 21.64249856, 12);
  });

  it("no trials: the whole range", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
