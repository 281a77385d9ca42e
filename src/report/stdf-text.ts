/**
 * Text as STDF V4 can hold it (C*n: a length byte and at most 255 single-byte
 * characters; we write ISO 8859-1). A dut id like "芯片-7" or "Ānode" would otherwise be
 * written byte by byte from its UTF-16 code units — "Ā" (U+0100) became a NUL inside
 * the string — and an id over 255 characters was cut silently. Here accents are folded
 * (NFKD, combining marks dropped: "Ā" → "A"), whatever is still outside printable
 * Latin-1 becomes "?", and a cut to 255 characters is reported. The caller (the CLI)
 * warns with `changes`; the datalog keeps the original text.
 *
 *   stdfText("芯片-7")   // { text: "??-7", changes: ["2 character(s) outside Latin-1 written as \"?\""] }
 */

/** The most a C*n field holds. */
export const stdfMaxChars = 255;

export function stdfText(s: string): { text: string; changes: string[] } {
  const changes: string[] = [];
  let replaced = 0;
  let folded = 0;
  let text = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff)) {
      text += ch;
      continue;
    }
    const base = ch.normalize("NFKD").replace(/\p{M}/gu, "");
    if (base.length > 0 && [...base].every((b) => { const d = b.codePointAt(0)!; return (d >= 0x20 && d <= 0x7e) || (d >= 0xa0 && d <= 0xff); })) {
      text += base;
      folded++;
    } else {
      text += "?";
      replaced++;
    }
  }
  if (folded) changes.push(`${folded} accented character(s) written without their accents`);
  if (replaced) changes.push(`${replaced} character(s) outside printable Latin-1 written as "?"`);
  if (text.length > stdfMaxChars) {
    changes.push(`cut from ${text.length} to ${stdfMaxChars} characters`);
    text = text.slice(0, stdfMaxChars);
  }
  return { text, changes };
}
