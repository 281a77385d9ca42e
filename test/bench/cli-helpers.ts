/**
 * Helpers for bench CLI tests: call `main()` in-process with captured output, or spawn
 * `node bin/snn-atpg.js` as a real process (for signals and the emulator).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.ts";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk));
        cb();
      },
    }),
    text: () => chunks.join(""),
  };
}

/** Run the CLI in this process. */
export async function runMain(args: string[]): Promise<CliResult> {
  const out = sink();
  const err = sink();
  const code = await main(["node", "snn-atpg", ...args], { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

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

export function spawnCli(args: string[]): SpawnedCli {
  const child = spawn(process.execPath, ["bin/snn-atpg.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
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
