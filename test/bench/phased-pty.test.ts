/**
 * A program with all three phases (neuron → array → functional) over a real PTY pair on
 * mlp-16x8x4: the board emulator speaks PROTOCOL.md (WRITE, READ, spike vectors), the
 * host runs `run --target serial`. A good emulated chip passes; for a fault of every model
 * the program detects, an emulated chip with that fault fails it and `diagnose` ranks the
 * injected fault among its top-scored candidates ("the right class named"). The neuron
 * models the program cannot detect under its guard band (fast-to-integrate, the leak
 * faults: docs/neuron-phase.md) are not injected here; the coverage report lists them ND.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";
import { hasSocat, runSerialHere, startEmulator, startPtyPair, usePtyRig } from "./pty-rig.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-phased-pty-"));
const program = join(dir, "mlp-phased.jsonl");
const rig = usePtyRig();

describe.runIf(hasSocat)("neuron + array + functional phases over a real PTY (mlp-16x8x4)", () => {
  it("a good board passes; a fault of every detected model fails and is named first", async () => {
    const g = await runMain(["generate", "mlp-16x8x4", "--phases", "neuron,array,functional", "-o", program, "--json"]);
    expect(g.code, g.stderr).toBe(0);
    const s = JSON.parse(g.stdout);
    expect(s.stepsByPhase.neuron).toBeGreaterThan(0);
    expect(s.stepsByPhase.array).toBeGreaterThan(0);
    // one detected fault per model, from the program's own coverage report (ids as the universe spells them)
    const cov = JSON.parse((await runMain(["coverage", "mlp-16x8x4", program, "--json", "--all"])).stdout);
    const pick = new Map<string, string>();
    for (const f of cov.faults as { id: string; model: string; cls: string; layer: number }[]) {
      if (f.cls === "DT" && !pick.has(f.model) && (f.model !== "dead-neuron" || f.layer === 0)) pick.set(f.model, f.id);
    }
    // every model but the three the guard band leaves undetected
    expect([...pick.keys()].sort()).toEqual(
      ["dead-neuron", "dead-synapse", "resistive-open", "retention-flip", "slow-to-integrate", "stuck-at-ap", "stuck-at-p", "transition-down", "transition-up"],
    );

    rig.pty = await startPtyPair();
    rig.emu = await startEmulator("mlp-16x8x4", rig.pty!.a);
    const good = await runSerialHere(program, rig.pty!.b, ["--datalog", join(dir, "good.jsonl"), "--overwrite"]);
    expect(good.code, good.stderr + good.stdout).toBe(0);
    await rig.emu!.stop();

    for (const [model, id] of pick) {
      rig.emu = await startEmulator("mlp-16x8x4", rig.pty!.a, ["--inject", id]);
      const log = join(dir, `${model}.jsonl`);
      const bad = await runSerialHere(program, rig.pty!.b, ["--datalog", log, "--overwrite"]);
      expect({ id, code: bad.code }, bad.stderr).toEqual({ id, code: 1 });
      await rig.emu!.stop();
      rig.emu = null;
      const d = JSON.parse((await runMain(["diagnose", program, log, "--json"])).stdout) as { candidates: { faultId: string; equivalents: string[]; score: number }[] };
      const top = d.candidates.filter((c) => c.score === d.candidates[0].score);
      expect({ id, named: top.some((c) => c.faultId === id || c.equivalents.includes(id)) }).toEqual({ id, named: true });
    }
  }, 600_000);
});
