/**
 * Line framing and message parsing of PROTOCOL.md v1, checked against the protocol's
 * own example exchange (fixtures/bench/protocol-v1-example.txt, copied from the
 * example block of PROTOCOL.md; its checksums are real). The checksums are verified in
 * both directions — received lines (unframeLine) and sent lines (frameLine) — against
 * the example lines and an XOR decoder written independently here, so a bug shared by
 * the host and the emulator (both use line-framing.ts) cannot pass.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatCommand, formatEventList, parseBoardLine, parseCommand, parseEventList } from "../../src/transports/board-message.ts";
import { checksumOf, frameLine, maxLineBytes, unframeLine } from "../../src/transports/line-framing.ts";

const example = readFileSync("fixtures/bench/protocol-v1-example.txt", "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"));
/** PROTOCOL.md lives in ../shared of the main checkout; from a git worktree under ../wt/<name>, two levels up. */
const protocolDoc = ["../shared/PROTOCOL.md", "../../shared/PROTOCOL.md"].find((p) => existsSync(p));

/** Independent decoder: split at the last `*`, XOR the char codes of the body by hand. */
function decodeIndependently(line: string): { body: string; given: number; computed: number } {
  const star = line.lastIndexOf("*");
  const body = line.slice(0, star);
  let x = 0;
  for (let k = 0; k < body.length; k++) x = x ^ body.charCodeAt(k);
  return { body, given: Number.parseInt(line.slice(star + 1), 16), computed: x };
}

describe("PROTOCOL.md example lines", () => {
  it("the example checksums are right by an independent XOR, and line-framing agrees both ways", () => {
    expect(example.length).toBe(10);
    for (const line of example) {
      const d = decodeIndependently(line);
      expect(d.computed, line).toBe(d.given);
      expect(frameLine(d.body), `host side frames ${d.body}`).toBe(line);
      expect(unframeLine(line), `board side accepts ${line}`).toEqual({ ok: true, body: d.body });
      expect(unframeLine(`${d.body}*${((d.given ^ 1) & 0xff).toString(16).toUpperCase().padStart(2, "0")}`).ok, `a wrong checksum on ${d.body}`).toBe(false);
    }
    // By hand: "1 HELLO" = 0x31 ^ 0x20 ^ 0x48 ^ 0x45 ^ 0x4C ^ 0x4C ^ 0x4F = 0x53.
    expect(checksumOf("1 HELLO")).toBe("53");
  });

  it("every example line has a correct checksum and re-frames to itself", () => {
    expect(example.length).toBe(10);
    for (const line of example) {
      const u = unframeLine(line);
      expect(u.ok, line).toBe(true);
      if (u.ok) expect(frameLine(u.body)).toBe(line);
    }
  });

  it("host lines parse as commands and board lines as replies with the same tag", () => {
    for (let i = 0; i < example.length; i += 2) {
      const cmd = parseCommand((unframeLine(example[i]) as { body: string }).body);
      const reply = parseBoardLine((unframeLine(example[i + 1]) as { body: string }).body);
      expect("command" in cmd).toBe(true);
      if (!("command" in cmd) || reply?.kind !== "reply") throw new Error("parse failed");
      expect(reply.tag).toBe(cmd.command.tag);
      expect(reply.ok).toBe(true);
      // our formatter writes the same command line
      expect(frameLine(formatCommand(cmd.command.tag, cmd.command.verb, cmd.command.args))).toBe(example[i]);
    }
    const hello = parseBoardLine((unframeLine(example[1]) as { body: string }).body);
    expect(hello).toEqual({ kind: "reply", tag: 1, ok: true, fields: { proto: "1", board: "snnb-4x1", fw: "1.0.3", inputs: "4", outputs: "1", tick_ps: "10" } });
    const stim = parseCommand((unframeLine(example[6]) as { body: string }).body);
    if (!("command" in stim)) throw new Error("STIM did not parse");
    expect(parseEventList(stim.command.args.ev)).toHaveLength(12);
  });

  it.runIf(protocolDoc !== undefined)(`the fixture is the example block of ${protocolDoc ?? "../shared/PROTOCOL.md (NOT FOUND: skipped)"} (no drift)`, () => {
    const doc = readFileSync(protocolDoc!, "utf8");
    const block = /## Example\s+```\n([\s\S]*?)```/.exec(doc)?.[1].trim().split("\n");
    expect(block).toEqual(example);
  });
});

describe("framing", () => {
  it("XORs the bytes before the star", () => {
    expect(checksumOf("")).toBe("00");
    expect(checksumOf("A")).toBe("41");
    expect(checksumOf("AA")).toBe("00");
  });

  it("accepts \\r\\n endings and rejects wrong, missing or lower-case checksums", () => {
    expect(unframeLine("3 OK*17\r")).toEqual({ ok: true, body: "3 OK" });
    expect(unframeLine("3 OK*18")).toMatchObject({ ok: false, reason: expect.stringContaining("wrong") });
    expect(unframeLine("3 OK")).toMatchObject({ ok: false, reason: "checksum missing" });
    expect(unframeLine("5 OK out=0@20870*2f")).toMatchObject({ ok: false });
    expect(unframeLine(frameLine("x".repeat(maxLineBytes - 3))).ok).toBe(true);
    expect(unframeLine(frameLine("x".repeat(maxLineBytes - 2))).ok).toBe(false);
  });

  it("parses errors with ? tags, logs, empty spike lists", () => {
    expect(parseBoardLine("? ERR CHECKSUM bad line")).toEqual({ kind: "reply", tag: "?", ok: false, code: "CHECKSUM", text: "bad line" });
    expect(parseBoardLine("! LOG temperature 31C")).toEqual({ kind: "log", text: "temperature 31C" });
    expect(parseBoardLine("5 OK out=")).toEqual({ kind: "reply", tag: 5, ok: true, fields: { out: "" } });
    expect(parseBoardLine("70000 OK")).toBeNull();
    expect(parseBoardLine("5 OK out:garbled")).toBeNull();
    expect(parseEventList("")).toEqual([]);
    expect(parseEventList("0@1,x@2")).toBeNull();
    expect(formatEventList([{ index: 2, timePs: 30 }, { index: 0, timePs: 0 }])).toBe("2@30,0@0");
  });
});
