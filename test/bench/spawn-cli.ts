/**
 * Spawn `node bin/snn-atpg.js` as a real process and collect its output as it comes,
 * for the bench tests that need one (signals, the board emulator on a pty). In-process
 * runs use `runMain` from test/helpers/run-main.ts.
 *
 *   const emu = spawnCli(["emulate", "black-pixel-4x1", "--port", pty.a]);
 *   await emu.waitFor("emulating ");  emu.child.kill("SIGINT");  const { code, stderr } = await emu.done;
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { MainRun } from "../helpers/run-main.ts";

/** Exit code and output of a finished CLI process (the same shape as an in-process run). */
export type CliResult = MainRun;

/** A spawned CLI process with its output collected as it comes. */
export interface SpawnedCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the result when the process exits. */
  done: Promise<CliResult>;
  /** Resolves when stdout contains `text` (rejects if the process exits first or after timeoutMs). */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

/** Processes spawned by spawnCli that have not exited yet. */
const live = new Set<ChildProcess>();

/** Kill every spawned CLI process still running (afterAll: a failed assertion must not leak emulators). */
export async function killSpawned(): Promise<void> {
  const waits = [...live].map((c) => new Promise<void>((resolve) => {
    c.once("exit", () => resolve());
    c.kill("SIGKILL");
  }));
  await Promise.all(waits);
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnedCli {
  const child = spawn(process.execPath, ["bin/snn-atpg.js", ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  live.add(child);
  child.once("exit", () => live.delete(child));
  let out = "";
  let err = "";
  const listeners: (() => void)[] = [];
  child.stdout!.on("data", (d) => {
    out += String(d);
    for (const l of listeners) l();
  });
  child.stderr!.on("data", (d) => {
    err += String(d);
  });
  const done = new Promise<CliResult>((resolve) => {
    child.on("exit", (code, signal) => {
      for (const l of listeners) l();
      resolve({ code: code ?? (signal === "SIGKILL" ? 137 : 128), stdout: out, stderr: err });
    });
  });
  let exited = false;
  void done.then(() => (exited = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitFor(text, timeoutMs = 15000) {
      const has = () => (typeof text === "string" ? out.includes(text) : text.test(out));
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${text} in output of ${args.join(" ")}:\n${out}\n${err}`)), timeoutMs);
        const check = () => {
          if (has()) {
            clearTimeout(timer);
            resolve();
          } else if (exited) {
            clearTimeout(timer);
            reject(new Error(`process exited before printing ${text}: ${args.join(" ")}\nstdout: ${out}\nstderr: ${err}`));
          }
        };
        listeners.push(check);
        check();
      });
    },
  };
}

/** Ctrl-C a spawned command: its result, and how long it took to end after the signal, ms. */
export async function interruptAndTime(run: SpawnedCli): Promise<{ r: CliResult; tookMs: number }> {
  const sent = performance.now();
  run.child.kill("SIGINT");
  const r = await run.done;
  return { r, tookMs: performance.now() - sent };
}

/**
 * Ctrl-C a spawned command once its stderr matches `phase` (plus `afterMs`, to be well inside
 * the phase): its result and how long it took to end after the signal, ms. The wait for the
 * phase is generous (a loaded machine starts slowly); the time after the signal is what a test bounds.
 */
export async function interruptInPhase(run: SpawnedCli, phase: RegExp, afterMs = 300, waitMs = 120_000): Promise<{ r: CliResult; tookMs: number }> {
  const until = Date.now() + waitMs;
  while (!phase.test(run.stderr())) {
    if (run.child.exitCode !== null || Date.now() > until) throw new Error(`the phase ${phase} did not start:\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, afterMs));
  if (run.child.exitCode !== null) throw new Error(`the command ended before the signal:\n${run.stderr()}`);
  return interruptAndTime(run);
}

