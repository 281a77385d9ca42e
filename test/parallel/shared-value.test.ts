/**
 * shareValue: the read-only value every task of a pool reads. A top-level typed array on a
 * SharedArrayBuffer (the array phase's 55 MB fault code on bnn) must travel by reference —
 * serialising it held the main thread 1.5 s at load 4 and kept Ctrl-C waiting — and come
 * back in place, the rest of the value round-tripping as before.
 */
import { describe, expect, it } from "vitest";
import { readShared, sharedArray, shareValue } from "../../src/parallel/shared-value.ts";

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
