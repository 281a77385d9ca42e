/**
 * The SCPI pre-run compatibility check: a program step the instrument profile cannot
 * play is refused before the first step (exit 2), naming the step and the profile
 * field. Hand derivations on the Keysight profile (tick 10 ps, pulse width 1000 ps to
 * 999 ms, period 3030 ps up, no `array` instrument):
 *   - pattern 1111, 0000, 1111 at IW 1420 + LW 9000: row 0 pulses in windows 1 and 3,
 *     at 0 and 2 × 10420 = 20840 ps — two pulses a double period apart, not one burst;
 *   - IW 900 ps is below the 1000 ps minimum width; IW 1000 + LW 1000 = 2000 ps is
 *     below the 3030 ps minimum period; IW 1004 ps rounds to 1000 ps and is played;
 *   - a WRITE step needs `array`, which Keysight lacks and the generic profile has.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { exitCodeOf } from "../../src/cli/exit-codes.ts";
import { loadInstrumentProfile } from "../../src/formats/instrument-profile-loader.ts";
import type { Program, ProgramStep } from "../../src/formats/program-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { ProfileCompatibilityError, scpiCompatibilityProblems } from "../../src/targets/scpi-compatibility.ts";
import { createScpiTarget } from "../../src/targets/scpi-target.ts";
import type { LineTransport } from "../../src/transports/line-transport.ts";
import { runMain } from "../helpers/run-main.ts";

const keysight = loadInstrumentProfile("instruments/keysight-81160a-53230a.json");
const generic = loadInstrumentProfile("instruments/generic-scpi-bench.json");
const bench = loadTestbench("testbenches/black-pixel-4x1.json");
const size = { inputs: 4, outputs: 1 };

const spike = (id: string, iwPs: number, lwPs: number, pattern: string[], windows = pattern.length): ProgramStep =>
  ({ id, windows, pattern, iwPs, lwPs, repetitions: 1, expected: [] }) as ProgramStep;
const programOf = (vectors: ProgramStep[]): Program =>
  ({ schemaVersion: 1, testbench: { id: "black-pixel-4x1", sha256: bench.sha256 }, timingTolerancePs: 500, decision: { rule: "single" }, vectors }) as Program;

describe("scpiCompatibilityProblems", () => {
  it("names the step and the profile field of each limit", () => {
    const program = programOf([
      spike("ok", 1004, 9000, ["1111"], 3),
      spike("gap", 1420, 9000, ["1111", "0000", "1111"]),
      spike("narrow", 900, 9000, ["1111"]),
      spike("fast", 1000, 1000, ["1111"]),
      { kind: "write", id: "w0", layer: 0, row: 0, bits: "1" } as ProgramStep,
      { kind: "pause", id: "p0", dwellNs: 5 } as ProgramStep,
    ]);
    const problems = scpiCompatibilityProblems(program, keysight, size);
    expect(problems.map((q) => [q.index, q.field])).toEqual([
      [1, "rows (row 0 = pg1 channel 1: one burst per vector)"],
      [2, "timing.widthRangePs [1000, 999000000000]"],
      [3, "timing.periodRangePs [3030, 1000000000000000]"],
      [4, "array (absent: no instrument writes or reads crossbar rows)"],
    ]);
    expect(problems[0]!.message).toContain("row 0: events at 0, 20840 ps are not one burst at the window period 10420 ps");
    expect(problems[1]!.message).toContain("asks for IW 900 ps");
    expect(problems[2]!.message).toContain("asks for IW + LW = 2000 ps");
    // The generic bench has an array instrument: only the timing/burst limits remain.
    expect(scpiCompatibilityProblems(program, generic, size).map((q) => q.index)).not.toContain(4);
  });

  it("a profile with fewer rows than the bench's inputs is named as a whole-program problem", () => {
    expect(scpiCompatibilityProblems(programOf([spike("ok", 1000, 9000, ["11111"])]), keysight, { inputs: 5, outputs: 1 })).toContainEqual({ index: -1, field: "rows (4 row channel(s))", message: "the testbench has 5 input rows" });
  });
});

describe("the scpi target refuses before it opens the link", () => {
  it("the executor calls checkProgram first: nothing is sent, exit 2", async () => {
    const sent: string[] = [];
    let opened = false;
    const transport: LineTransport = {
      label: "fake",
      open: async () => void (opened = true),
      writeLine: async (l) => void sent.push(l),
      onLine: () => {},
      onBadLine: () => {},
      onClose: () => {},
      close: async () => {},
    };
    const target = createScpiTarget({ profile: keysight, transport, ...size });
    const err = await executeProgram({ program: programOf([spike("v1", 1000, 9000, ["1111"]), spike("v2", 900, 9000, ["1111"])]), programFile: "p.json", bench, target, targetLabel: "fake", dutId: "d" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProfileCompatibilityError);
    expect(exitCodeOf(err)).toBe(2);
    expect((err as Error).message).toContain("p.json: vectors[1] (v2): the pulse generators make pulses of 1000..999000000000 ps; the program asks for IW 900 ps — instruments/keysight-81160a-53230a.json at timing.widthRangePs");
    expect(opened).toBe(false);
    expect(sent).toEqual([]);
  });
});

const dir = mkdtempSync(join(tmpdir(), "scpi-compat-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("snn-atpg run --target scpi on a generated program", () => {
  it("the walkthrough's program on the Keysight profile: exit 2 before the port is opened, naming vector and field", async () => {
    const program = join(dir, "bp.json");
    expect((await runMain(["generate", "black-pixel-4x1", "-o", program])).code).toBe(0);
    const r = await runMain(["run", program, "--target", "scpi", "--profile", "instruments/keysight-81160a-53230a.json", "--port", join(dir, "no-such-port")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("instrument profile keysight-81160a-53230a cannot play");
    expect(r.stderr).toMatch(/vectors\[\d+\] \(v\d+\): .* — instruments\/keysight-81160a-53230a\.json at (rows|timing\.\w+)/);
    expect(r.stderr).not.toContain("cannot open serial port");
  });
});
