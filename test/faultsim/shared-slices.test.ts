/**
 * How a pooled campaign cuts and joins its work (parallel-campaign.ts): the interleaved
 * column blocks each thread grades (every fault once, cut where columns end, dealt back
 * and forth), the faults a thread rebuilds for its ranges from the shared table, and the
 * outcome table the threads write in place — each against a hand-derived expectation.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { ClassCode, createOutcomeTable, reasonAt, reasonSetter } from "../../src/faultsim/outcome-table.ts";
import { createSharedOutcomes, joinSharedOutcomes, writeSliceOutcomes } from "../../src/faultsim/shared-outcomes.ts";
import { columnBlockBounds, globalIndices, interleavedColumnRanges, shareFaults, shareFaultsAsync, sharedFaultRanges, sharedSiteColumns } from "../../src/faultsim/shared-universe.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const { bench } = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
const net = compileNetwork(bench);
const faults = enumerateFaults(net, bench, loadFaultModels(), { collapse: true }).faults;
const colOf = (i: number) => `${faults[i].site.layer}.${faults[i].site.col}`;

describe("interleaved column ranges", () => {
  for (const threads of [2, 3]) {
    it(`${threads} threads: every fault once, cut where columns end, blocks dealt 0…n−1 then back`, () => {
      const slices = interleavedColumnRanges(faults, threads, 4);
      expect(slices).toHaveLength(threads);
      const seen = new Uint8Array(faults.length);
      for (const ranges of slices) {
        for (let r = 0; r < ranges.length; r += 2) {
          const [a, b] = [ranges[r], ranges[r + 1]];
          expect(a).toBeLessThan(b);
          if (r > 0) expect(a).toBeGreaterThan(ranges[r - 1]); // ascending; a thread's adjacent blocks joined into one range
          if (a > 0) expect(colOf(a), `range starts inside a column at ${a}`).not.toBe(colOf(a - 1));
          for (let i = a; i < b; i++) seen[i]++;
        }
      }
      expect(seen.every((x) => x === 1)).toBe(true);
      // each layer cut by columnBlockBounds(faults, 4·threads, its first, its end); the d-th non-empty block (counted across
      // the layers) goes to thread d mod n on even rounds ⌊d/n⌋, n − 1 − (d mod n) on odd ones
      const layerEnd = faults.findIndex((f) => f.site.layer === 1); // mlp-16x8x4: layer 0 (8 columns), then layer 1 (4)
      let d = 0;
      for (const [from, to] of [[0, layerEnd], [layerEnd, faults.length]]) {
        const bounds = columnBlockBounds(faults, 4 * threads, from, to);
        for (let b = 0; b < bounds.length - 1; b++) {
          if (bounds[b + 1] === bounds[b]) continue;
          const round = Math.floor(d / threads);
          const want = round % 2 === 0 ? d % threads : threads - 1 - (d % threads);
          d++;
          const holder = slices.findIndex((ranges) => ranges.some((x, r) => r % 2 === 0 && x <= bounds[b] && bounds[b] < ranges[r + 1]));
          expect(holder, `layer block at ${bounds[b]}`).toBe(want);
        }
      }
    });
  }

  it("every thread gets its share of each layer: 2 threads of mlp-16x8x4's 4 output columns take 2 each", () => {
    const slices = interleavedColumnRanges(faults, 2, 4);
    const outputCols = slices.map((ranges) => {
      const cols = new Set<number>();
      for (let r = 0; r < ranges.length; r += 2) for (let i = ranges[r]; i < ranges[r + 1]; i++) if (faults[i].site.layer === 1) cols.add(faults[i].site.col);
      return cols.size;
    });
    expect(outputCols).toEqual([2, 2]);
  });

  it("one thread: the whole list as one range", () => {
    expect(interleavedColumnRanges(faults, 1)).toEqual([[0, faults.length]]);
  });
});

describe("a thread's faults from the shared table", () => {
  it("are the caller's faults at the ranges' indices, in order (ids, perturbations, columns)", () => {
    const u = shareFaults(faults)!;
    const ranges = interleavedColumnRanges(faults, 3, 4)[1];
    const mine = sharedFaultRanges(u, ranges);
    const at = [...globalIndices(ranges)];
    expect(mine.length).toBe(at.length);
    expect(mine.map((f) => f.id)).toEqual(at.map((i) => faults[i].id));
    expect(mine.map((f) => f.perturbations)).toEqual(at.map((i) => faults[i].perturbations));
    const cols = sharedSiteColumns(mine)!;
    at.forEach((i, k) => {
      expect(cols.layer(k)).toBe(faults[i].site.layer);
      expect(cols.col(k)).toBe(faults[i].site.col);
    });
  });

  it("globalIndices lists each range's indices in turn", () => {
    expect([...globalIndices([2, 4, 7, 9])]).toEqual([2, 3, 7, 8]);
  });
});

describe("the outcome table the threads write in place", () => {
  // Six faults: slice A holds 0–1 and 4–5, slice B holds 2–3 (as interleaved blocks are dealt).
  const a = createOutcomeTable(4, true);
  const b = createOutcomeTable(2, true);
  const setA = reasonSetter(a);
  const setB = reasonSetter(b);
  a.cls.set([ClassCode.DT, ClassCode.UD, ClassCode.UD, ClassCode.PD]);
  a.firstVector.set([3, -1, -1, 1]);
  a.firstPossibleVector.set([0, -1, -1, 1]);
  setA(1, "never driven");
  setA(2, "masked");
  a.detecting![0] = [0, 3];
  a.detected![0] = [3];
  b.cls.set([ClassCode.UD, ClassCode.ND]);
  setB(0, "masked"); // B's code 1 is A's code 2
  b.detecting![1] = undefined;

  it("puts every slot at its fault's place and each reason sentence once, in order of first use", () => {
    const s = createSharedOutcomes(6);
    const pa = writeSliceOutcomes(s, [0, 2, 4, 6], a);
    const pb = writeSliceOutcomes(s, [2, 4], b);
    const t = joinSharedOutcomes(s, [pa, pb]);
    expect([...t.cls]).toEqual([ClassCode.DT, ClassCode.UD, ClassCode.UD, ClassCode.ND, ClassCode.UD, ClassCode.PD]);
    expect([...t.firstVector]).toEqual([3, -1, -1, -1, -1, 1]);
    expect([...t.firstPossibleVector]).toEqual([0, -1, -1, -1, -1, 1]);
    expect(Array.from({ length: 6 }, (_, i) => reasonAt(t, i))).toEqual([undefined, "never driven", "masked", undefined, "masked", undefined]);
    expect(t.reasonTexts).toEqual(["", "never driven", "masked"]);
    expect(t.detecting![0]).toEqual([0, 3]);
    expect(t.detected![0]).toEqual([3]);
    expect(t.detecting![3]).toBeUndefined();
  });

  it("refuses slices that leave a fault unwritten or write one twice (an unwritten slot would read as detected by vector 0)", () => {
    const s = createSharedOutcomes(6);
    const pa = writeSliceOutcomes(s, [0, 2, 4, 6], a);
    expect(() => joinSharedOutcomes(s, [pa])).toThrow(/faults 2\.\.3 of 6 unwritten/);
    const s2 = createSharedOutcomes(6);
    const twice = writeSliceOutcomes(s2, [1, 3], b);
    expect(() => joinSharedOutcomes(s2, [writeSliceOutcomes(s2, [0, 2, 4, 6], a), twice, writeSliceOutcomes(s2, [2, 4], b)])).toThrow(/written twice/);
    // an empty range beside a full one is no gap
    const s3 = createSharedOutcomes(2);
    expect(joinSharedOutcomes(s3, [writeSliceOutcomes(s3, [0, 0], createOutcomeTable(0)), writeSliceOutcomes(s3, [0, 2], b)]).cls.length).toBe(2);
  });

  it("refuses a table that does not fit the ranges", () => {
    expect(() => writeSliceOutcomes(createSharedOutcomes(6), [0, 3], b)).toThrow(/2 faults for ranges of 3/);
  });

  for (const n of [0, 1, 3]) {
    it(`a table of ${n} fault(s) is ${n} slots long (a pooled campaign of 2 faults read past its list: exit 70)`, () => {
      const s = createSharedOutcomes(n);
      const t = createOutcomeTable(n);
      t.cls.fill(ClassCode.ND);
      const joined = joinSharedOutcomes(s, [writeSliceOutcomes(s, [0, n], t)]);
      expect(joined.cls.length).toBe(n);
      expect(joined.firstVector.length).toBe(n);
      expect([...joined.firstVector]).toEqual(Array(n).fill(-1));
    });
  }
});

describe("what the shared fault table cannot encode", () => {
  // 3 Int32 per fault: model in 16 bits, kind in 4, layer in 11 (0..2047); beyond, the threads rebuild from the spec (parallel-campaign.ts)
  it("declines a layer outside 0..2047 (negative included), and takes the edges", async () => {
    const { SiteFault } = await import("../../src/faults/site-fault.ts");
    const at = (layer: number) => [faults[0], new SiteFault(faults[0].resolved, { kind: "neuron", layer, col: 3 })];
    expect(shareFaults(at(-1))).toBeNull();
    expect(shareFaults(at(0x800))).toBeNull();
    const edge = shareFaults(at(0x7ff))!;
    expect(edge).not.toBeNull();
    const back = sharedFaultRanges(edge, [1, 2])[0];
    expect(back.site).toEqual({ kind: "neuron", layer: 0x7ff, col: 3 });
  });
});

describe("encoding the fault table between turns of the event loop", () => {
  it("gives shareFaults' table, and lets a task queued before it run before it ends (600,000 faults: 3 chunks)", async () => {
    const many = Array.from({ length: 600_000 }, (_, i) => faults[i % faults.length]);
    let ranBefore = false;
    const done = shareFaultsAsync(many).then((u) => ({ u, ranBefore }));
    setImmediate(() => (ranBefore = true)); // queued after the first chunk began: runs between chunks, or only after the end if there were no turns
    const { u, ranBefore: yielded } = await done;
    expect(yielded).toBe(true);
    expect(Buffer.from(u!.table).equals(Buffer.from(shareFaults(many)!.table))).toBe(true);
    expect(u!.count).toBe(600_000);
  });
});

describe("Ctrl-C while the fault table is encoded", () => {
  it("stops between chunks with an InterruptedError", async () => {
    const many = Array.from({ length: 600_000 }, (_, i) => faults[i % faults.length]);
    const controller = new AbortController();
    const p = shareFaultsAsync(many, controller.signal);
    controller.abort(); // after the first chunk began: seen at the first turn
    await expect(p).rejects.toMatchObject({ name: "InterruptedError" });
  });
});
