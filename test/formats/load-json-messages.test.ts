/**
 * Messages for malformed files say what is allowed in plain words (issue 11, item 12):
 * a UTF-8 byte order mark is accepted, 1e999 is "a number too large" (not "found number
 * null"), a wrong discriminator lists the allowed values, and bounds read "a number ≥ 0"
 * instead of zod's "Too small: expected number to be >=0".
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseProgram } from "../../src/formats/program-loader.ts";
import { runMain } from "../helpers/run-main.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-json-messages-"));
const reference = "fixtures/bench/black-pixel-4x1.program.json";
const text = readFileSync(reference, "utf8");

/** The message of the error `parseProgram` throws for the reference program with `from` replaced by `to`. */
function messageFor(from: string | RegExp, to: string): string {
  const edited = text.replace(from, to);
  expect(edited).not.toBe(text);
  try {
    parseProgram(edited, "p.json");
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("accepted");
}

describe("file messages", () => {
  it("a UTF-8 byte order mark is accepted (the program runs: 25 vectors pass)", async () => {
    const file = join(dir, "bom.json");
    writeFileSync(file, `\uFEFF${text}`);
    const r = await runMain(["run", file, "--no-diagnose"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/25 vectors, 25 passed/);
  });

  it("1e999 is a number too large, not null", () => {
    expect(messageFor('"timingTolerancePs": 500', '"timingTolerancePs": 1e999')).toBe("p.json: at timingTolerancePs: expected number, found a number too large (it reads as Infinity)");
  });

  it("a wrong decision rule lists the rules", () => {
    expect(messageFor('"rule": "single"', '"rule": "majority"')).toBe('p.json: at decision.rule: expected one of "single", "fixed", "sprt", found string "majority"');
  });

  it("bounds in words: a number ≥ 0, a number > 0, a string of at least 1 character", () => {
    expect(messageFor('"timingTolerancePs": 500', '"timingTolerancePs": -1')).toBe("p.json: at timingTolerancePs: expected a number ≥ 0, found number -1");
    expect(messageFor('"windows": 3', '"windows": 0')).toBe("p.json: at vectors[0].windows: expected a number > 0, found number 0");
    expect(messageFor('"id": "p0000"', '"id": ""')).toBe('p.json: at vectors[0].id: expected a string of at least 1 character(s), found string ""');
  });
});
