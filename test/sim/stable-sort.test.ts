/**
 * stableSort (insertion sort for short lists) gives Array.prototype.sort's order — both
 * stable, so equal keys keep their input order — on lists of every length from 0 to 40
 * (across the insertion-sort limit) with many ties, and sorts in place.
 */
import { describe, expect, it } from "vitest";
import { INSERTION_SORT_MAX, stableSort } from "../../src/sim/stable-sort.ts";
import { createRng } from "../../src/sim/rng.ts";

type X = { key: number; at: number };
const byKey = (a: X, b: X) => a.key - b.key;

describe("stableSort", () => {
  it("keeps equal keys in input order (hand example)", () => {
    const list = [{ key: 2, at: 0 }, { key: 1, at: 1 }, { key: 2, at: 2 }, { key: 1, at: 3 }];
    expect(stableSort(list, byKey).map((x) => x.at)).toEqual([1, 3, 0, 2]);
  });

  it("equals Array.prototype.sort on random lists with ties, 0 to 40 long, in place", () => {
    const rng = createRng(7);
    for (let n = 0; n <= INSERTION_SORT_MAX + 8; n++) {
      for (let rep = 0; rep < 50; rep++) {
        const list: X[] = Array.from({ length: n }, (_, at) => ({ key: Math.floor(rng.next() * 5), at }));
        const want = [...list].sort(byKey).map((x) => x.at);
        const got = stableSort(list, byKey);
        expect(got).toBe(list);
        expect(got.map((x) => x.at)).toEqual(want);
      }
    }
  });
});
