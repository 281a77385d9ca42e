/**
 * A real pseudo-terminal pair for bench tests: `socat` links two PTYs (like a null-modem
 * cable); the board emulator is spawned on end `a`, the host (`snn-atpg run --target
 * serial`) uses end `b`, both through the real `serialport` package.
 *
 *   const pty = await startPtyPair();
 *   const emu = await startEmulator("black-pixel-4x1", pty.a, ["--noise", "0.05"]);
 *   … spawnCli(["run", program, "--target", "serial", "--port", pty.b]) …
 *   await emu.stop(); await pty.stop();
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { runMain } from "../helpers/run-main.ts";
import { spawnCli, type CliResult, type SpawnedCli } from "./spawn-cli.ts";

export const hasSocat = spawnSync("socat", ["-V"], { stdio: "ignore" }).status === 0;

export interface PtyPair {
  dir: string;
  a: string;
  b: string;
  socat: ChildProcess;
  stop(): Promise<void>;
}

/** Start socat with two linked PTYs in a fresh temp dir (or `dir`), resolved once both links exist. */
export async function startPtyPair(dir = mkdtempSync(join(tmpdir(), "snn-pty-"))): Promise<PtyPair> {
  const a = join(dir, "a");
  const b = join(dir, "b");
  const socat = spawn("socat", ["-d", "-d", `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  socat.stderr!.on("data", (d) => (log += String(d)));
  const t0 = Date.now();
  while (!(existsSync(a) && existsSync(b) && log.includes("starting data transfer loop"))) {
    if (socat.exitCode !== null || Date.now() - t0 > 5000) throw new Error(`socat did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const exited = new Promise<void>((resolve) => socat.on("exit", () => resolve()));
  return {
    dir,
    a,
    b,
    socat,
    async stop() {
      if (socat.exitCode === null && socat.signalCode === null) socat.kill("SIGTERM");
      await exited;
    },
  };
}

export interface RunningEmulator {
  cli: SpawnedCli;
  /** Ctrl-C the emulator and return what it printed (exit 0 expected). */
  stop(): Promise<CliResult>;
  /** Kill it hard, like a board losing power. */
  kill(): Promise<CliResult>;
}

/** Spawn `snn-atpg emulate <bench> --port <port> …` and wait until it serves. */
export async function startEmulator(bench: string, port: string, extra: string[] = []): Promise<RunningEmulator> {
  const cli = spawnCli(["emulate", bench, "--port", port, ...extra]);
  await cli.waitFor("emulating ");
  return {
    cli,
    async stop() {
      if (cli.child.exitCode === null) cli.child.kill("SIGINT");
      return cli.done;
    },
    async kill() {
      if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
      return cli.done;
    },
  };
}

/**
 * Link settings of test runs: short enough that losses cost little, forgiving enough (8 attempts of 250 ms)
 * that a CPU-starved emulator on a loaded 2-core CI machine is not mistaken for a dead board. Later flags win.
 */
export const testLink = ["--timeout-ms", "250", "--attempts", "8"];

/** `snn-atpg run <program> --target serial --port <port> …` as a process. */
export function runSerial(program: string, port: string, extra: string[] = []): SpawnedCli {
  return spawnCli(["run", program, "--target", "serial", "--port", port, ...testLink, ...extra]);
}

/** The same run in this process (saves a Node start-up; for runs that need no signals). */
export function runSerialHere(program: string, port: string, extra: string[] = []): Promise<CliResult> {
  return runMain(["run", program, "--target", "serial", "--port", port, ...testLink, ...extra]);
}

/** The PTY pair and emulator of a test file's tests, both stopped after each test. */
export function usePtyRig(): { pty: PtyPair | null; emu: RunningEmulator | null } {
  const rig: { pty: PtyPair | null; emu: RunningEmulator | null } = { pty: null, emu: null };
  afterEach(async () => {
    await rig.emu?.stop();
    await rig.pty?.stop();
    rig.emu = null;
    rig.pty = null;
  });
  return rig;
}
