/**
 * The program-exporter extension point: a test program rendered for other tools
 * (STIL for ATE pattern flows, VCD for waveform viewers). Exporters stream: they take
 * the header and an (async) iterable of vectors and write text chunks to a sink.
 *
 *   await exporters.stil.write(header, vectors, { inputs: 4, outputs: 1 }, sink);
 */
import type { ProgramHeader, ProgramVector } from "../../formats/program-format.ts";
import type { TextSink } from "../../formats/program-stream-writer.ts";

/** What an exporter needs to know about the chip. */
export interface ExportContext {
  /** First-layer rows (PROTOCOL.md inputs). */
  inputs: number;
  /** Observable outputs (PROTOCOL.md numbering). */
  outputs: number;
  /** Tester resolution, ps. */
  tickPs?: number;
  /** Tool name and version for the file's header. */
  toolVersion?: string;
  /** When the file is written (VCD `$date`); default now. */
  date?: Date;
}

export interface ProgramExporter {
  readonly id: string;
  readonly title: string;
  readonly extension: string;
  write(header: ProgramHeader, vectors: Iterable<ProgramVector> | AsyncIterable<ProgramVector>, ctx: ExportContext, sink: TextSink): Promise<void>;
}

/** Input bits of window w of a vector (pattern, or events that start in that window at its start). */
export function windowInputBits(v: ProgramVector, w: number, inputs: number): string {
  if (v.pattern) return v.pattern[Math.min(w, v.pattern.length - 1)];
  const T = v.iwPs + v.lwPs;
  const bits = new Array<string>(inputs).fill("0");
  for (const [input, t] of v.events ?? []) if (Math.floor(t / T) === w) bits[input] = "1";
  return bits.join("");
}

/** Expected output bits of window w: 1 when the good chip spikes on that output in that window. */
export function windowOutputBits(v: ProgramVector, w: number, outputs: number): string {
  const bits = new Array<string>(outputs).fill("0");
  for (const e of v.expected) if (e.window === w) bits[e.output] = "1";
  return bits.join("");
}
