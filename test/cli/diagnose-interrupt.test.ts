/**
 * Ctrl-C while `diagnose --jobs 1` builds the fault dictionary (issue 11 item 3): the build
 * runs on a one-thread pool, which Ctrl-C terminates, so the command ends with exit 130
 * within 2 s of the signal and writes nothing. Before, `--jobs 1` built it in one
 * synchronous pass on the main thread: on seed003-dmtj-mlp-400x100x10 with 4 random
 * vectors (~50 s of work) the process was still running 8 s after SIGINT.
 * The bench and program are the scale benchmark's dictionary case.
 */
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { compileNetwork, createRng } from "../../src/sim/index.ts";
import { fixtureProgram, goodChipSpikes } from "../../scripts/fixture-program.ts";
import { interruptInPhase, killSpawned, spawnCli } from "../bench/spawn-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-diagnose-interrupt-"));
afterAll(killSpawned);

/** 4 random patterns on seed003's 400 inputs, expected spikes from the simulator. */
function randomProgram(): string {
  const lb = loadTestbench(join(import.meta.dirname, "..", "..", "testbenches", "seed003-dmtj-mlp-400x100x10.json"));
  const net = compileNetwork(lb.bench);
  const { iwPs, lwPs } = lb.bench.timing;
  const rng = createRng(16);
  const vs = Array.from({ length: 4 }, (_, k) => {
    const pattern = [Array.from({ length: net.layers[0].rows }, () => (rng.next() < 0.5 ? "1" : "0")).join("")];
    return { id: `r${k}`, iwPs, lwPs, windows: 3, pattern, repetitions: 1, expected: goodChipSpikes(net, pattern, 3, iwPs, lwPs) };
  });
  const file = join(dir, "random4.json");
  writeFileSync(file, JSON.stringify(fixtureProgram(lb, vs, { generator: "test/cli/diagnose-interrupt.test.ts", note: "4 random patterns" })));
  return file;
}

describe("Ctrl-C during diagnose's dictionary build with --jobs 1", () => {
  it("exit 130 within 2 s, no dictionary cached", async () => {
    const program = randomProgram();
    const datalog = join(dir, "run.jsonl");
    const ran = await spawnCli(["run", program, "--datalog", datalog, "--no-diagnose"]).done;
    expect(ran.code, ran.stderr).toBe(0); // the good simulated chip passes its own program
    const cache = join(dir, "cache");
    const run = spawnCli(["diagnose", program, datalog, "--jobs", "1", "--cache-dir", cache]);
    const { r, tookMs } = await interruptInPhase(run, /building the program's fault dictionary/, 1500);
    expect(r.code, r.stderr).toBe(130);
    expect(tookMs).toBeLessThan(2000);
    expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
  }, 150_000);
});
