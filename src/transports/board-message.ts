/**
 * Messages of PROTOCOL.md v1 (line bodies, checksums already stripped): host
 * commands, board replies and `! LOG` lines, with parsers for both directions.
 *
 *   formatCommand(4, "STIM", { ev: "0@0,1@0" })      → "4 STIM ev=0@0,1@0"
 *   parseBoardLine("5 OK out=0@20870")               → { kind: "reply", tag: 5, ok: true, fields: { out: "0@20870" } }
 *   parseBoardLine("? ERR CHECKSUM bad line")        → { kind: "reply", tag: "?", ok: false, code: "CHECKSUM", text: "bad line" }
 *   parseBoardLine("! LOG temperature 31C")          → { kind: "log", text: "temperature 31C" }
 */

/** Verbs of protocol version 1. */
export const boardVerbs = ["HELLO", "RESET", "TIMING", "WRITE", "READ", "STIM", "FIRE", "TEMP?"] as const;
export type BoardVerb = (typeof boardVerbs)[number];

/** Error codes of protocol version 1. */
export const boardErrorCodes = ["CHECKSUM", "SYNTAX", "UNKNOWN", "UNSUPPORTED", "RANGE", "BUSY", "INTERNAL"] as const;
export type BoardErrorCode = (typeof boardErrorCodes)[number];

/** A host → board command. */
export interface BoardCommand {
  tag: number;
  verb: string;
  args: Record<string, string>;
}

/** A board → host line. */
export type BoardLine =
  | { kind: "reply"; tag: number | "?"; ok: true; fields: Record<string, string> }
  | { kind: "reply"; tag: number | "?"; ok: false; code: string; text: string }
  | { kind: "log"; text: string };

const keyValue = /^([a-z_][a-z0-9_]*)=(\S*)$/;

/** Parse `key=value` tokens; returns the offending token on failure. */
export function parseFields(tokens: string[]): { fields: Record<string, string> } | { bad: string } {
  const fields: Record<string, string> = {};
  for (const t of tokens) {
    const m = keyValue.exec(t);
    if (!m) return { bad: t };
    fields[m[1]] = m[2];
  }
  return { fields };
}

/** Body of a command line (without checksum). */
export function formatCommand(tag: number, verb: string, args: Record<string, string | number> = {}): string {
  const parts = [String(tag), verb, ...Object.entries(args).map(([k, v]) => `${k}=${v}`)];
  return parts.join(" ");
}

/** Parse a tag token: 0–65535 or `?`. */
export function parseTag(token: string | undefined): number | "?" | null {
  if (token === "?") return "?";
  if (token === undefined || !/^\d{1,5}$/.test(token)) return null;
  const n = Number(token);
  return n <= 65535 ? n : null;
}

/** Parse a board line body; null when it is no valid reply or log line. */
export function parseBoardLine(body: string): BoardLine | null {
  if (body.startsWith("! LOG")) {
    if (body.length > 5 && body[5] !== " ") return null;
    return { kind: "log", text: body.slice(6) };
  }
  const tokens = body.split(" ");
  const tag = parseTag(tokens[0]);
  if (tag === null) return null;
  if (tokens[1] === "OK") {
    const parsed = parseFields(tokens.slice(2).filter((t) => t !== ""));
    if ("bad" in parsed) return null;
    return { kind: "reply", tag, ok: true, fields: parsed.fields };
  }
  if (tokens[1] === "ERR" && tokens[2] && /^[A-Z]+$/.test(tokens[2])) {
    return { kind: "reply", tag, ok: false, code: tokens[2], text: tokens.slice(3).join(" ") };
  }
  return null;
}

/** Parse a host command body (board side). */
export function parseCommand(body: string): { command: BoardCommand } | { tag: number | "?"; error: string } {
  const tokens = body.split(" ");
  const tag = parseTag(tokens[0]);
  if (tag === null || tag === "?") return { tag: "?", error: `cannot read a tag in ${JSON.stringify(body.slice(0, 20))}` };
  const verb = tokens[1];
  if (!verb) return { tag, error: "missing verb" };
  const parsed = parseFields(tokens.slice(2));
  if ("bad" in parsed) return { tag, error: `malformed argument ${JSON.stringify(parsed.bad.slice(0, 40))}` };
  return { command: { tag, verb, args: parsed.fields } };
}

/** Body of an OK reply. */
export function formatOk(tag: number | "?", fields: Record<string, string | number> = {}): string {
  return [String(tag), "OK", ...Object.entries(fields).map(([k, v]) => `${k}=${v}`)].join(" ");
}

/** Body of an ERR reply. */
export function formatErr(tag: number | "?", code: BoardErrorCode, text: string): string {
  return `${tag} ERR ${code} ${text.replace(/[\r\n*]/g, " ")}`.trimEnd();
}

/** Body of a log line. */
export function formatLog(text: string): string {
  return `! LOG ${text.replace(/[\r\n*]/g, " ")}`;
}

/** `input@ps` list used by STIM and FIRE. */
export function formatEventList(events: readonly { index: number; timePs: number }[]): string {
  return events.map((e) => `${e.index}@${e.timePs}`).join(",");
}

/** Parse an `index@ps,…` list (empty string = empty list); null when malformed. */
export function parseEventList(text: string): { index: number; timePs: number }[] | null {
  if (text === "") return [];
  const out: { index: number; timePs: number }[] = [];
  for (const item of text.split(",")) {
    const m = /^(\d+)@(\d+)$/.exec(item);
    if (!m) return null;
    out.push({ index: Number(m[1]), timePs: Number(m[2]) });
  }
  return out;
}
