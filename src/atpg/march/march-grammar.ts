/**
 * The march notation (src/formats/march-test-format.ts) → march elements, and the
 * march-test files of `march-tests/` → validated algorithms.
 *
 *   parseMarchElements("⇕(w0); ⇑(r0,w1); ⇓(r1,w0)")
 *   // [{ kind: "sweep", order: "any", ops: ["w0"] }, { kind: "sweep", order: "up", ops: ["r0", "w1"] }, …]
 *
 * Errors name the file, the field and the character where parsing stopped, and say
 * what was expected there.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../package-root.ts";
import { FormatError, NotFoundError } from "../../formats/format-error.ts";
import { loadJsonFile } from "../../formats/load-json.ts";
import { marchTestSchema, type MarchTestFile } from "../../formats/march-test-format.ts";

export type MarchOp = "r0" | "r1" | "w0" | "w1";
export type MarchOrder = "up" | "down" | "any";

export type MarchElement = { kind: "sweep"; order: MarchOrder; ops: MarchOp[] } | { kind: "pause"; dwellNs: number };

export interface MarchTest {
  id: string;
  title: string;
  file: string;
  notation: string;
  elements: MarchElement[];
  /** Read and write operations per address (pauses not counted). */
  operationsPerAddress: number;
}

const orders: Record<string, MarchOrder> = { "⇑": "up", "⇓": "down", "⇕": "any", up: "up", down: "down", any: "any" };

/** Parse march notation; `where` locates errors (file and field). */
export function parseMarchElements(text: string, where: { file: string; field: string } = { file: "(notation)", field: "elements" }): MarchElement[] {
  const fail = (at: number, expected: string): never => {
    const found = at < text.length ? `"${text.slice(at, at + 12)}"` : "the end of the text";
    throw new FormatError({ file: where.file, where: `${where.field} (character ${at + 1})`, expected, found, hint: "march notation: ⇕(w0); ⇑(r0,w1); pause(1e9); ⇓(r1,w0)" });
  };
  const out: MarchElement[] = [];
  const parts = text.split(";");
  let offset = 0;
  for (const part of parts) {
    const lead = part.length - part.trimStart().length;
    const body = part.trim();
    const at = offset + lead;
    offset += part.length + 1;
    if (body === "") fail(at, "a march element (order and operations in parentheses, or pause(ns))");
    const m = /^(⇑|⇓|⇕|up|down|any|pause)\s*\((.*)\)$/u.exec(body);
    if (!m) fail(at, "an order ⇑ ⇓ ⇕ (or up/down/any) or pause, then ( … )");
    const [, head, inner] = m!;
    const innerAt = at + body.indexOf("(") + 1;
    if (head === "pause") {
      const ns = Number(inner.trim());
      if (!(ns > 0) || !Number.isFinite(ns)) fail(innerAt, "a positive dwell time in ns, e.g. pause(1e9)");
      out.push({ kind: "pause", dwellNs: ns });
      continue;
    }
    const ops: MarchOp[] = [];
    let opAt = innerAt;
    for (const raw of inner.split(",")) {
      const op = raw.trim();
      if (!/^(r0|r1|w0|w1)$/.test(op)) fail(opAt + (raw.length - raw.trimStart().length), "an operation r0, r1, w0 or w1");
      ops.push(op as MarchOp);
      opAt += raw.length + 1;
    }
    out.push({ kind: "sweep", order: orders[head], ops });
  }
  return out;
}

/** Operations per address of parsed elements. */
export function operationsPerAddress(elements: readonly MarchElement[]): number {
  return elements.reduce((s, e) => s + (e.kind === "sweep" ? e.ops.length : 0), 0);
}

/** Check an algorithm's first read: a read before any write reads the mission weights, which have no solid value. */
function checkReadsAfterWrites(elements: readonly MarchElement[], file: string): void {
  for (const e of elements) {
    if (e.kind !== "sweep") continue;
    if (e.ops[0].startsWith("w")) return;
    throw new FormatError({ file, where: "elements", expected: "a write before the first read (the array holds the mission weights, not a solid background)", found: `${e.ops[0]} first`, hint: "start with ⇕(w0)" });
  }
}

/** Load one march-test file. */
export function loadMarchTestFile(file: string): MarchTest {
  const f: MarchTestFile = loadJsonFile(file, marchTestSchema);
  const elements = parseMarchElements(f.elements, { file, field: "elements" });
  checkReadsAfterWrites(elements, file);
  const n = operationsPerAddress(elements);
  if (f.operationsPerAddress !== undefined && f.operationsPerAddress !== n) {
    throw new FormatError({ file, where: "operationsPerAddress", expected: `${n} (the operations in "elements")`, found: String(f.operationsPerAddress) });
  }
  return { id: f.id, title: f.title, file, notation: f.elements, elements, operationsPerAddress: n };
}

/** The shipped march-test directory. */
export const defaultMarchTestDir = join(packageRoot, "march-tests");

/** Load a march test by id (from `dir`) or by path. */
export function loadMarchTest(idOrFile: string, dir = defaultMarchTestDir): MarchTest {
  if (idOrFile.endsWith(".json")) return loadMarchTestFile(idOrFile);
  let names: string[];
  try {
    names = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    throw new NotFoundError(`${dir}: cannot list march tests`);
  }
  const file = names.find((f) => f === `${idOrFile}.json`);
  if (!file) throw new NotFoundError(`unknown march test "${idOrFile}"; known: ${names.map((f) => f.slice(0, -5)).join(", ")}`);
  return loadMarchTestFile(join(dir, file));
}
