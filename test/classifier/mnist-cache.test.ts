/**
 * The MNIST digits kept as typed arrays in the tool's cache (src/classifier/mnist-dataset.ts):
 * parsing the package's JSON is 0.6 s of serial start-up for every command that scores digits.
 * The cache read gives exactly the parsed digits; it is the cache that answered (a byte changed
 * in the file shows up); a cut file is parsed again and rewritten.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadMnist, MNIST_PIXELS } from "../../src/classifier/mnist-dataset.ts";

/** Byte equality of typed arrays (toEqual walks 7.8 M elements for minutes). */
const same = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe("MNIST digits from the cache", () => {
  it("reads back exactly what the JSON parse gives, from the cache file, and survives a cut file", () => {
    const dir = mkdtempSync(join(tmpdir(), "snn-mnist-cache-"));
    const parsed = loadMnist({ cacheDir: null });
    expect(parsed.labels.length).toBe(10_000); // the package's digits
    expect(readdirSync(dir)).toEqual([]);
    const first = loadMnist({ cacheDir: dir }); // parses and writes the cache
    const [file] = readdirSync(dir);
    expect(file).toMatch(/^digits-1\.1\.0-[0-9a-z]+\.bin$/);
    const n = parsed.labels.length;
    expect(statSync(join(dir, file)).size).toBe(8 + Math.ceil(n / 4) * 4 + 5 * n * MNIST_PIXELS);
    const second = loadMnist({ cacheDir: dir }); // reads it
    for (const d of [first, second]) {
      expect(same(d.labels, parsed.labels)).toBe(true);
      expect(same(d.pixels, parsed.pixels)).toBe(true);
      expect(same(d.intensities, parsed.intensities)).toBe(true);
    }
    // the cache answered: a changed label byte comes back
    const bytes = readFileSync(join(dir, file));
    bytes[8] = 7;
    writeFileSync(join(dir, file), bytes);
    expect(loadMnist({ cacheDir: dir }).labels[0]).toBe(7);
    expect(parsed.labels[0]).toBe(0);
    // a cut file is not ours: parsed again, and rewritten whole
    truncateSync(join(dir, file), 1000);
    expect(same(loadMnist({ cacheDir: dir }).intensities, parsed.intensities)).toBe(true);
    expect(statSync(join(dir, file)).size).toBe(8 + Math.ceil(n / 4) * 4 + 5 * n * MNIST_PIXELS);
  });
});
