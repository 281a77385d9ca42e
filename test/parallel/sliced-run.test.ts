/**
 * How a sliced run cuts its units: contiguous slice bounds, and the round-robin deal that
 * spreads units of uneven cost (criticality: faults listed model by model) over the slices.
 * Expected values are worked by hand.
 */
import { describe, expect, it } from "vitest";
import { dealtOrder, sliceBounds } from "../../src/parallel/sliced-run.ts";

describe("sliced runs", () => {
  it("cuts 10 units for 2 threads into 8 near-equal contiguous slices", () => {
    expect(sliceBounds(10, 2)).toEqual([0, 1, 3, 4, 5, 6, 8, 9, 10]);
    expect(sliceBounds(3, 2)).toEqual([0, 1, 2, 3]); // never more slices than units
  });

  it("deals 7 units over slices of 3, 2, 2: 0 3 6 | 1 4 | 2 5, and slices of 1, 3, 3: 0 | 1 3 5 | 2 4 6, a permutation", () => {
    expect(dealtOrder([0, 3, 5, 7])).toEqual([0, 3, 6, 1, 4, 2, 5]);
    expect(dealtOrder([0, 1, 4, 7])).toEqual([0, 1, 3, 5, 2, 4, 6]);
    const order = dealtOrder(sliceBounds(230, 2));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 230 }, (_, i) => i));
  });

  it("a run of costly units (the last 40 of 230) spreads over the 8 slices of 2 threads once dealt: 5 ± 1 each", () => {
    const costly = (i: number) => i >= 190; // output-layer faults score every digit
    const bounds = sliceBounds(230, 2);
    const order = dealtOrder(bounds);
    const slices = bounds.slice(0, -1).map((s, k) => order.slice(s, bounds[k + 1]));
    // a run of 40 over 8 slices: 40 / 8 = 5 each, one more or less where a full slice is skipped
    for (const sl of slices) {
      expect(sl.filter(costly).length).toBeGreaterThanOrEqual(4);
      expect(sl.filter(costly).length).toBeLessThanOrEqual(6);
    }
    // without the deal the last slices hold them all: 29 + 11
    expect(bounds.slice(0, -1).map((s, k) => Array.from({ length: bounds[k + 1] - s }, (_, j) => s + j).filter(costly).length)).toEqual([0, 0, 0, 0, 0, 0, 11, 29]);
  });
});
