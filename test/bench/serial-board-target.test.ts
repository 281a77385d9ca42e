/**
 * The serial-board target and the board emulator, wired through an in-memory line
 * pair (no port): HELLO checks, STIM chunking within the line limit, RESET + replay
 * after a lost FIRE or a wrong count, the emulator's error replies, and a heavily
 * noisy link that still gives the noiseless answers.
 */
import { ReadlineParser } from "@serialport/parser-readline";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { createBoardEmulator, serveBoardEmulator, type BoardEmulatorOptions } from "../../src/targets/board-emulator.ts";
import { createSerialBoardTarget, stimChunks } from "../../src/targets/serial-board-target.ts";
import { ProtocolError } from "../../src/transports/bench-error.ts";
import { formatOk } from "../../src/transports/board-message.ts";
import { frameLine, maxLineBytes, unframeLine } from "../../src/transports/line-framing.ts";
import { LineLimitGuard } from "../../src/transports/line-limit-guard.ts";
import { createMemoryLinePair } from "../../src/transports/memory-line-transport.ts";

const bp = loadTestbench("testbenches/black-pixel-4x1.json").bench;
const verbOf = (line: string) => (unframeLine(line) as { body: string }).body.split(" ")[1];
const allOnes = (windows: number) => [0, 1, 2, 3].flatMap((input) => Array.from({ length: windows }, (_, w) => ({ input, timePs: w * 10000 })));

/** A target talking to an emulator; `tamper` may replace the emulator's reply lines. */
async function rig(o: Partial<BoardEmulatorOptions> = {}, tamper?: (cmd: string, replies: string[]) => string[], replyTimeoutMs = 40) {
  const [host, board] = createMemoryLinePair();
  await board.open();
  const emu = createBoardEmulator({ bench: bp, ...o });
  const received: string[] = [];
  if (tamper) {
    board.onLine((line) => {
      received.push(line);
      for (const l of tamper(line, emu.handleLine(line).map((r) => r.line))) void board.writeLine(l);
    });
  } else {
    board.onLine((line) => received.push(line));
    serveBoardEmulator(board, emu);
  }
  const target = createSerialBoardTarget({ transport: host, replyTimeoutMs, maxAttempts: 4 });
  return { target, received, emu };
}

describe("serial board target ↔ board emulator", () => {
  it("opens with HELLO, sets timing and reads the good chip's spike at tick resolution", async () => {
    // a generous reply timeout: a slow reply on a loaded machine must not look like a lost one (a resent HELLO)
    const { target, received } = await rig({}, undefined, 5000);
    await expect(target.open()).resolves.toEqual({ kind: "serial", identity: "snnb-emu-black-pixel-4x1", firmware: "1.0.0-emu", inputs: 4, outputs: 1, tickPs: 10 });
    await expect(target.setTiming(1004, 8996)).resolves.toEqual({ iwPs: 1000, lwPs: 9000 });
    const r = await target.apply({ events: allOnes(3), windows: 3 });
    expect(r.spikes).toHaveLength(1);
    expect(r.spikes[0].output).toBe(0);
    expect(r.spikes[0].timePs % 10).toBe(0);
    expect(r.spikes[0].timePs).toBeGreaterThan(20000);
    expect(r.retries).toBe(0);
    expect(received.map(verbOf)).toEqual(["HELLO", "TIMING", "RESET", "STIM", "FIRE"]);
  });

  it("refuses a board speaking another protocol version, naming both versions", async () => {
    const { target } = await rig({ protocolVersion: 2 });
    const err = await target.open().catch((e) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toMatch(/memory:host: HELLO reply: the board speaks protocol version 2 \(proto=2\), this host speaks version 1/);
  });

  it("cuts a long stimulus into STIM lines within the 65,536-byte limit, and the board counts them all", async () => {
    const events = allOnes(2000); // 8,000 events, ~76 kB of ev= text
    const chunks = stimChunks(events);
    expect(chunks.length).toBe(2);
    const { target, received } = await rig({}, undefined, 5000); // simulating 2,000 windows takes a while
    await target.open();
    await target.setTiming(1000, 9000);
    const r = await target.apply({ events, windows: 2000 });
    const stims = received.filter((l) => l.includes(" STIM "));
    expect(stims).toHaveLength(chunks.length);
    for (const l of stims) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(maxLineBytes);
    expect(r.spikes.length).toBeGreaterThan(100);
    // a tiny limit makes many chunks, each within it
    for (const c of stimChunks(allOnes(3), 40)) expect(`65535 STIM ev=${c.map((e) => `${e.index}@${e.timePs}`).join(",")}*hh`.length).toBeLessThanOrEqual(40);
  });

  it("after a lost FIRE reply sends RESET and replays the vector from its first STIM", async () => {
    let fires = 0;
    // 1 s: long enough that only the dropped reply times out on a loaded machine, short enough to keep the test quick
    const { target, received } = await rig({}, (cmd, replies) => (cmd.includes(" FIRE ") && ++fires === 1 ? [] : replies), 1000);
    await target.open();
    await target.setTiming(1000, 9000);
    const r = await target.apply({ events: allOnes(3), windows: 3 });
    expect(r.spikes).toHaveLength(1);
    expect(r.retries).toBe(1);
    const verbs = received.map(verbOf);
    expect(verbs.slice(verbs.indexOf("RESET"))).toEqual(["RESET", "STIM", "FIRE", "RESET", "STIM", "FIRE"]);
  });

  it("replays when the STIM count disagrees, and gives up with a located error if it never agrees", async () => {
    let stims = 0;
    const wrongOnce = await rig({}, (cmd, replies) => {
      if (!cmd.includes(" STIM ") || ++stims > 1) return replies;
      const tag = Number(cmd.split(" ")[0]);
      return [frameLine(formatOk(tag, { count: 99 }))];
    }, 2000);
    await wrongOnce.target.open();
    await wrongOnce.target.setTiming(1000, 9000);
    await expect(wrongOnce.target.apply({ events: allOnes(3), windows: 3 })).resolves.toMatchObject({ retries: 1 });

    const alwaysWrong = await rig({}, (cmd, replies) => (cmd.includes(" STIM ") ? [frameLine(formatOk(Number(cmd.split(" ")[0]), { count: 7 }))] : replies), 2000);
    await alwaysWrong.target.open();
    await alwaysWrong.target.setTiming(1000, 9000);
    await expect(alwaysWrong.target.apply({ events: allOnes(3), windows: 3 })).rejects.toThrow(/STIM reply says count=7, but 12 events were sent/);
  });

  it("still gets the noiseless answers through a very noisy link (30 % of replies disturbed)", async () => {
    const clean = await rig();
    const noisy = await rig({ noise: { rate: 0.3, seed: 11, delayMs: 60 } });
    for (const r of [clean, noisy]) {
      await r.target.open();
      await r.target.setTiming(1000, 9000);
    }
    let retries = 0;
    for (let w = 3; w <= 8; w++) {
      const a = await clean.target.apply({ events: allOnes(w), windows: w });
      const b = await noisy.target.apply({ events: allOnes(w), windows: w });
      expect(b.spikes).toEqual(a.spikes);
      retries += b.retries;
    }
    expect(retries).toBeGreaterThan(0);
  });
});

describe("board emulator replies", () => {
  const emu = createBoardEmulator({ bench: bp, perturbations: [{ site: { kind: "cell", layer: 0, row: 2, col: 0 }, quantity: "conductance", op: "set", value: 0 }] });
  const ask = (body: string) => emu.handleLine(frameLine(body)).map((r) => unframeLine(r.line)).map((u) => (u.ok ? u.body : "corrupt"));

  it("answers corrupt lines with ? ERR CHECKSUM and unreadable tags with ? ERR SYNTAX", () => {
    expect(emu.handleLine("1 HELLO*00").map((r) => r.line)[0]).toMatch(/^\? ERR CHECKSUM/);
    expect(ask("x HELLO")[0]).toMatch(/^\? ERR SYNTAX/);
  });

  it("checks verbs, keys and ranges", () => {
    expect(ask("1 JUMP")[0]).toMatch(/^1 ERR UNKNOWN/);
    expect(ask("2 TIMING iw_ps=1000")[0]).toMatch(/^2 ERR SYNTAX missing lw_ps=/);
    expect(ask("3 STIM ev=4@0")[0]).toMatch(/^3 ERR RANGE input 4 does not exist/);
    expect(ask("4 STIM ev=0@25000")[0]).toBe("4 OK count=1");
    expect(ask("5 FIRE windows=2")[0]).toMatch(/^5 ERR RANGE .*ends after the run/);
    expect(ask("6 FIRE windows=3")[0]).toMatch(/^6 OK out=/);
    expect(ask("7 FIRE windows=3")[0]).toBe("7 OK out="); // the buffer was cleared
    expect(ask("8 HELLO extra=1")[0]).toMatch(/^8 ERR SYNTAX unknown key extra/);
  });

  it("READ senses the written weights and the injected dead synapse", () => {
    expect(ask("1 READ layer=0 row=1")[0]).toBe("1 OK bits=1");
    expect(ask("2 WRITE layer=0 row=1 bits=0")[0]).toBe("2 OK");
    expect(ask("3 READ layer=0 row=1")[0]).toBe("3 OK bits=0");
    expect(ask("4 READ layer=0 row=2")[0]).toBe("4 OK bits=0"); // dead synapse: no current, reads as high resistance
    expect(ask("5 WRITE layer=0 row=1 bits=01")[0]).toMatch(/^5 ERR RANGE/);
  });
});

describe("line limit guard", () => {
  it("passes normal lines and cuts an overlong one so the parser never buffers more than the limit", async () => {
    const lines: string[] = [];
    const src = Readable.from([Buffer.from("1 OK*17\r\n" + "y".repeat(30)), Buffer.from("z".repeat(30) + "\n2 OK*14\n")]);
    const parser = src.pipe(new LineLimitGuard(40)).pipe(new ReadlineParser({ delimiter: "\n", encoding: "latin1" }));
    parser.on("data", (l: string) => lines.push(l)); // one event per line (an async iterator would concatenate)
    await new Promise((resolve) => parser.on("end", resolve));
    expect(lines).toEqual(["1 OK*17\r", "y".repeat(30) + "z".repeat(12), "2 OK*14"]);
    expect(lines[1].length).toBe(42); // over the limit even after a \r would be stripped: reported as overlong
  });
});
