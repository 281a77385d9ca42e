/**
 * The complete lines of a file, read a chunk at a time (synchronously): no string the
 * size of the file is ever built, so a 10⁶-line datalog reads in memory proportional to
 * what the caller keeps, and a file past V8's ~512 MB string limit reads at all. A last
 * line without its `\n` is not yielded: the generator returns it (a record cut off by a
 * crash) by its length, with the byte length of the complete lines. A line longer than
 * `maxLineBytes` is not a record of ours: it is refused when its `\n` comes, and a tail
 * that long (a file cut, or zero-filled, after a crash) is skipped without keeping it.
 *
 *   const it = fileLines("run.jsonl");
 *   for (let r = it.next(); !r.done; r = it.next()) handle(r.value);   // r.value: one line, without "\n"
 *   // at the end: r.value = { completeBytes, tail }
 */
import { closeSync, openSync, readSync } from "node:fs";
import { SnnAtpgError } from "./errors.ts";

export interface FileLinesEnd {
  /** Bytes up to and including the last `\n`. */
  completeBytes: number;
  /** Bytes after the last `\n` (0 when the file ends with one). */
  tailBytes: number;
}

/** A line longer than fileLines' bound (readers turn it into a located FormatError). */
export class LineTooLongError extends SnnAtpgError {
  constructor(readonly line: number, readonly maxBytes: number) {
    super(`line ${line} is longer than ${maxBytes} bytes`);
  }
}

/** Longest line fileLines keeps by default: far above any datalog record (10,000 repetitions with their bounded logs are a few MB). */
export const MAX_LINE_BYTES = 64 << 20;

export function* fileLines(file: string, chunkBytes = 1 << 20, maxLineBytes = MAX_LINE_BYTES): Generator<string, FileLinesEnd> {
  const fd = openSync(file, "r");
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let overlong = false;
    let lineNo = 0;
    let completeBytes = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(10, 0); nl !== -1 && nl < n; nl = chunk.indexOf(10, start)) {
        lineNo++;
        if (overlong || pendingBytes + nl - start > maxLineBytes) throw new LineTooLongError(lineNo, maxLineBytes);
        const piece = chunk.subarray(start, nl);
        const line = pending.length ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        completeBytes += line.length + 1;
        start = nl + 1;
        yield line.toString("utf8");
      }
      if (start < n) {
        pendingBytes += n - start;
        if (pendingBytes > maxLineBytes) (overlong = true), (pending = []);
        else pending.push(Buffer.from(chunk.subarray(start, n)));
      }
    }
    return { completeBytes, tailBytes: pendingBytes };
  } finally {
    closeSync(fd);
  }
}

/** The lines of a text as fileLines gives those of a file (complete lines, then the end). */
export function* textLines(text: string): Generator<string, FileLinesEnd> {
  const end = text.lastIndexOf("\n") + 1;
  let at = 0;
  while (at < end) {
    const nl = text.indexOf("\n", at);
    yield text.slice(at, nl);
    at = nl + 1;
  }
  return { completeBytes: Buffer.byteLength(text.slice(0, end)), tailBytes: Buffer.byteLength(text.slice(end)) };
}

/** The first `bytes` bytes of a file as text (a multi-byte character cut at the end becomes U+FFFD). */
export function filePrefix(file: string, bytes: number): { text: string; whole: boolean } {
  const fd = openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(bytes + 1);
    let n = 0;
    for (let k = 1; k > 0 && n < buf.length; n += k) k = readSync(fd, buf, n, buf.length - n, null);
    return { text: buf.subarray(0, Math.min(n, bytes)).toString("utf8"), whole: n <= bytes };
  } finally {
    closeSync(fd);
  }
}
