/**
 * Line framing of PROTOCOL.md v1: every line ends with `*hh`, the XOR of every byte
 * before the `*` as two upper-case hex digits (NMEA 0183 style). The host ends lines
 * with `\n`; the board may use `\n` or `\r\n`. A line is at most 65,536 bytes
 * (counted without its terminator, `*hh` included).
 *
 *   frameLine("1 HELLO")          → "1 HELLO*53"
 *   unframeLine("1 OK*17\r")      → { ok: true, body: "1 OK" }   (tag 1; checksum ok)
 */

/** Longest line either side may send, bytes, terminator excluded. */
export const maxLineBytes = 65_536;

/** XOR of the bytes of `body` as two upper-case hex digits. */
export function checksumOf(body: string): string {
  let x = 0;
  for (const b of Buffer.from(body, "latin1")) x ^= b;
  return x.toString(16).toUpperCase().padStart(2, "0");
}

/** Append `*hh` to a line body. */
export function frameLine(body: string): string {
  return `${body}*${checksumOf(body)}`;
}

/** Result of checking one received line. */
export type UnframedLine = { ok: true; body: string } | { ok: false; reason: string };

/** Strip a trailing `\r`, check and strip the `*hh` checksum. */
export function unframeLine(raw: string): UnframedLine {
  const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (Buffer.byteLength(line, "latin1") > maxLineBytes) return { ok: false, reason: `line longer than ${maxLineBytes} bytes` };
  const star = line.lastIndexOf("*");
  if (star < 0 || star !== line.length - 3) return { ok: false, reason: "checksum missing" };
  const body = line.slice(0, star);
  const given = line.slice(star + 1);
  if (!/^[0-9A-F]{2}$/.test(given)) return { ok: false, reason: `checksum "${given}" is not two upper-case hex digits` };
  const want = checksumOf(body);
  if (given !== want) return { ok: false, reason: `checksum ${given} wrong (computed ${want})` };
  return { ok: true, body };
}

/** Shorten a line for an error message. */
export function quoteLine(line: string, max = 80): string {
  const s = line.length > max ? `${line.slice(0, max - 1)}…` : line;
  return JSON.stringify(s);
}
