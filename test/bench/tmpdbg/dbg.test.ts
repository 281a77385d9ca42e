import { it } from "vitest";
import { runSerial, startEmulator, startPtyPair } from "../pty-rig.ts";
it("dbg", async () => {
  for (let k = 0; k < 4; k++) {
    const pty = await startPtyPair();
    const emu = await startEmulator("black-pixel-4x1", pty.a, ["--fire-delay-ms", "40"]);
    const run = runSerial("fixtures/bench/black-pixel-4x1.program.json", pty.b, ["--timeout-ms", "5000", "--attempts", "2"]);
    await run.waitFor("PASS  p0001");
    const t0 = Date.now();
    await pty.stop();
    const t1 = Date.now();
    const r = await run.done;
    console.log(k, "socat stop", t1 - t0, "ms; run done", Date.now() - t0, "ms", r.code, r.stderr.slice(0, 300), "| emu:", (await emu.kill()).stderr.slice(0, 200));
  }
}, 60000);
