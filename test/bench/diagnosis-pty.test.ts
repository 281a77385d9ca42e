/**
 * Acceptance, on real PTYs: for each fault model, an emulated board with that fault
 * injected (`snn-atpg emulate --inject`, its own process) fails the program over
 * `snn-atpg run --target serial`, and `snn-atpg diagnose` names the injected fault's
 * class first — on black-pixel-4x1 and mlp-16x8x4, for a systematic sample of sites
 * (per model, the detected fault a third into the dictionary, and two thirds in for the
 * per-cell / per-segment models).
 * Two PTY pairs run side by side to keep the wall time down.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DictionaryFault } from "../../src/faultsim/fault-dictionary.ts";
import { loadOrBuildDictionary } from "../../src/faultsim/dictionary-cache.ts";
import { checkProgramForBench, loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { runMain } from "../helpers/run-main.ts";
import { killSpawned } from "./spawn-cli.ts";
import { hasSocat, runSerialHere, startEmulator, startPtyPair, type PtyPair } from "./pty-rig.ts";

const cacheDir = mkdtempSync(join(tmpdir(), "snn-diag-cache-"));
const benches = [
  { bench: "black-pixel-4x1", program: "fixtures/bench/black-pixel-4x1.program.json" },
  { bench: "mlp-16x8x4", program: "fixtures/bench/mlp-16x8x4.program.json" },
];

/** Per model: the detected fault a third into its list, and for models with many sites (cells, segments) also the one two thirds in. */
function sample(faults: readonly DictionaryFault[]): DictionaryFault[] {
  const byModel = new Map<string, DictionaryFault[]>();
  for (const f of faults) byModel.set(f.modelId, [...(byModel.get(f.modelId) ?? []), f]);
  const out: DictionaryFault[] = [];
  for (const list of byModel.values()) {
    const picks = new Set([Math.floor(list.length / 3), Math.floor((2 * list.length) / 3)].slice(0, list.length > 20 ? 2 : 1));
    for (const i of picks) out.push(list[i]);
  }
  return out;
}

describe.runIf(hasSocat)("diagnosis of emulated faulty boards over real PTYs", () => {
  const pairs: PtyPair[] = [];
  beforeAll(async () => {
    pairs.push(await startPtyPair(), await startPtyPair());
  });
  afterAll(async () => {
    await killSpawned();
    for (const p of pairs) await p.stop();
  });

  for (const b of benches) {
    it(`${b.bench}: every fault model's injected fault fails the run and is diagnosed first`, async () => {
      const bench = loadTestbench(`testbenches/${b.bench}.json`);
      const program = loadProgram(b.program);
      checkProgramForBench(program, b.program, bench);
      const { dictionary } = loadOrBuildDictionary({ program, programFile: b.program, bench, cacheDir });
      const picked = sample(dictionary.faults);
      const models = new Set(picked.map((f) => f.modelId));
      expect(models.size).toBe(new Set(dictionary.faults.map((f) => f.modelId)).size);

      const lane = async (pty: PtyPair, work: DictionaryFault[]) => {
        for (const f of work) {
          const emu = await startEmulator(b.bench, pty.a, ["--inject", f.id]);
          const datalog = join(pty.dir, `${f.id.replace(/[^a-z0-9.-]/gi, "_")}.jsonl`);
          const run = await runSerialHere(b.program, pty.b, ["--datalog", datalog, "--no-diagnose"]);
          await emu.stop();
          expect(run.code, `${f.id}: ${run.stderr}`).toBe(1);
          const diag = await runMain(["diagnose", b.program, datalog, "--json", "--cache-dir", cacheDir]);
          expect(diag.code, diag.stderr).toBe(0);
          const top = JSON.parse(diag.stdout).groups[0] as { score: number; members: DictionaryFault[] };
          expect(top.score, f.id).toBe(1);
          expect(top.members.some((m) => m.id === f.id || m.equivalents.includes(f.id)), `${f.id} not in ${top.members.map((m) => m.id).join(", ")}`).toBe(true);
        }
      };
      await Promise.all(pairs.map((p, i) => lane(p, picked.filter((_, k) => k % pairs.length === i))));
    });
  }
});
