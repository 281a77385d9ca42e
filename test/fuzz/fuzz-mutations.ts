/**
 * The fuzz suite's machinery (issue 11): a seeded generator, structural and text
 * mutations of a file, and `fuzz()` — n cases of parse(mutated text), every refusal exit
 * 2 naming the file. `FUZZ_CASES` sets the count per format (`npm run fuzz`: 2,000);
 * `FUZZ_SEED` replays a run.
 */
import { expect, it } from "vitest";
import { exitCodeOf } from "../../src/cli/exit-codes.ts";

export const cases = Number(process.env.FUZZ_CASES ?? 300);
export const seed = Number(process.env.FUZZ_SEED ?? 20261202);

/** mulberry32: a small seeded generator, so every case can be replayed. */
export function rng(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Json = unknown;
export const hostile: Json[] = [null, true, -1, 0, 0.5, 1, 2 ** 53 + 2, 1e308, -1e308, "", "x", "0", "\u0000", "é∑😀", "a".repeat(5000), [], [0], {}, { kind: "read" }, [[[[[[]]]]]]];

/** Every path to a value inside `v`. */
function paths(v: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((e, i) => paths(e, [...at, i], out));
  else if (v && typeof v === "object") for (const [k, e] of Object.entries(v)) paths(e, [...at, k], out);
  return out;
}

/** One structural mutation of a JSON value (a copy): delete, replace, duplicate, or nest. */
export function mutateValue(v: Json, r: () => number): Json {
  const copy = structuredClone(v);
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[Math.floor(r() * all.length)];
  let parent = copy as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, Json>;
  const key = path[path.length - 1];
  const op = Math.floor(r() * 4);
  if (op === 0) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (op === 1) parent[key] = hostile[Math.floor(r() * hostile.length)];
  else if (op === 2 && Array.isArray(parent)) parent.push(structuredClone(parent[key]));
  else parent[key] = { wrapped: parent[key] };
  return copy;
}

/** One text-level mutation: cut, insert a byte, swap a character, or add a BOM. */
export function mutateText(text: string, r: () => number): string {
  const at = Math.floor(r() * text.length);
  const op = Math.floor(r() * 4);
  if (op === 0) return text.slice(0, at);
  if (op === 1) return text.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + text.slice(at);
  if (op === 2) return text.slice(0, at) + "}],\"\n"[Math.floor(r() * 5)] + text.slice(at + 1);
  return `\uFEFF${text}`;
}

/** Run `n` cases of `parse(mutated)`; every throw must be exit 2 naming `file`. */
export function fuzz(name: string, file: string, baseOf: () => Json, serialise: (v: Json) => string, parse: (text: string) => void, count = cases): void {
  const cases = count;
  it(`${name}: ${cases} mutations, every refusal exit 2 naming the file`, () => {
    const r = rng(seed);
    const base = baseOf();
    let refused = 0;
    for (let i = 0; i < cases; i++) {
      const text = r() < 0.6 ? serialise(mutateValue(base, r)) : mutateText(serialise(base), r);
      try {
        parse(text);
      } catch (err) {
        refused++;
        const code = exitCodeOf(err);
        const where = `seed ${seed}, case ${i}: ${(err as Error).stack?.slice(0, 400)}\ntext: ${text.slice(0, 300)}`;
        expect(code, where).toBe(2);
        expect((err as Error).message, where).toContain(file);
      }
    }
    expect(refused).toBeGreaterThan(cases / 4); // the mutations do bite
  });
}

