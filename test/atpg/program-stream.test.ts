/**
 * Streaming program files: the writer and the async reader round-trip .json and .jsonl
 * vector by vector (10⁴ vectors here; the layout is what 10⁶ would use), and a bad
 * vector is reported with its place.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/formats/format-error.ts";
import type { ProgramHeader, ProgramVector } from "../../src/formats/program-format.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { collectVectors, readProgramStream } from "../../src/formats/program-stream-reader.ts";
import { formatProgram, openProgramWriter } from "../../src/formats/program-stream-writer.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-atpg-stream-"));
const header: ProgramHeader = {
  schemaVersion: 1,
  testbench: { id: "black-pixel-4x1", sha256: "a".repeat(64) },
  timingTolerancePs: 500,
  decision: { rule: "single" },
  metadata: { toolVersion: "t", seed: 3, note: "kept \"quoted\" {braces} [brackets]" },
};
const vector = (i: number): ProgramVector => ({
  id: `v${i}`,
  iwPs: 1000,
  lwPs: 9000,
  windows: 1 + (i % 3),
  pattern: [(i % 16).toString(2).padStart(4, "0")],
  repetitions: 1,
  expected: i % 2 ? [{ output: 0, window: 0, timePs: 500 + i }] : [],
  targets: [`dead-synapse@l0.r${i % 4}.c0`],
});

describe("program stream writer and reader", () => {
  for (const ext of ["json", "jsonl"]) {
    it(`round-trips 10 000 vectors through .${ext}`, async () => {
      const file = join(dir, `p.${ext}`);
      const w = await openProgramWriter(file, header);
      for (let i = 0; i < 10_000; i++) await w.write(vector(i));
      await w.close();
      const s = await readProgramStream(file);
      expect(s.header.metadata).toEqual(header.metadata);
      let i = 0;
      for await (const v of s.vectors) {
        expect(v).toEqual(vector(i));
        i++;
      }
      expect(i).toBe(10_000);
      // and the whole-file loader agrees
      expect(loadProgram(file).vectors.length).toBe(10_000);
    });
  }

  it("formats small programs identically to the file writer", async () => {
    const text = await formatProgram({ ...header, vectors: [vector(1), vector(2)] });
    expect(JSON.parse(text).vectors.length).toBe(2);
    expect(text.endsWith("\n  ]\n}\n")).toBe(true);
  });

  it("locates a bad vector: JSON Lines by line, JSON by index", async () => {
    const jl = join(dir, "bad.jsonl");
    writeFileSync(jl, `${JSON.stringify(header)}\n${JSON.stringify(vector(0))}\n${JSON.stringify({ ...vector(1), windows: 0 })}\n`);
    const s = await readProgramStream(jl);
    await expect(collectVectors(s)).rejects.toThrow(/bad\.jsonl line 3: at windows/);
    const js = join(dir, "bad.json");
    writeFileSync(js, JSON.stringify({ ...header, vectors: [vector(0), { ...vector(1), iwPs: -5 }] }));
    const t = await readProgramStream(js);
    const err = await collectVectors(t).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).message).toMatch(/bad\.json vectors\[1\]: at iwPs/);
  });

  it("rejects a JSON program without a vectors array", async () => {
    const f = join(dir, "novec.json");
    writeFileSync(f, JSON.stringify(header));
    await expect(readProgramStream(f)).rejects.toThrow(/vectors/);
  });
});
