/**
 * The array phase over a real PTY pair: a march program with a retention pause, applied
 * through `run --target serial` to the board emulator (PROTOCOL.md WRITE/READ). A good
 * emulated chip passes; an emulated chip with a weak cell (retention flip) fails at the
 * first READ after the 1 s pause — the host waits in real time and the emulated chip ages
 * by the time that passed between commands, as a physical chip would.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork } from "../../src/sim/compile.ts";
import { runMain } from "../helpers/run-main.ts";
import { hasSocat, runSerialHere, startEmulator, startPtyPair, usePtyRig } from "./pty-rig.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-march-pty-"));
const program = join(dir, "bp-march.json");
const rig = usePtyRig();

describe.runIf(hasSocat)("march over a real PTY", () => {
  it("socat is installed (CI installs it)", () => expect(hasSocat).toBe(true));

  it("a good emulated board passes; a failed 1→0 transition fails the first r0 and ties with stuck-at-P", async () => {
    const g = await runMain(["generate", "black-pixel-4x1", "--phases", "array", "-o", program]);
    expect(g.code, g.stderr).toBe(0);
    const steps = JSON.parse(readFileSync(program, "utf8")).vectors as { id: string; kind: string }[];
    // black-pixel-4x1: 4 rows × 10 operations + one pause, then 4 restore writes and 4 restore reads
    expect(steps).toHaveLength(4 * 10 + 1 + 8);

    rig.pty = await startPtyPair();
    rig.emu = await startEmulator("black-pixel-4x1", rig.pty!.a);
    const good = await runSerialHere(program, rig.pty!.b, ["--datalog", join(dir, "good.jsonl"), "--overwrite"]);
    expect(good.code, good.stderr + good.stdout).toBe(0);
    await rig.emu!.stop();

    // A cell whose 1→0 write fails: it holds its mission 1 through ⇕(w0), so the first r0 (after the pause) fails.
    // From a stored 1 a march cannot tell it from stuck-at-P (both hold 1 wherever 0 was written): they tie.
    rig.emu = await startEmulator("black-pixel-4x1", rig.pty!.a, ["--inject", "transition-down@l0.r1.c0"]);
    const bad = await runSerialHere(program, rig.pty!.b, ["--datalog", join(dir, "bad.jsonl"), "--overwrite"]);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/single cell l0\.r1\.c0/);
    const d = await runMain(["diagnose", program, join(dir, "bad.jsonl"), "--json"]);
    const a = JSON.parse(d.stdout).array as { failingReads: string[]; candidates: { faultId: string; score: number }[] };
    expect(a.failingReads[0]).toBe("march-c-minus-retention.l0.e2.r1.0r0");
    const top = a.candidates.filter((c) => c.score === 1).map((c) => c.faultId);
    expect(top).toContain("transition-down@l0.r1.c0");
    expect(top).toContain("stuck-at-p@l0.r1.c0");
  }, 120_000);

  it("a weak cell (retention flip) on an emulated mlp-16x8x4 board fails the first READ after the 1 s pause", async () => {
    const mlpProgram = join(dir, "mlp-march.json");
    expect((await runMain(["generate", "mlp-16x8x4", "--phases", "array", "-o", mlpProgram])).code).toBe(0);
    // a retention flip sits on a weight-0 (AP) cell: the first one of layer 0, row-major
    const l0 = compileNetwork(loadTestbench("testbenches/mlp-16x8x4.json").bench).layers[0];
    let flip = "";
    for (let r = 0; r < l0.rows && !flip; r++) for (let c = 0; c < l0.cols && !flip; c++) if (l0.weights[c * l0.rows + r] === 0) flip = `retention-flip@l0.r${r}.c${c}`;
    rig.pty = await startPtyPair();
    rig.emu = await startEmulator("mlp-16x8x4", rig.pty!.a, ["--inject", flip]);
    const bad = await runSerialHere(mlpProgram, rig.pty!.b, ["--datalog", join(dir, "flip.jsonl"), "--overwrite"]);
    expect(bad.code, bad.stderr).toBe(1);
    const d = JSON.parse((await runMain(["diagnose", mlpProgram, join(dir, "flip.jsonl"), "--json"])).stdout).array;
    const row = /\.r(\d+)\./.exec(flip)![1];
    // element 1 is the pause; element 2 = ⇑(r0,w1): the weak cell, written 0 before the pause, reads 1 there
    expect(d.failingReads[0]).toBe(`march-c-minus-retention.l0.e2.r${row}.0r0`);
    expect(d.candidates.filter((c: { score: number }) => c.score === 1).map((c: { faultId: string }) => c.faultId)).toContain(flip);
  }, 120_000);
});
