/**
 * The README's walkthrough must stay true: every command between the readme-test
 * markers runs (in a scratch directory) and exits with the code its comment states
 * (`# … exit 1`), 0 otherwise.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, runCli } from "./helpers/run-cli.ts";

const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
const block = /<!-- readme-test:start[^>]*-->([\s\S]*?)<!-- readme-test:end -->/.exec(readme)?.[1] ?? "";
const commands = block
  .split("\n")
  .filter((l) => l.startsWith("npx snn-atpg "))
  .map((l) => {
    const [cmd, comment = ""] = l.split(/\s+#\s*/, 2);
    const exit = /exit (\d+)/.exec(comment);
    return { line: cmd.trim(), args: cmd.trim().split(/\s+/).slice(2), exit: exit ? Number(exit[1]) : 0 };
  });

const scratch = mkdtempSync(join(tmpdir(), "snn-readme-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("README walkthrough", () => {
  it("has commands to check", () => {
    expect(commands.length).toBeGreaterThanOrEqual(8);
  });

  // Sequential: later commands use the files earlier ones write.
  it("every command runs with its stated exit code", () => {
    for (const c of commands) {
      const r = runCli(c.args, { cwd: scratch });
      expect(r.code, `${c.line}\n${r.stderr}`).toBe(c.exit);
      expect(r.stderr, c.line).not.toMatch(/internal error|\n\s+at .*\.ts:\d+/);
    }
  }, 300_000); // 16 commands in a row, on shared cores
});
