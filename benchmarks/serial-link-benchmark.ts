/**
 * Serial link benchmark (`npm run bench -- serial-link`, needs socat): the board
 * emulator and the host in one process, each on one end of a socat PTY pair, through
 * the real serialport package. Applies the mlp-16x8x4 fixture program 10 times,
 * without and with 5 % link noise (reply timeout 150 ms, delayed replies held 300 ms),
 * and prints vectors/s, round trips per vector and the retries the noise cost.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { executeProgram } from "../src/bench/bench-executor.ts";
import { checkProgramForBench, loadProgram } from "../src/formats/program-loader.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { createBoardEmulator, serveBoardEmulator } from "../src/targets/board-emulator.ts";
import { createSerialBoardTarget } from "../src/targets/serial-board-target.ts";
import { createSerialLineTransport } from "../src/transports/serial-line-transport.ts";

const root = join(import.meta.dirname, "..");

export default async function serialLinkBenchmark(): Promise<void> {
  if (spawnSync("socat", ["-V"], { stdio: "ignore" }).status !== 0) {
    console.log("skipped: socat is not installed (apt-get install socat)");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "snn-link-bench-"));
  const socat = spawn("socat", [`pty,raw,echo=0,link=${dir}/a`, `pty,raw,echo=0,link=${dir}/b`], { stdio: "ignore" });
  while (!(existsSync(`${dir}/a`) && existsSync(`${dir}/b`))) await new Promise((r) => setTimeout(r, 10));
  const file = join(root, "fixtures", "bench", "mlp-16x8x4.program.json");
  const bench = loadTestbench(join(root, "testbenches", "mlp-16x8x4.json"));
  const one = loadProgram(file);
  checkProgramForBench(one, file, bench);
  const program = { ...one, vectors: Array.from({ length: 10 }, (_, k) => one.vectors.map((v) => ({ ...v, id: `${v.id}-${k}` }))).flat() };
  try {
    for (const rate of [0, 0.05]) {
      const boardPort = createSerialLineTransport({ path: `${dir}/a` });
      await boardPort.open();
      const emu = createBoardEmulator({ bench: bench.bench, noise: rate ? { rate, seed: 5, delayMs: 300 } : undefined });
      const stop = serveBoardEmulator(boardPort, emu, { crlf: true });
      const t0 = performance.now();
      const run = await executeProgram({
        program,
        programFile: file,
        bench,
        target: createSerialBoardTarget({ transport: createSerialLineTransport({ path: `${dir}/b` }), replyTimeoutMs: 150 }),
        targetLabel: `${dir}/b`,
        dutId: "bench",
      });
      const s = (performance.now() - t0) / 1000;
      stop();
      await boardPort.close();
      const n = emu.noiseCounts;
      console.log(
        `noise ${rate}: ${program.vectors.length} vectors in ${s.toFixed(2)} s = ${(program.vectors.length / s).toFixed(0)} vectors/s, verdict ${run.footer.verdict}, ` +
          `${run.footer.retries} retries (${n.corrupt} corrupted, ${n.drop} dropped, ${n.delay} delayed, ${n.busy} BUSY, ${n.log} log lines), ${emu.fires} FIREs`,
      );
    }
  } finally {
    socat.kill("SIGTERM");
  }
}
