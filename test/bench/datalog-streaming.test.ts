/**
 * Datalogs are read a line at a time (src/formats/file-lines.ts; issue 11 items 7/11):
 * `--resume` and `diagnose` no longer read the file as one string, so a datalog past
 * V8's ~512 MB string limit reads at all. The case: a run's datalog cut before its
 * footer and then zero-filled to 600 MB past the last record (what a crash can leave on
 * some filesystems; a sparse file here, so it costs no disk). Before, both commands
 * failed ("cannot read datalog (ERR_STRING_TOO_LONG)"); now the zeros are a cut-off
 * tail: `diagnose` reads the records, `--resume` cuts the tail and writes the footer.
 */
import { mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileLines } from "../../src/formats/file-lines.ts";
import { runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-datalog-stream-"));

describe("fileLines", () => {
  // "aé\nb\n" is 6 bytes (é is 2), then "cd" without a newline
  const text = "aé\nb\ncd";
  const file = join(dir, "lines.txt");
  writeFileSync(file, text);
  it.each([1, 2, 3, 5, 64])("gives the complete lines and the tail's length with %i-byte chunks", (chunk) => {
    const it = fileLines(file, chunk);
    const lines: string[] = [];
    let r = it.next();
    for (; !r.done; r = it.next()) lines.push(r.value);
    expect(lines).toEqual(["aé", "b"]);
    expect(r.value).toEqual({ completeBytes: 6, tailBytes: 2 });
  });

  it("refuses a line longer than the bound when its newline comes, and skips an overlong tail", () => {
    const long = join(dir, "long.txt");
    writeFileSync(long, `ok\n${"x".repeat(40)}\n`);
    expect(() => [...fileLines(long, 8, 16)]).toThrow(/line 2 is longer than 16 bytes/);
    writeFileSync(long, `ok\n${"x".repeat(40)}`);
    const it = fileLines(long, 8, 16);
    expect(it.next().value).toBe("ok");
    expect(it.next()).toEqual({ done: true, value: { completeBytes: 3, tailBytes: 40 } });
  });
});

describe("a datalog with 600 MB of zeros after its last record", () => {
  const program = join(dir, "bp.json");
  const log = join(dir, "run.jsonl");
  const made = runCli(["generate", "black-pixel-4x1", "-o", program]);
  const ran = runCli(["run", program, "--datalog", log]);
  const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
  const withoutFooter = `${lines.slice(0, -1).join("\n")}\n`;
  const cut = () => {
    writeFileSync(log, withoutFooter);
    truncateSync(log, Buffer.byteLength(withoutFooter) + 600 * 2 ** 20); // a hole: reads as zeros, takes no disk
  };

  it("is a finished run whose footer was lost (setup)", () => {
    expect(made.code, made.stderr).toBe(0);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(lines.at(-1)!).type).toBe("footer");
  });

  it("diagnose reads its records (the zeros are a cut-off tail)", () => {
    cut();
    const r = runCli(["diagnose", program, log]);
    expect(r.stderr).not.toMatch(/ERR_STRING_TOO_LONG|cannot read datalog/);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 of 2 vector\(s\) failed.*the datalog is unfinished/);
  });

  it("run --resume cuts the zeros and writes the footer: the datalog ends as the finished run's did", () => {
    cut();
    const r = runCli(["run", program, "--datalog", log, "--resume"]);
    expect(r.code, r.stderr).toBe(0);
    const after = readFileSync(log, "utf8").split("\n").filter(Boolean);
    expect(statSync(log).size).toBeLessThan(1 << 20);
    expect(after.slice(0, lines.length - 1)).toEqual(lines.slice(0, -1));
    expect(after.map((l) => JSON.parse(l).type).slice(lines.length - 1)).toEqual(["resume", "footer"]);
  });
});
