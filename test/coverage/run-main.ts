/**
 * Run the CLI in-process (`main()` with captured streams): the same code path as
 * `node bin/snn-atpg.js …` without a process start per call.
 *
 *   const r = await runMain(["coverage", "black-pixel-4x1", "p.json", "--json"]);  r.code, r.stdout, r.stderr
 */
import { Writable } from "node:stream";
import { main } from "../../src/cli/main.ts";

export interface MainRun {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

/** `stderrTty` makes stderr look like a terminal (progress bars are drawn only there). */
export async function runMain(args: string[], opts: { stderrTty?: boolean } = {}): Promise<MainRun> {
  const out = sink();
  const err = sink();
  if (opts.stderrTty) Object.assign(err.stream, { isTTY: true });
  const code = await main(["node", "snn-atpg", ...args], { stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}
