/**
 * Bit-packed (or 4-bit level) weight file: the trained weights a testbench references by path
 * and sha256 (`"weights": { "generator": "file", "file": "x.weights.bin", "sha256": "…", "layer": 0 }`).
 *
 *   bytes 0–3   "SNNW"                 magic
 *   byte  4     1 | 2                  version (1: one bit per cell; 2: 4-bit levels)
 *   byte  5     L                      number of layers
 *   bytes 6–7   0                      reserved
 *   then L × (u32 LE rows, u32 LE cols)
 *   version 1: per layer ⌈rows·cols/8⌉ bytes: cell (r, c) is bit k = r·cols + c, LSB first;
 *              1 = weight 1 (+1, R_L), 0 = weight 0 (−1, R_H)
 *   version 2: per layer ⌈rows·cols/2⌉ bytes: cell k = r·cols + c is the low nibble of
 *              byte k >> 1 when k is even, the high nibble when odd: a level 0 … 15 of a
 *              16-level (4-bit, seed 002) domain-wall synapse, weight level/15
 *
 * 784×1024 + 1024×10 cells pack into 101,632 bytes. `readWeightFile` checks the hash of
 * the bytes before decoding, so a bench can never silently run on other weights.
 *
 *   const bytes = encodeWeightFile([{ rows: 2, cols: 2, bits: Uint8Array.of(1, 0, 0, 1) }]);
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { FormatError } from "./format-error.ts";

/** One layer of cells, row-major. */
export interface WeightFileLayer {
  rows: number;
  cols: number;
  /** rows·cols cell values, row-major: 0 or 1 (version 1), a level 0 … levels − 1 (version 2). */
  bits: Uint8Array;
  /** Levels a cell value spans: 2 (bits, the default) or 16 (4-bit levels); the weight is value/(levels − 1). */
  levels?: 2 | 16;
}

const MAGIC = "SNNW";

/** sha256 of bytes, hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Pack layers into the file's bytes (version 2 when the layers hold 16 levels; all layers alike). */
export function encodeWeightFile(layers: WeightFileLayer[]): Buffer {
  const nibbles = layers.some((l) => (l.levels ?? 2) === 16);
  if (nibbles && !layers.every((l) => l.levels === 16)) throw new Error("a weight file holds bits or 16 levels in every layer, not both");
  const header = Buffer.alloc(8 + 8 * layers.length);
  header.write(MAGIC, 0, "latin1");
  header[4] = nibbles ? 2 : 1;
  header[5] = layers.length;
  layers.forEach((l, i) => {
    header.writeUInt32LE(l.rows, 8 + 8 * i);
    header.writeUInt32LE(l.cols, 12 + 8 * i);
  });
  const bodies = layers.map((l) => {
    if (nibbles) {
      const b = Buffer.alloc(Math.ceil((l.rows * l.cols) / 2));
      for (let k = 0; k < l.bits.length; k++) b[k >> 1] |= (l.bits[k] & 15) << ((k & 1) * 4);
      return b;
    }
    const b = Buffer.alloc(Math.ceil((l.rows * l.cols) / 8));
    for (let k = 0; k < l.bits.length; k++) if (l.bits[k]) b[k >> 3] |= 1 << (k & 7);
    return b;
  });
  return Buffer.concat([header, ...bodies]);
}

/** Unpack a weight file's bytes; `file` names it in errors. */
export function decodeWeightFile(bytes: Uint8Array, file: string): WeightFileLayer[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (where: string, expected: string, found: string) => new FormatError({ file, where, expected, found });
  if (b.length < 8 || b.toString("latin1", 0, 4) !== MAGIC) throw bad("byte 0", `the magic "${MAGIC}" of a bit-packed weight file`, JSON.stringify(b.toString("latin1", 0, 4)));
  if (b[4] !== 1 && b[4] !== 2) throw bad("byte 4", "version 1 (bits) or 2 (4-bit levels)", String(b[4]));
  const nibbles = b[4] === 2;
  const n = b[5];
  let off = 8 + 8 * n;
  if (b.length < off) throw bad("header", `${n} layer shapes`, `${b.length} bytes`);
  const layers: WeightFileLayer[] = [];
  for (let i = 0; i < n; i++) {
    const rows = b.readUInt32LE(8 + 8 * i);
    const cols = b.readUInt32LE(12 + 8 * i);
    const len = Math.ceil((rows * cols) / (nibbles ? 2 : 8));
    if (off + len > b.length) throw bad(`layer ${i}`, `${len} bytes of ${rows}×${cols} cells`, `${b.length - off} bytes left`);
    const bits = new Uint8Array(rows * cols);
    if (nibbles) for (let k = 0; k < bits.length; k++) bits[k] = (b[off + (k >> 1)] >> ((k & 1) * 4)) & 15;
    else for (let k = 0; k < bits.length; k++) bits[k] = (b[off + (k >> 3)] >> (k & 7)) & 1;
    layers.push({ rows, cols, bits, ...(nibbles ? { levels: 16 as const } : {}) });
    off += len;
  }
  if (off !== b.length) throw bad("end of file", `${off} bytes`, `${b.length} bytes`);
  return layers;
}

const cache = new Map<string, WeightFileLayer[]>();

/**
 * Read and decode a weight file after checking its sha256; `where` is the place in
 * the referencing file (e.g. `layers[0].weights.sha256`) for the error.
 */
export function readWeightFile(path: string, sha256: string, referencedFrom: { file: string; where: string }): WeightFileLayer[] {
  const key = `${path}\n${sha256}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new FormatError({
      file: referencedFrom.file,
      where: referencedFrom.where.replace(/\.sha256$/, ".file"),
      expected: "a readable bit-packed weight file (path relative to the testbench)",
      found: `${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    });
  }
  const actual = sha256Hex(bytes);
  if (actual !== sha256.toLowerCase()) {
    throw new FormatError({
      file: referencedFrom.file,
      where: referencedFrom.where,
      expected: `the sha256 of ${path}`,
      found: `${sha256} (the file's is ${actual})`,
      hint: "the weight file changed: re-run the trainer that wrote it, or update the hash if the new weights are intended",
    });
  }
  const layers = decodeWeightFile(bytes, path);
  cache.set(key, layers);
  return layers;
}
