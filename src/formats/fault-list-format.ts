/**
 * The fault-list file (as Tessent's `read_faults`): what `coverage --faults-out`
 * writes and `coverage --faults` reads back — one fault id per line, anything after
 * `#` a comment, blank lines ignored. The ids are not checked here (they depend on the
 * bench and the fault-model parameters); this only finds them and their line numbers.
 *
 *   # snn-atpg 0.1.0 coverage of out/bp.json on black-pixel-4x1: …
 *   dead-synapse@l0.r1.c0  # ND: no vector changes the response
 *
 *   readFaultList("out/bp.faults")  // [{ id: "dead-synapse@l0.r1.c0", line: 2 }]
 */
import { readFileSync } from "node:fs";
import { FormatError, NotFoundError } from "./format-error.ts";

/** One listed fault id and the 1-based line it stands on. */
export interface FaultListEntry {
  id: string;
  line: number;
}

/** The fault ids of a fault-list text, in file order (duplicates kept). */
export function parseFaultList(text: string, file: string): FaultListEntry[] {
  const out: FaultListEntry[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const id = raw.replace(/#.*/, "").trim();
    if (id === "") continue;
    if (/\s/.test(id)) {
      throw new FormatError({
        file,
        where: `line ${i + 1}`,
        expected: "one fault id per line (text after # is a comment)",
        found: JSON.stringify(id.length > 60 ? `${id.slice(0, 60)}…` : id),
        hint: "put each fault id on its own line, e.g. dead-synapse@l0.r1.c0",
      });
    }
    out.push({ id, line: i + 1 });
  }
  if (out.length === 0) {
    throw new FormatError({ file, where: `line ${lines.length}`, expected: "at least one fault id", found: "only comments and blank lines", hint: "write the list with `snn-atpg coverage … --faults-out`, or leave --faults out to grade every fault" });
  }
  return out;
}

/** Read and parse a fault-list file. */
export function readFaultList(file: string): FaultListEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new NotFoundError(`${file}: cannot read the fault list (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseFaultList(text, file);
}
