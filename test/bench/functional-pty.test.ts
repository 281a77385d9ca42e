/**
 * Functional vectors over a real PTY pair: `generate --phases functional` on mlp-16x8x4
 * (count bands fitted to Monte-Carlo good chips), applied through `run --target serial`
 * to the board emulator. A good emulated chip passes; one with a dead output neuron
 * fails the count bands of that output (the run names `c2=0`), and `diagnose` ranks the
 * dead neuron first from the count-band signatures.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";
import { hasSocat, runSerialHere, startEmulator, startPtyPair, usePtyRig } from "./pty-rig.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-functional-pty-"));
const program = join(dir, "mlp-functional.json");
const rig = usePtyRig();

describe.runIf(hasSocat)("functional vectors over a real PTY", () => {
  it("socat is installed (CI installs it)", () => expect(hasSocat).toBe(true));

  it("a good emulated board passes; a dead output neuron fails its count bands and is diagnosed first", async () => {
    const g = await runMain(["generate", "mlp-16x8x4", "--phases", "functional", "-o", program]);
    expect(g.code, g.stderr).toBe(0);
    rig.pty = await startPtyPair();
    rig.emu = await startEmulator("mlp-16x8x4", rig.pty!.a);
    const good = await runSerialHere(program, rig.pty!.b, ["--datalog", join(dir, "good.jsonl"), "--overwrite"]);
    expect(good.code, good.stderr + good.stdout).toBe(0);
    await rig.emu!.stop();

    rig.emu = await startEmulator("mlp-16x8x4", rig.pty!.a, ["--inject", "dead-neuron@l1.n2"]);
    const bad = await runSerialHere(program, rig.pty!.b, ["--datalog", join(dir, "bad.jsonl"), "--overwrite"]);
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}f1-\S+ {2}count-band c2=0/);
    const d = JSON.parse((await runMain(["diagnose", program, join(dir, "bad.jsonl"), "--json", "--no-cache"])).stdout) as { observed: Record<string, string[]>; groups: { score: number; members: { id: string }[] }[] };
    expect(Object.values(d.observed)[0]).toEqual(["c2=0"]);
    expect(d.groups[0].score).toBe(1);
    expect(d.groups[0].members.map((m) => m.id)).toContain("dead-neuron@l1.n2");
  }, 120_000);
});
