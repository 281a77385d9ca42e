/**
 * STDF V4 written as the run goes: the same bytes encodeStdf gives for the whole run
 * (stdf-writer.ts), in bounded memory. The head records go out when the writer opens, each
 * vector's PTRs and FTR as it comes (a megabyte at a time); the TSRs, which STDF puts after
 * the part's PRR, are spilled to a temporary file and copied after it at `finish`. A run of
 * 10⁶ vectors held every record for the whole-run writer (553 MB resident at 2·10⁵ vectors).
 *
 * The stream cannot look back, so it asks a little more of its input than encodeStdf:
 * `outputs` given up front, and vector test numbers strictly increasing and below
 * 1,000,000,000 (where the spike-time test numbers start) — then every number is unique
 * without remembering them. The bench run's vectors are numbered by index + 1.
 *
 *   const w = StdfStream.open("run.stdf", { ...head, outputs: 10 });
 *   w.vector({ id: "v1", number: 1, pass: true, failingOutputs: [] });
 *   w.finish({ finishTime: Date.now(), aborted: false });
 */
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { StdfInputError, StdfWriteError } from "./stdf-errors.ts";
import { spikeTimeTestNumber, stdfHeadBytes, stdfPartBytes, stdfSummaryBytes, stdfTsrBytes, stdfVectorBytes, type StdfRunHead, type StdfVectorResult } from "./stdf-writer.ts";

/** Bytes gathered before one write. */
const PIECE_BYTES = 1 << 20;
/** Vector test numbers stay below the spike-time test numbers (spikeTimeTestNumber). */
const FIRST_SPIKE_NUMBER = spikeTimeTestNumber(0, 0);

/** A file written a piece at a time, every write checked. */
class PieceFile {
  private pieces: Buffer[] = [];
  private bytes = 0;
  constructor(
    readonly path: string,
    readonly fd: number,
  ) {}
  write(b: Buffer): void {
    this.pieces.push(b);
    this.bytes += b.length;
    if (this.bytes >= PIECE_BYTES) this.flush();
  }
  flush(): void {
    if (this.bytes === 0) return;
    const b = Buffer.concat(this.pieces, this.bytes);
    this.pieces = [];
    this.bytes = 0;
    for (let off = 0; off < b.length; ) off += writeSync(this.fd, b, off);
  }
}

export class StdfStream {
  private vectors = 0;
  private lastNumber = -1;
  private partFailed = false;
  private done = false;

  private constructor(
    private readonly head: StdfRunHead & { outputs: number },
    private readonly out: PieceFile,
    private readonly tsr: PieceFile,
    private readonly spillDir: string,
  ) {}

  /** Create (or replace) `path` and write the head records. */
  static open(path: string, head: StdfRunHead & { outputs: number }): StdfStream {
    if (!Number.isInteger(head.outputs) || head.outputs < 0 || head.outputs > 32766) throw new StdfInputError(`${head.outputs} outputs: STDF pin indexes run from 1 to 32767`);
    let spillDir = "";
    try {
      mkdirSync(dirname(path), { recursive: true });
      const fd = openSync(path, "w");
      spillDir = mkdtempSync(join(tmpdir(), "snn-stdf-"));
      const spill = join(spillDir, "tsr.bin");
      const w = new StdfStream(head, new PieceFile(path, fd), new PieceFile(spill, openSync(spill, "w+")), spillDir);
      w.out.write(stdfHeadBytes(head, head.outputs));
      return w;
    } catch (err) {
      if (spillDir) rmSync(spillDir, { recursive: true, force: true });
      throw writeError(path, err);
    }
  }

  /** One vector's records (and its TSR, kept aside until the part is closed). */
  vector(v: StdfVectorResult): void {
    if (this.done) throw new StdfInputError(`vector ${v.id}: the STDF stream is already finished`);
    if (!Number.isInteger(v.number) || v.number <= this.lastNumber || v.number >= FIRST_SPIKE_NUMBER) {
      throw new StdfInputError(`vector ${v.id}: test number ${v.number} must be an integer above the previous vector's (${this.lastNumber}) and below ${FIRST_SPIKE_NUMBER} in a streamed STDF`);
    }
    const spikes = v.spikeTimes ?? [];
    if (spikes.length > 1000) throw new StdfInputError(`vector ${v.id}: ${spikes.length} expected spikes; the spike-time test numbers hold 1000 per vector`);
    if (spikes.length && spikeTimeTestNumber(v.number, spikes.length - 1) > 0xffffffff) throw new StdfInputError(`vector ${v.id}: spike-time test number ${spikeTimeTestNumber(v.number, spikes.length - 1)} is above 4294967295`);
    for (const o of v.failingOutputs) {
      if (!Number.isInteger(o) || o < 0 || o >= this.head.outputs) throw new StdfInputError(`vector ${v.id}: failing output ${o} is not one of the run's ${this.head.outputs} output(s)`);
    }
    this.lastNumber = v.number;
    this.vectors++;
    if (!v.pass) this.partFailed = true;
    this.guard(() => {
      this.out.write(stdfVectorBytes(v, this.head.outputs));
      this.tsr.write(stdfTsrBytes(v, this.head.programName));
    });
  }

  /** Close the part (PRR), copy the TSRs after it, write the summary, sync and close. */
  finish(end: { finishTime: Date | number; aborted: boolean }): void {
    if (this.done) return;
    this.done = true;
    const e = { ...end, vectors: this.vectors, partFailed: this.partFailed, startTime: this.head.startTime };
    try {
      this.guard(() => {
        this.out.write(stdfPartBytes(this.head, e));
        this.out.flush();
        this.tsr.flush();
        const chunk = Buffer.allocUnsafe(PIECE_BYTES);
        for (let pos = 0, n; (n = readSync(this.tsr.fd, chunk, 0, PIECE_BYTES, pos)) > 0; pos += n) this.out.write(Buffer.from(chunk.subarray(0, n)));
        this.out.write(stdfSummaryBytes(this.head, e));
        this.out.flush();
        fsyncSync(this.out.fd);
      });
    } finally {
      this.close();
    }
  }

  /** Stop without the closing records (the caller reports why); the temporary file goes. */
  discard(): void {
    this.done = true;
    this.close();
  }

  private close(): void {
    for (const fd of [this.out.fd, this.tsr.fd]) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    rmSync(this.spillDir, { recursive: true, force: true });
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (err instanceof StdfInputError) throw err;
      this.discard();
      throw writeError(this.out.path, err);
    }
  }
}

function writeError(path: string, err: unknown): StdfWriteError {
  return new StdfWriteError(`${path}: cannot write STDF file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
}
