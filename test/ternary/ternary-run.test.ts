/**
 * Running ternary-array programs (Hou et al., ITC 2022) through `run`'s targets: the sim
 * target applies −1/0/+1 writes and threshold/polarity settings; a board over PROTOCOL.md
 * v1 (the emulator behind a serial target) plays spike steps only — its WRITE has no
 * encoding of a differential pair's value and answers ERR UNSUPPORTED, and the host
 * refuses such a program before opening the port. Expected failures are derived by hand
 * from Hou's dVs (snn_model.py): a dV d first fires at tick ⌈θ/d⌉ (from 1).
 */
import { describe, expect, it } from "vitest";
import { executeTernaryProgram } from "../../src/bench/ternary-executor.ts";
import { enumerateTernaryFaults } from "../../src/faults/ternary-faults.ts";
import type { TernaryProgram } from "../../src/formats/ternary-program-format.ts";
import { createBoardEmulator, serveBoardEmulator } from "../../src/targets/board-emulator.ts";
import { createSerialBoardTarget } from "../../src/targets/serial-board-target.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";
import { createMemoryLinePair } from "../../src/transports/memory-line-transport.ts";
import { frameLine } from "../../src/transports/line-framing.ts";
import { runMain } from "../helpers/run-main.ts";
import { houBench, houModels, houProgram } from "./hou-itc22.ts";

const bench = houBench(8);
const models = houModels();
const rule = (id: string) => enumerateTernaryFaults(bench, models).find((f) => f.id === id)!.rule;

/** SZ 12 on the mission weights (all 0) at the power-on neuron (V_th 500, up: θ = 100). */
const spikeOnly: TernaryProgram = {
  schemaVersion: 1,
  kind: "ternary-array-program",
  testbench: { id: "hou-itc22-n8" },
  steps: [{ op: "spike-rows", id: "SZ12", windows: 12, criterion: { kind: "no-spike", windows: 12 } }],
};

describe("run of ternary programs", () => {
  it("sim target: the good chip passes the 90·N program; injected faults fail where the hand derivation says", async () => {
    const good = await executeTernaryProgram(createSimTarget({ bench }), bench, houProgram());
    expect(good).toMatchObject({ verdict: "pass", vectors: 32, failing: [] });
    // SIF_r after W 1: the whole row at dV 2.38, ⌈100/2.38⌉ = 43 > 41 → no first spike within S 5 41 on any output
    const sif = await executeTernaryProgram(createSimTarget({ bench, cellWriteRule: rule("sif-r-w1@l0.r2.c0") }), bench, houProgram());
    expect(sif.failing).toEqual([{ stepId: "S5-41", row: 2, signature: ["f0@-", "f1@-", "f2@-"] }]);
    // FIF w0 swp1 after W 0: 6.25 down with θ = 100 (VTH 300): 16·6.25 = 100 fires at tick 16 → window 15 within SZ 16
    const fif = await executeTernaryProgram(createSimTarget({ bench, cellWriteRule: rule("fif-bc-w0-swp1@l0.r7.c2") }), bench, houProgram());
    expect(fif.failing).toEqual([{ stepId: "SZ16", row: 7, signature: ["x2@15"] }]);
  });

  it("over PROTOCOL.md v1 (board emulator, in-memory link): spike steps play and agree with the sim target", async () => {
    // FIF w0 swp0 on the mission weight 0: dV 8.34, 12·8.34 = 100.08 ≥ 100 → fires at tick 12 (window 11); good: 12·8.2 < 100
    const fault = "fif-bc-w0-swp0@l0.r3.c1";
    const viaBoard = async (cellWriteRule?: ReturnType<typeof rule>) => {
      const [host, board] = createMemoryLinePair();
      await board.open();
      const stop = serveBoardEmulator(board, createBoardEmulator({ bench, cellWriteRule }));
      try {
        return await executeTernaryProgram(createSerialBoardTarget({ transport: host, replyTimeoutMs: 2000, maxAttempts: 4 }), bench, spikeOnly, { targetName: "serial" });
      } finally {
        stop();
      }
    };
    expect(await viaBoard()).toMatchObject({ verdict: "pass", vectors: 8 });
    const bad = await viaBoard(rule(fault));
    expect(bad.failing).toEqual([{ stepId: "SZ12", row: 3, signature: ["x1@11"] }]);
    expect((await executeTernaryProgram(createSimTarget({ bench, cellWriteRule: rule(fault) }), bench, spikeOnly)).failing).toEqual(bad.failing);
  });

  it("the emulated board answers WRITE and READ with ERR UNSUPPORTED; the host refuses writes before opening", async () => {
    const emu = createBoardEmulator({ bench });
    expect(emu.handleLine(frameLine("1 HELLO"))[0].line).toMatch(/^1 OK proto=1 .* inputs=8 outputs=3 /);
    expect(emu.handleLine(frameLine("2 WRITE layer=0 row=0 bits=111"))[0].line).toMatch(/^2 ERR UNSUPPORTED WRITE: .*−1\/0\/\+1/);
    expect(emu.handleLine(frameLine("3 READ layer=0 row=0"))[0].line).toMatch(/^3 ERR UNSUPPORTED/);
    const [host] = createMemoryLinePair();
    const target = createSerialBoardTarget({ transport: host });
    await expect(executeTernaryProgram(target, bench, houProgram(), { targetName: "serial", programFile: "hou.json" })).rejects.toThrow(
      /hou\.json: steps\[0\] \(SWP0\): PROTOCOL\.md v1 has no verb that sets a neuron's threshold or polarity \(and its ternary writes W1, W0, W-1 have no encoding either/,
    );
  });

  it("snn-atpg run: the same entry point as crossbar programs (exit 1 on a fault, 2 for a serial target)", async () => {
    const failed = await runMain(["run", "programs/hou-itc22-90n.json", "--inject", "sif-r-w1@l0.r2.c0", "--json"]);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ chipKind: "ternary-array", verdict: "fail", vectors: 32, ticks: 720, failing: [{ stepId: "S5-41", row: 2 }] });
    // the port does not exist: exit 2 (not 3) shows the program was refused before the port was opened
    const serial = await runMain(["run", "programs/hou-itc22-90n.json", "--target", "serial", "--port", "/nonexistent/tty"]);
    expect(serial.code).toBe(2);
    expect(serial.stderr).toMatch(/no encoding/);
  });

  it("snn-atpg simulate on the bench: after W 1 every neuron first fires within Hou's S 5 41 band, ticks 5 … 41 (⌈100/24.57⌉ … ⌈100/2.45⌉)", async () => {
    const r = await runMain(["simulate", "hou-itc22-n8", "--write-all", "1", "--pattern", "10000000", "--windows", "41", "--json"]);
    expect(r.code).toBe(0);
    const spikes: { neuron: number; window: number }[] = JSON.parse(r.stdout).spikes;
    for (const n of [0, 1, 2]) {
      const first = Math.min(...spikes.filter((s) => s.neuron === n).map((s) => s.window));
      expect(first).toBeGreaterThanOrEqual(4);
      expect(first).toBeLessThanOrEqual(40);
    }
  });
});
