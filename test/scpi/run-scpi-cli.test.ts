/**
 * End to end through the CLI, as a user would do it: `snn-atpg emulate-scpi` serves the
 * emulated instruments on one end of a socat PTY pair, `snn-atpg run --target scpi
 * --profile …` runs a program on the other end. Exit codes: 0 pass, 1 device failed,
 * 3 instrument error (with the instrument's text), 2 bad profile (located message).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";
import { openPtyPair, type PtyPair } from "./pty-pair.ts";

const root = join(import.meta.dirname, "..", "..");
const bin = join(root, "bin", "snn-atpg.js");
const program = "fixtures/scpi-target/black-pixel-4x1-small.program.json";
const keysight = "instruments/keysight-81160a-53230a.json";
const out = mkdtempSync(join(tmpdir(), "run-scpi-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[]): { child: ChildProcess; done: Promise<Done>; stdout: () => string } {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<Done>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

let pty: PtyPair | null = null;
let emulator: ReturnType<typeof cli> | null = null;
afterEach(async () => {
  if (emulator && emulator.child.exitCode === null) emulator.child.kill("SIGINT");
  await emulator?.done;
  await pty?.close();
  pty = null;
  emulator = null;
});

async function startEmulator(extra: string[] = []) {
  pty = await openPtyPair();
  emulator = cli(["emulate-scpi", "black-pixel-4x1", "--port", pty.instruments, "--profile", keysight, ...extra]);
  for (let i = 0; i < 300 && !emulator.stdout().includes("Ctrl-C to stop"); i++) {
    if (emulator.child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(emulator.stdout()).toContain("emulating keysight-81160a-53230a (pg1, pg2, cnt) with black-pixel-4x1");
  return pty.host;
}

describe("snn-atpg run --target scpi against snn-atpg emulate-scpi", () => {
  it("a good emulated instrument set: every vector passes (exit 0), datalog and STDF written", async () => {
    const port = await startEmulator();
    const stdf = join(out, "good.stdf");
    const r = await cli(["run", program, "--target", "scpi", "--port", port, "--profile", keysight, "--datalog", join(out, "good.jsonl"), "--stdf", stdf]).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/4 vectors, 4 passed, 0 failed, .* PASS/);
    expect(r.stdout).toContain("scpi on ");
    const bytes = readFileSync(stdf);
    expect([...bytes.subarray(0, 6)]).toEqual([2, 0, 0, 10, 2, 4]); // FAR: REC_LEN 2, type 0/10, CPU_TYPE 2, STDF V4
    const lines = readFileSync(join(out, "good.jsonl"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(1 + 4 + 1);
    emulator!.child.kill("SIGINT");
    const e = await emulator!.done;
    expect(e.code).toBe(0);
    expect(e.stdout).toContain("stopped after 4 acquisition(s)");
  });

  it("an injected fault in the emulated chip: the run fails the device (exit 1)", async () => {
    const port = await startEmulator(["--inject", "dead-neuron@l0.n0"]);
    const r = await cli(["run", program, "--target", "scpi", "--port", port, "--profile", keysight]).done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}p1111 /);
    expect(r.stdout).toMatch(/4 vectors, 2 passed, 2 failed/);
  });

  it("an instrument reporting an error in SYST:ERR? stops the run with that text (exit 3)", async () => {
    const port = await startEmulator(["--error-on", ":PULS:WIDT", "--error-instrument", "pg1", "--error-text", '-222,"Data out of range; width"']);
    const r = await cli(["run", program, "--target", "scpi", "--port", port, "--profile", keysight, "--datalog", join(out, "err.jsonl")]).done;
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('instrument pg1 (GPIB 10) reported -222,"Data out of range; width" during window timing IW 1000 ps + LW 9000 ps');
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe("bad scpi options (in-process CLI)", () => {
  it("a profile missing a counter operation exits 2 naming the file and the JSON path", async () => {
    const r = await runMain(["run", program, "--target", "scpi", "--port", "/dev/null-not-a-port", "--profile", "fixtures/run-scpi-cli/counter-without-readtimes.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/counter-without-readtimes\.json: at instruments\.bench\.commands\.readTimes: expected a template \(bench is mapped in outputs\)/);
  });

  it("--target scpi without --profile exits 2 and says what to pass", async () => {
    const r = await runMain(["run", program, "--target", "scpi", "--port", "/tmp/x"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--target scpi needs --profile <file>/);
  });
});
