/**
 * How a pooled campaign cuts and joins its work (parallel-campaign.ts): each thread's own
 * share and the tail's chunks the threads claim (every fault once, cut where columns end, the
 * output layer's chunks first), the
 * faults a thread rebuilds for its ranges from the shared table, and the
 * outcome table the threads write in place — each against a hand-derived expectation.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { enumerateFaults, loadFaultModels } from "../../src/faults/index.ts";
import { ClassCode, createOutcomeTable, reasonAt, reasonSetter } from "../../src/faultsim/outcome-table.ts";
import { createSharedOutcomes, joinSharedOutcomes, writeSliceOutcomes } from "../../src/faultsim/shared-outcomes.ts";
import { campaignSplit, globalIndices, shareFaults, shareFaultsAsync, sharedFaultRanges, sharedSiteColumns } from "../../src/faultsim/shared-universe.ts";
import { compileNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const { bench } = loadTestbench(join(repoRoot, "testbenches", "mlp-16x8x4.json"));
const net = compileNetwork(bench);
const faults = enumerateFaults(net, bench, loadFaultModels(), { collapse: true }).faults;
const colOf = (i: number) => `${faults[i].site.layer}.${faults[i].site.col}`;

describe("campaign split: each thread's own share, then a claimed tail", () => {
  for (const threads of [2, 3]) {
    it(`${threads} threads: every fault once, cut where columns end; the tail in chunks of one layer, the output layer's first`, () => {
      const { slices, chunks } = campaignSplit(faults, threads, { blocksPerThread: 4, tail: 0.3, tailChunksPerThread: 2 });
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
      expect(chunks.length).toBeGreaterThan(0);
      let lastLayer = Infinity;
      for (const ranges of chunks) {
        expect(ranges).toHaveLength(2); // one range each
        const [a, b] = ranges;
        if (a > 0) expect(colOf(a), `chunk starts inside a column at ${a}`).not.toBe(colOf(a - 1));
        const layer = faults[a].site.layer;
        for (let i = a; i < b; i++) (seen[i]++, expect(faults[i].site.layer).toBe(layer));
        expect(layer).toBeLessThanOrEqual(lastLayer); // deepest layer first
        lastLayer = layer;
      }
      expect(seen.every((x) => x === 1)).toBe(true);
    });
  }

  it("cut by hand: 2 threads, 2 blocks each, a tail of 30 % in 1 chunk per thread, on mlp-16x8x4's 770 faults", () => {
    // hidden columns hold 74, 75, 79, 76, 75, 71, 77, 78 faults (ends 74, 149, 228, 304, 379, 450, 527, 605), output columns
    // 41, 41, 43, 40 (ends 646, 687, 730, 770). Hidden: the tail from the column end at or after round(0.7·605) = 424 → 450;
    // [0, 450) in 4 blocks cut at round(k·450/4) = 113, 225, 338 → 149, 228, 379, dealt 0, 1, 1, 0 → thread 0 [0, 149) and
    // [379, 450), thread 1 [149, 379); the tail [450, 605) in 2 chunks cut at 450 + 78 = 528 → 605: one chunk. Output: the
    // tail from round(605 + 0.7·165) = 721 → 730; [605, 730) cut at 605 + round(k·125/4) = 636, 668, 699 → 646, 687, 730,
    // dealt on (deal 4, 5, 6) 0, 1, 1 → thread 0 [605, 646), thread 1 [646, 730); the tail [730, 770) one chunk, claimed first
    expect(campaignSplit(faults, 2, { blocksPerThread: 2, tail: 0.3, tailChunksPerThread: 1 })).toEqual({
      slices: [
        [0, 149, 379, 450, 605, 646],
        [149, 379, 646, 730],
      ],
      chunks: [
        [730, 770],
        [450, 605],
      ],
    });
  });

  it("cut from the shared table when the campaign has one: the same hand-derived cut, and the table is what is read", () => {
    const table = shareFaults(faults)!;
    const o = { blocksPerThread: 2, tail: 0.3, tailChunksPerThread: 1 };
    expect(campaignSplit(faults, 2, { ...o, shared: table })).toEqual(campaignSplit(faults, 2, o));
    expect(campaignSplit(faults, 2, { ...o, shared: table }).slices[0]).toEqual([0, 149, 379, 450, 605, 646]);
    // every entry's column set to 0 in the table (Int32 × 3 per fault: the column is the second): each layer one column,
    // so no cut inside a layer — hidden [0, 605) one block to thread 0, output [605, 770) the next deal, to thread 1, no tail
    const t = new Int32Array(table.table);
    for (let i = 0; i < faults.length; i++) t[i * 3 + 1] = 0;
    expect(campaignSplit(faults, 2, { ...o, shared: table })).toEqual({ slices: [[0, 605], [605, 770]], chunks: [] });
    // a table encoded from another list is not read
    expect(campaignSplit(faults, 2, { ...o, shared: shareFaults([...faults])! })).toEqual(campaignSplit(faults, 2, o));
  });

  it("one thread: the whole list as its own share, no tail", () => {
    expect(campaignSplit(faults, 1)).toEqual({ slices: [[0, faults.length]], chunks: [] });
  });
});

describe("a thread's faults from the shared table", () => {
  it("are the caller's faults at the ranges' indices, in order (ids, perturbations, columns)", () => {
    const u = shareFaults(faults)!;
    const ranges = [74, 149, 304, 379, 605, 687]; // whole columns from both layers, as a thread's chunks are
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
  // Six faults: slice A holds 0–1 and 4–5, slice B holds 2–3 (as the chunks a thread claims may fall).
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
