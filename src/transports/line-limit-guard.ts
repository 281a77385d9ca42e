/**
 * A stream stage in front of the readline parser (which buffers without bound) that
 * enforces the protocol's line limit: once a line passes `maxBytes` (+1 for a `\r`),
 * the guard cuts it with a `\n` of its own and drops the rest up to the real `\n`. The
 * parser then emits the cut line, one byte over the limit, so the transport can report
 * it as overlong — memory stays bounded whatever the other side sends.
 *
 *   port.pipe(new LineLimitGuard(65_536)).pipe(new ReadlineParser({ delimiter: "\n" }))
 */
import { Transform, type TransformCallback } from "node:stream";

export class LineLimitGuard extends Transform {
  private lineBytes = 0;
  private dropping = false;

  /** @param maxBytes longest line allowed, bytes, terminator excluded. */
  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const cap = this.maxBytes + 2; // a cut line is maxBytes + 2 long: over the limit even after a \r is stripped
    const out: Buffer[] = [];
    let i = 0;
    while (i < chunk.length) {
      const nl = chunk.indexOf(0x0a, i);
      const end = nl < 0 ? chunk.length : nl;
      if (this.dropping) {
        if (nl >= 0) {
          this.dropping = false;
          this.lineBytes = 0;
        }
      } else {
        const room = cap - this.lineBytes;
        if (end - i > room) {
          out.push(chunk.subarray(i, i + room), Buffer.from([0x0a]));
          this.dropping = nl < 0;
          this.lineBytes = 0;
        } else {
          out.push(chunk.subarray(i, nl < 0 ? end : end + 1));
          this.lineBytes = nl < 0 ? this.lineBytes + (end - i) : 0;
        }
      }
      i = nl < 0 ? chunk.length : nl + 1;
    }
    cb(null, out.length ? Buffer.concat(out) : undefined);
  }
}
