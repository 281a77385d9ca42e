/**
 * Values a board sends are checked, not trusted (issue 11, item 9), over a real PTY pair:
 * a board whose replies are well-framed (valid checksums) but whose values are absurd —
 * HELLO tick_ps=0, a TIMING reply of iw_ps=99999999999999999999999 (past 2⁵³: Node would
 * round it and wait "500000000001000 ms"), or iw_ps=10¹⁵ (representable, but far outside
 * the bench's 500–2000 ps) — ends the run with exit 3 and a message naming the reply and
 * the field, before anything is measured.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createBoardEmulator, serveBoardEmulator, type BoardEmulator } from "../../src/targets/board-emulator.ts";
import { frameLine, unframeLine } from "../../src/transports/line-framing.ts";
import { createSerialLineTransport } from "../../src/transports/serial-line-transport.ts";
import { hasSocat, runSerialHere, startPtyPair, type PtyPair } from "./pty-rig.ts";

const program = "fixtures/bench/black-pixel-4x1.program.json";
const { bench } = loadTestbench("testbenches/black-pixel-4x1.json");

/** The real emulator, with `field=value` replaced in its replies to `verb`. */
function hostileBoard(verb: string, field: string, value: string): BoardEmulator {
  const emu = createBoardEmulator({ bench });
  // Everything else (getters, other handlers) is the emulator's own, by prototype.
  const hostile: BoardEmulator = Object.create(emu);
  hostile.handleLine = (raw) => {
    const u = unframeLine(raw);
    const isVerb = u.ok && new RegExp(`^\\d+ ${verb}\\b`).test(u.body);
    return emu.handleLine(raw).map((r) => {
      const reply = unframeLine(r.line);
      return isVerb && reply.ok ? { ...r, line: frameLine(reply.body.replace(new RegExp(`\\b${field}=\\d+`), `${field}=${value}`)) } : r;
    });
  };
  return hostile;
}

describe.runIf(hasSocat)("absurd values from a board over a real PTY", () => {
  let pty: PtyPair;
  beforeAll(async () => {
    pty = await startPtyPair();
  });
  afterAll(async () => {
    await pty?.stop();
  });

  const cases = [
    { verb: "HELLO", field: "tick_ps", value: "0", msg: /HELLO reply has tick_ps=0; PROTOCOL\.md requires at least 1/ },
    { verb: "TIMING", field: "iw_ps", value: "99999999999999999999999", msg: /TIMING reply has iw_ps=99999999999999999999999, beyond any value a board can mean/ },
    { verb: "TIMING", field: "iw_ps", value: "1000000000000000", msg: /the TIMING reply has iw_ps=1000000000000000 for a request of iw_ps=1000 lw_ps=9000; testbench black-pixel-4x1 allows 500 to 2000 ps/ },
  ];
  for (const c of cases) {
    it(`${c.verb} ${c.field}=${c.value}: exit 3 naming the reply, no stack trace`, async () => {
      const transport = createSerialLineTransport({ path: pty.a, watchdogMs: 0 });
      await transport.open();
      const stop = serveBoardEmulator(transport, hostileBoard(c.verb, c.field, c.value));
      try {
        const run = await runSerialHere(program, pty.b, ["--no-diagnose"]);
        expect(run.code, run.stderr).toBe(3);
        expect(run.stderr).toContain(pty.b);
        expect(run.stderr).toMatch(c.msg);
        expect(run.stderr).not.toMatch(/\n\s+at |internal error|TimeoutOverflowWarning/);
      } finally {
        stop();
        await transport.close();
      }
    }, 30_000);
  }
});
