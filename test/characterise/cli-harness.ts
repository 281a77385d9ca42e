/**
 * Run the snn-atpg CLI in-process (`main()` from src/cli/main.ts) with captured
 * stdout/stderr, for the characterisation tests.
 *
 *   const r = await runCli(["sweep-open", "black-pixel-4x1", "--table", "--json"]);  // { code, stdout, stderr }
 */
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
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

export async function runCli(args: string[]): Promise<CliRun> {
  const out = sink();
  const err = sink();
  const code = await main(["node", "snn-atpg", ...args], { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
