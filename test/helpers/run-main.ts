/**
 * Run the CLI in-process (`main()` from src/cli/main.ts with captured streams): the same
 * code path as `node bin/snn-atpg.js …` without a process start per call. For what a
 * user sees from the real entry point (exit by signal, worker threads), spawn it with
 * `runCli` from ./run-cli.ts instead.
 *
 *   const r = await runMain(["coverage", "black-pixel-4x1", "p.json", "--json"]);  // { code, stdout, stderr }
 */
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.ts";

export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunMainOptions {
  /** Make stderr look like a terminal (progress bars are drawn only there). */
  stderrTty?: boolean;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/** Run `snn-atpg <args…>` in this process and collect its exit code and output. */
export async function runMain(args: readonly string[], opts: RunMainOptions = {}): Promise<MainRun> {
  const out = sink();
  const err = sink();
  if (opts.stderrTty) Object.assign(err.stream, { isTTY: true });
  const code = await main(["node", "snn-atpg", ...args], { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
