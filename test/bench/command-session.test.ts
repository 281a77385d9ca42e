/**
 * Host-side protocol logic against a scripted fake board (in-memory transport):
 * resends, stale-reply handling, `?` tags, `! LOG` capture, refusals, timeouts and
 * an unplugged link. Real-port behaviour is covered by serial-pty.test.ts.
 */
import { describe, expect, it } from "vitest";
import { exitCodeOf } from "../../src/cli/exit-codes.ts";
import { InterruptedError } from "../../src/formats/errors.ts";
import { BoardRefusedError, PortError, ProtocolError, ReplyTimeoutError } from "../../src/transports/bench-error.ts";
import { formatErr, formatLog, formatOk, parseCommand } from "../../src/transports/board-message.ts";
import { BoardInternalError, CommandSession, ReplyLostError } from "../../src/transports/command-session.ts";
import { frameLine, unframeLine } from "../../src/transports/line-framing.ts";
import { createMemoryLinePair } from "../../src/transports/memory-line-transport.ts";

type Script = (cmd: { tag: number; verb: string; n: number }) => (string | { raw: string })[];

/** A fake board: `script` gets each command (n = how many of this verb so far) and returns line bodies (framed here) or raw lines. */
async function fakeBoard(script: Script, opts: { timeoutMs?: number; maxAttempts?: number; signal?: AbortSignal } = {}) {
  const [host, board] = createMemoryLinePair();
  await board.open();
  const seen: string[] = [];
  const counts = new Map<string, number>();
  board.onLine((line) => {
    seen.push(line);
    const body = unframeLine(line);
    if (!body.ok) return;
    const c = parseCommand(body.body);
    if (!("command" in c)) return;
    const n = (counts.get(c.command.verb) ?? 0) + 1;
    counts.set(c.command.verb, n);
    for (const out of script({ tag: c.command.tag, verb: c.command.verb, n })) void board.writeLine(typeof out === "string" ? frameLine(out) : out.raw);
  });
  await host.open();
  const session = new CommandSession(host, { replyTimeoutMs: opts.timeoutMs ?? 40, maxAttempts: opts.maxAttempts ?? 4, busyWaitMs: 1, signal: opts.signal });
  return { session, seen, host, board };
}

describe("CommandSession", () => {
  it("returns the fields of an OK reply and keeps ! LOG lines", async () => {
    const { session } = await fakeBoard(({ tag }) => [formatLog("pll locked"), formatOk(tag, { c: "25.0" })]);
    await expect(session.exchange("TEMP?", {}, { idempotent: true })).resolves.toEqual({ c: "25.0" });
    expect(session.drainLogs()).toEqual({ logs: ["pll locked"], logsOmitted: 0 });
    expect(session.drainLogs()).toEqual({ logs: [], logsOmitted: 0 });
    expect(session.retries).toBe(0);
  });

  it("keeps the first 8 and last 8 of 200 × 1 KB ! LOG lines, each cut to 256 characters, and counts the rest (issue 11 item 9)", async () => {
    const line = (i: number) => `log ${String(i).padStart(3, "0")} ${"x".repeat(1020)}`;
    const { session } = await fakeBoard(({ tag }) => [...Array.from({ length: 200 }, (_, i) => formatLog(line(i))), formatOk(tag)], { timeoutMs: 10_000 });
    await session.exchange("FIRE", {}, { idempotent: true });
    const { logs, logsOmitted } = session.drainLogs();
    expect(logsOmitted).toBe(200 - 16);
    expect(logs.map((l) => l.slice(0, 7))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 192, 193, 194, 195, 196, 197, 198, 199].map((i) => line(i).slice(0, 7)));
    expect(logs.every((l) => l.length === 256 && l.endsWith("…"))).toBe(true);
  });

  it("resends on ERR CHECKSUM (also with a ? tag) and ERR BUSY, with a new tag each time", async () => {
    const { session, seen } = await fakeBoard(({ tag, n }) => [n === 1 ? formatErr("?", "CHECKSUM", "bad") : n === 2 ? formatErr(tag, "BUSY", "running") : formatOk(tag)]);
    await expect(session.exchange("RESET", {}, { idempotent: true })).resolves.toEqual({});
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((l) => l.split(" ")[0])).size).toBe(3);
    expect(session.retries).toBe(2);
  });

  it("resends an idempotent command after a corrupt or missing reply, and drops late replies", async () => {
    let lateTag = -1;
    const { session } = await fakeBoard(({ tag, n }) => {
      if (n === 1) {
        lateTag = tag;
        return [{ raw: frameLine(formatOk(tag)).replace("OK", "OQ") }]; // corrupt: checksum fails
      }
      if (n === 2) return []; // lost
      return [formatOk(lateTag, { late: "1" }), formatOk(tag, { fresh: "1" })];
    });
    await expect(session.exchange("HELLO", {}, { idempotent: true })).resolves.toEqual({ fresh: "1" });
    expect(session.retries).toBe(2);
    expect(session.staleReplies).toBe(1);
  });

  it("does not resend STIM or FIRE after a lost reply: the caller must RESET and replay", async () => {
    const { session, seen } = await fakeBoard(() => []);
    await expect(session.exchange("FIRE", { windows: 3 }, { idempotent: false })).rejects.toBeInstanceOf(ReplyLostError);
    expect(seen).toHaveLength(1);
  });

  it("stops at once on SYNTAX, RANGE, UNKNOWN, UNSUPPORTED with a message naming the port and command", async () => {
    for (const code of ["SYNTAX", "RANGE", "UNKNOWN", "UNSUPPORTED"] as const) {
      const { session, seen } = await fakeBoard(({ tag }) => [formatErr(tag, code, "nope")]);
      const err = await session.exchange("STIM", { ev: "9@0" }, { idempotent: false }).catch((e) => e);
      expect(err).toBeInstanceOf(BoardRefusedError);
      expect(err.code).toBe(code);
      expect(err.message).toMatch(/memory:host: board refused ".*STIM ev=9@0" with ERR/);
      expect(exitCodeOf(err)).toBe(3);
      expect(seen).toHaveLength(1);
    }
  });

  it("reports ERR INTERNAL so the caller can reset and redo the vector", async () => {
    const { session } = await fakeBoard(({ tag }) => [formatErr(tag, "INTERNAL", "fpga fifo overrun")]);
    await expect(session.exchange("FIRE", { windows: 1 }, { idempotent: false })).rejects.toBeInstanceOf(BoardInternalError);
  });

  it("treats a well-checksummed but malformed reply as a protocol error, quoting it", async () => {
    const { session } = await fakeBoard(({ tag }) => [`${tag} OK out:garbled`]);
    const err = await session.exchange("FIRE", { windows: 1 }, { idempotent: false }).catch((e) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toMatch(/malformed reply ".* OK out:garbled\*[0-9A-F]{2}"/);
  });

  it("gives up after maxAttempts with a clear message", async () => {
    const { session, seen } = await fakeBoard(() => [], { maxAttempts: 3, timeoutMs: 20 });
    const err = await session.exchange("HELLO", {}, { idempotent: true }).catch((e) => e);
    expect(err).toBeInstanceOf(ReplyTimeoutError);
    expect(err.message).toMatch(/board stopped answering: HELLO failed 3 times \(last: no reply within 20 ms\)/);
    expect(seen).toHaveLength(3);
  });

  it("detects an unplugged link immediately, not after the timeout", async () => {
    const { session, host } = await fakeBoard(() => [], { timeoutMs: 5000 });
    const t0 = Date.now();
    setTimeout(() => host.unplug(), 10);
    await expect(session.exchange("HELLO", {}, { idempotent: true })).rejects.toBeInstanceOf(PortError);
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(session.exchange("HELLO", {}, { idempotent: true })).rejects.toThrow(/unplugged/);
  });

  it("ends a pending wait with InterruptedError on abort", async () => {
    const ac = new AbortController();
    const { session } = await fakeBoard(() => [], { timeoutMs: 5000, signal: ac.signal });
    setTimeout(() => ac.abort(), 10);
    await expect(session.exchange("HELLO", {}, { idempotent: true })).rejects.toBeInstanceOf(InterruptedError);
  });
});
