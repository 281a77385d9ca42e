/**
 * WRITE and READ of levels of a multi-level (domain-wall, seed 001) cell: the format
 * grows compatibly (bits or levels, expected or expectedLevels), the sim target executes
 * them, a board over PROTOCOL.md v1 cannot carry them (the host refuses before opening
 * the port, naming the step; the emulator answers ERR UNSUPPORTED).
 */
import { describe, expect, it } from "vitest";
import { executeProgram as run } from "../../src/bench/bench-executor.ts";
import { checkProgramForBench, parseProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createBoardEmulator } from "../../src/targets/board-emulator.ts";
import { createSerialBoardTarget } from "../../src/targets/serial-board-target.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import { createSimulatedChip } from "../../src/targets/simulated-chip.ts";
import { frameLine } from "../../src/transports/line-framing.ts";
import { createMemoryLinePair } from "../../src/transports/memory-line-transport.ts";

const dw = loadTestbench("testbenches/seed001-dw-4x2.json");
const binary = loadTestbench("testbenches/mlp-16x8x4.json");
const header = (b: typeof dw) => ({ schemaVersion: 1, testbench: { id: b.bench.id, sha256: b.sha256 } });

const steps = [
  { kind: "write", id: "w5", phase: "array", layer: 0, row: 1, levels: [5, 12] },
  { kind: "read", id: "r5", phase: "array", layer: 0, row: 1, expectedLevels: [5, 12] },
  { kind: "write", id: "wb", phase: "array", layer: 0, row: 2, bits: "10" },
  { kind: "read", id: "rb", phase: "array", layer: 0, row: 2, expectedLevels: [15, 0] },
];

describe("level WRITE / READ steps", () => {
  it("load beside bit steps; exactly one of bits / levels; levels need a domain-wall bench and fit its level count", () => {
    const p = parseProgram(JSON.stringify({ ...header(dw), vectors: steps }), "p.json");
    checkProgramForBench(p, "p.json", dw);
    const both = [{ kind: "write", id: "w", layer: 0, row: 1, bits: "10", levels: [1, 0] }];
    expect(() => parseProgram(JSON.stringify({ ...header(dw), vectors: both }), "p.json")).toThrow(/exactly one of bits and levels/);
    const high = [{ kind: "write", id: "w", layer: 0, row: 1, levels: [16, 0] }];
    expect(() => checkProgramForBench(parseProgram(JSON.stringify({ ...header(dw), vectors: high }), "p.json"), "p.json", dw)).toThrow(/levels\[0\].*0\.\.15/s);
    const onBinary = [{ kind: "write", id: "w", layer: 0, row: 1, levels: Array(8).fill(1) }];
    expect(() => checkProgramForBench(parseProgram(JSON.stringify({ ...header(binary), vectors: onBinary }), "p.json"), "p.json", binary)).toThrow(/domainWall/);
  });

  it("the simulated chip reads back every level it writes, and a bit READ splits the levels at the end-state midpoint", () => {
    const chip = createSimulatedChip({ bench: dw.bench });
    for (let lv = 0; lv < 16; lv++) {
      chip.writeLevels!(0, 0, [lv, 15 - lv]);
      expect(chip.readLevels!(0, 0)).toEqual([lv, 15 - lv]);
    }
    // bit READ: the reference is midway in conductance between level 0 (0.25 µS) and 15 (5 µS), 2.625 µS;
    // level ℓ conducts 0.25 + 4.75·ℓ/15 µS, above 2.625 from ℓ = 7.5 on: levels 7 → 0, 8 → 1
    chip.writeLevels!(0, 0, [7, 8]);
    expect(chip.readRow(0, 0)).toBe("01");
    // a binary WRITE puts the wall at an end: bit 1 = level 15
    chip.writeRow(0, 3, "10");
    expect(chip.readLevels!(0, 3)).toEqual([15, 0]);
  });

  it("the sim target runs a level program; the datalog row holds levels", async () => {
    const program = parseProgram(JSON.stringify({ ...header(dw), vectors: steps }), "p.json");
    const r = await run({ program, programFile: "p.json", bench: dw, target: createSimTarget({ bench: dw.bench }), targetLabel: "sim", dutId: "d" });
    expect(r.footer.failingVectors).toEqual([]);
    expect(r.steps.find((s) => s.stepId === "r5")?.levels).toEqual([5, 12]);
  });

  it("a stuck wall at level 3 (the cell keeps its mission level) reads 3 where 5 was written: column 0 fails", async () => {
    const program = parseProgram(JSON.stringify({ ...header(dw), vectors: steps }), "p.json");
    // cell (1, 0) holds 0.2 = level 3 in the bench
    const target = createSimTarget({ bench: dw.bench, storage: { layer: 0, row: 1, col: 0, behaviour: { stuckWall: true } } });
    const r = await run({ program, programFile: "p.json", bench: dw, target, targetLabel: "sim", dutId: "d" });
    expect(r.footer.failingVectors).toEqual(["r5"]);
    const rec = r.steps.find((s) => s.stepId === "r5")!;
    expect(rec.levels).toEqual([3, 12]);
    expect(rec.failingColumns).toEqual([0]);
  });

  it("a board cannot carry levels: the host refuses before opening the port, naming the step; the emulator answers ERR UNSUPPORTED", async () => {
    const program = parseProgram(JSON.stringify({ ...header(dw), vectors: steps }), "p.json");
    const [host] = createMemoryLinePair();
    let opened = false;
    const target = createSerialBoardTarget({ transport: { ...host, label: host.label, open: async () => { opened = true; } } as typeof host });
    await expect(run({ program, programFile: "p.json", bench: dw, target, targetLabel: "serial", dutId: "d" })).rejects.toThrow(
      /p\.json: vectors\[0\] \(write step w5\) writes levels of multi-level cells; PROTOCOL\.md v1 WRITE and READ carry bits only/,
    );
    expect(opened).toBe(false);
    const emu = createBoardEmulator({ bench: dw.bench });
    expect(emu.handleLine(frameLine("1 HELLO"))[0].line).toMatch(/^1 OK proto=1 /);
    expect(emu.handleLine(frameLine("2 WRITE layer=0 row=1 levels=5,12"))[0].line).toMatch(/^2 ERR UNSUPPORTED .*bits only/);
    expect(emu.handleLine(frameLine("3 READ layer=0 row=1 levels=1"))[0].line).toMatch(/^3 ERR UNSUPPORTED/);
    expect(emu.handleLine(frameLine("4 WRITE layer=0 row=1 bits=10"))[0].line).toMatch(/^4 OK/);
  });
});
