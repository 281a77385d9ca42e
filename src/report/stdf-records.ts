/**
 * STDF V4 record encoding: the record types this tool writes and a little-endian field
 * encoder for one record body (stdf-writer.ts lays the records out; this file only knows
 * the byte forms: U*1/2/4, I*1/2/4, R*4, C*1, C*n, D*n, B*n).
 *
 *   new RecordBody().u4(7).cn("v1").record("FTR")   // header (REC_LEN, REC_TYP, REC_SUB) + body
 */
import { stdfText } from "./stdf-text.ts";
import { StdfInputError } from "./stdf-errors.ts";

/** Record types (REC_TYP, REC_SUB) of STDF V4. */
export const stdfRecordTypes = {
  FAR: [0, 10],
  MIR: [1, 10],
  MRR: [1, 20],
  PCR: [1, 30],
  HBR: [1, 40],
  SBR: [1, 50],
  PMR: [1, 60],
  PIR: [5, 10],
  PTR: [15, 10],
  PRR: [5, 20],
  TSR: [10, 30],
  FTR: [15, 20],
} as const;

/** Little-endian field encoder for one record body. */
export class RecordBody {
  private bytes: number[] = [];
  u1(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u2(v: number): this {
    return this.u1(v).u1(v >>> 8);
  }
  i2(v: number): this {
    return this.u2(v & 0xffff);
  }
  u4(v: number): this {
    return this.u1(v).u1(v >>> 8).u1(v >>> 16).u1(v >>> 24);
  }
  i1(v: number): this {
    return this.u1(v & 0xff);
  }
  i4(v: number): this {
    return this.u4(v >>> 0);
  }
  r4(v: number): this {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  c1(ch: string): this {
    return this.u1((ch || " ").charCodeAt(0));
  }
  /** C*n: length byte + Latin-1 text (stdfText: never a NUL or a byte from half a character; ≤ 255). */
  cn(s = ""): this {
    const b = Buffer.from(stdfText(s).text, "latin1");
    this.u1(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  /** D*n: U*2 bit count + bits, bit 0 of the first byte first. */
  dn(bits: number[], count: number): this {
    this.u2(count);
    const data = new Array<number>(Math.ceil(count / 8)).fill(0);
    for (const i of bits) data[i >> 3] |= 1 << (i & 7);
    for (const x of data) this.bytes.push(x);
    return this;
  }
  /** B*n with no data. */
  bnEmpty(): this {
    return this.u1(0);
  }
  record(kind: keyof typeof stdfRecordTypes): Buffer {
    const [typ, sub] = stdfRecordTypes[kind];
    if (this.bytes.length > 0xffff) throw new StdfInputError(`${kind} record would be ${this.bytes.length} bytes; STDF allows 65535`);
    const head = Buffer.alloc(4);
    head.writeUInt16LE(this.bytes.length, 0);
    head.writeUInt8(typ, 2);
    head.writeUInt8(sub, 3);
    return Buffer.concat([head, Buffer.from(this.bytes)]);
  }
}

