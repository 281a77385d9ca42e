/**
 * `generate --profile`: a program the instrument set can play. Without the profile the
 * walkthrough's program is refused by the Keysight profile (scpi-compatibility.test.ts:
 * IW 900 ps below its 1000 ps minimum width). With it, by the profile's numbers: every
 * vector's IW lies in [1000, 2000] ps (the bench's [500, 2000] cut at the 1000 ps
 * minimum width), IW + LW in its periods, each row one burst — so the run's own pre-run
 * check finds nothing, and the program runs on the emulated Keysight instruments
 * (in-memory link) with every vector passing on a good chip, as the sim target does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { isSpikeVector } from "../../src/formats/program-format.ts";
import { loadInstrumentProfile } from "../../src/formats/instrument-profile-loader.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { narrowTiming, TimingConstraintError } from "../../src/atpg/vector-constraint.ts";
import { timingRangeOf } from "../../src/atpg/window-timing.ts";
import { scpiCompatibilityProblems } from "../../src/targets/scpi-compatibility.ts";
import { runMain } from "../helpers/run-main.ts";
import { rigs } from "../targets/target-rigs.ts";

const keysightFile = "instruments/keysight-81160a-53230a.json";
const bench = loadTestbench("testbenches/black-pixel-4x1.json");
const dir = mkdtempSync(join(tmpdir(), "generate-profile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("generate --profile", () => {
  it("writes a program the Keysight profile can play, and it runs on the emulated instruments", async () => {
    const file = join(dir, "bp-scpi.json");
    const g = await runMain(["generate", "black-pixel-4x1", "--profile", keysightFile, "-o", file]);
    expect(g.code, g.stderr).toBe(0);
    const program = loadProgram(file);
    const vectors = program.vectors.filter(isSpikeVector);
    expect(vectors.length).toBeGreaterThan(0);
    for (const v of vectors) {
      expect(v.iwPs).toBeGreaterThanOrEqual(1000);
      expect(v.iwPs).toBeLessThanOrEqual(2000);
    }
    expect(scpiCompatibilityProblems(program, loadInstrumentProfile(keysightFile), { inputs: 4, outputs: 1 })).toEqual([]);

    const rig = rigs.find((r) => r.name.startsWith("scpi (pulse generators + counter, no array instrument)"))!;
    const { target, label, stop } = await rig.make(bench);
    try {
      const run = await executeProgram({ program, programFile: file, bench, target, targetLabel: label, dutId: "good" });
      expect(run.footer).toMatchObject({ verdict: "pass", vectors: vectors.length, failed: 0 });
    } finally {
      await stop();
    }
  }, 60_000);

  it("a profile that does not load stops before the search (exit 2, naming the file)", async () => {
    const r = await runMain(["generate", "black-pixel-4x1", "--profile", join(dir, "nope.json"), "-o", join(dir, "x.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nope.json");
  });
});

describe("narrowTiming", () => {
  // black-pixel-4x1: IW [500, 2000], LW [5000, 20000], nominal 1000 / 9000, tick 10 ps
  const r = timingRangeOf(bench.bench);
  const limits = (widthRangePs: [number, number], periodRangePs: [number, number]) => ({ title: "t", widthRangePs, periodRangePs, refuse: () => null });
  it("cuts IW at the tester's widths and LW so that every IW + LW is a period it makes", () => {
    expect(narrowTiming(r, limits([1000, 999e9], [3030, 1e15]))).toEqual({ iwPs: [1000, 2000], lwPs: [5000, 20000], tickPs: 10, nominal: { iwPs: 1000, lwPs: 9000 } });
    // periods ≥ 12 005 ps: LW ≥ 12 005 − 1000 → 11 010 on the tick; periods ≤ 15 000: LW ≤ 15 000 − 2000 = 13 000; nominal LW 9000 clamped up
    expect(narrowTiming(r, limits([1000, 999e9], [12005, 15000]))).toEqual({ iwPs: [1000, 2000], lwPs: [11010, 13000], tickPs: 10, nominal: { iwPs: 1000, lwPs: 11010 } });
  });
  it("no common timing is a bad-input error naming both ranges", () => {
    expect(() => narrowTiming(r, limits([2500, 3000], [3030, 1e15]))).toThrow(TimingConstraintError);
    expect(() => narrowTiming(r, limits([1000, 2000], [3030, 6000]))).toThrow(/no LW of the bench's range \[5000, 20000\] ps keeps IW \+ LW inside the periods of t \[3030, 6000\] ps/);
  });
});
