/**
 * shareValue: the read-only value every task of a pool reads. A top-level typed array on a
 * SharedArrayBuffer (the array phase's 55 MB fault code on bnn) must travel by reference —
 * serialising it held the main thread 1.5 s at load 4 and kept Ctrl-C waiting — and come
 * back in place, the rest of the value round-tripping as before.
 */
import { describe, expect, it } from "vitest";
import { perThread, readShared, sharedArray, shareValue } from "../../src/parallel/shared-value.ts";

describe("shareValue", () => {
  it("passes a top-level typed array on a SharedArrayBuffer by reference, not in the serialised bytes", () => {
    const code = sharedArray("Int32Array", 1 << 20); // 4 MiB
    code[7] = 42;
    const plain = new Float64Array([1.5, -2]);
    const handle = shareValue({ name: "bnn", code, plain, nested: { code: [1, 2] } });
    expect(handle.buffer.byteLength).toBeLessThan(1024); // 4 MiB would be here if it were serialised
    // a thread receives the handle as a structured clone: the SharedArrayBuffer is the same memory
    const there = readShared(structuredClone(handle)) as { name: string; code: Int32Array; plain: Float64Array; nested: { code: number[] } };
    expect(there.code).toBeInstanceOf(Int32Array);
    expect(there.code.length).toBe(1 << 20);
    expect(there.code[7]).toBe(42);
    there.code[8] = 9; // written through the view
    expect(code[8]).toBe(9);
    expect(Array.from(there.plain)).toEqual([1.5, -2]); // an ordinary typed array is serialised as before
    expect(there.name).toBe("bnn");
    expect(there.nested).toEqual({ code: [1, 2] });
  });

  it("keeps a shared view's offset and length", () => {
    const whole = sharedArray("Float64Array", 10);
    whole.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const part = new Float64Array(whole.buffer, 3 * 8, 4);
    const there = readShared(structuredClone(shareValue({ part })));
    expect(Array.from(there.part)).toEqual([3, 4, 5, 6]);
  });
});

describe("perThread: what a thread built from a handle, kept for the 4 handles used last", () => {
  it("a handle read again outlives 4 newer ones (a warm-up's chip, read by each of its passes and the campaign after); one unread is dropped", () => {
    const builds: string[] = [];
    const build = (name: string) => () => (builds.push(name), { name });
    const chip = shareValue({ chip: 1 });
    const first = perThread(chip, "network", build("chip"));
    const idle = shareValue({ idle: 1 });
    perThread(idle, "x", build("idle"));
    // two warm-up passes, each with its spec and fault models, reading the chip again
    for (let pass = 0; pass < 2; pass++) {
      perThread(shareValue({ spec: pass }), "x", build(`spec${pass}`));
      expect(perThread(chip, "network", build("chip again"))).toBe(first);
      perThread(shareValue({ models: pass }), "x", build(`models${pass}`));
    }
    // five handles since `chip` was first read (idle, spec0, models0, spec1, models1), but the chip was read after 3 of them
    expect(perThread(chip, "network", build("chip again"))).toBe(first);
    expect(builds.filter((b) => b === "chip again")).toEqual([]);
    // `idle` was read once, before 4 newer handles (spec0, models0, spec1, models1): built again
    perThread(idle, "x", build("idle again"));
    expect(builds).toContain("idle again");
  });
});
