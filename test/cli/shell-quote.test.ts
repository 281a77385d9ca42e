/**
 * Commands the tool prints for copy-paste are shell-quoted (issue 11, item 10): a POSIX
 * shell reads back exactly the arguments meant, for paths with spaces, quotes, `$` and
 * globs; `run` on a failing device prints such a `more candidates:` line.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shellCommand, shellQuote } from "../../src/cli/shell-quote.ts";
import { runMain } from "../helpers/run-main.ts";

/** The arguments `sh` reads from a command line (printed one per line by printf). */
const shellReads = (line: string): string[] => spawnSync("sh", ["-c", `printf '%s\\n' ${line}`], { encoding: "utf8" }).stdout.split("\n").slice(0, -1);

describe("shell quoting", () => {
  it("plain words stay; anything else is single-quoted, a quote inside as '\\''", () => {
    expect(shellQuote("fixtures/bench/p.json")).toBe("fixtures/bench/p.json");
    expect(shellQuote("my run.jsonl")).toBe("'my run.jsonl'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("")).toBe("''");
  });

  it("sh reads back exactly the arguments", () => {
    const args = ["a b", "it's", "$HOME", "*.json", "x;rm -rf y", "tab\there", "ünïcode", "plain"];
    expect(shellReads(shellCommand(args))).toEqual(args);
  });

  it("run prints a `more candidates:` command that a shell reads back to the datalog's real path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "snn quote $x '"));
    const program = join(dir, "it's a program.json");
    copyFileSync("fixtures/bench/black-pixel-4x1.program.json", program);
    const datalog = join(dir, "chip 7 (run 1).jsonl");
    const r = await runMain(["run", program, "--inject", "dead-synapse@l0.r1.c0", "--datalog", datalog]);
    expect(r.code, r.stderr).toBe(1);
    const line = /^more candidates: (.*)$/m.exec(r.stdout)?.[1];
    expect(line).toBeDefined();
    expect(shellReads(line!)).toEqual(["snn-atpg", "diagnose", program, datalog]);
  });
});
