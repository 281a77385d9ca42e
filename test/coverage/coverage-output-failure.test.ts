/**
 * An output file that cannot be written never discards the finished campaign (issue 11,
 * item 11): `--html /dev/full` (the write fails with ENOSPC after the campaign) still
 * prints the report, then exits 2 naming the option, the file and the reason.
 */
import { existsSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

describe.runIf(existsSync("/dev/full"))("coverage with an unwritable --html", () => {
  it("prints the whole --json report, then exits 2 naming --html /dev/full and ENOSPC", async () => {
    const r = await runMain(["coverage", "black-pixel-4x1", "fixtures/coverage/black-pixel-all16.json", "--html", "/dev/full", "--json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --html \/dev\/full: cannot write \(ENOSPC\); the coverage report was printed \(--json\) all the same$/m);
    // black-pixel-4x1's universe: 21 faults in 20 collapsed classes, DT 17 and UD 4 with all 16 patterns (docs/faults-and-coverage.md)
    const report = JSON.parse(r.stdout);
    expect(report.faults).toHaveLength(20);
    expect(report.faults.reduce((n: number, f: { classSize: number }) => n + f.classSize, 0)).toBe(21);
    expect(report.coverage.total).toMatchObject({ all: 21, DT: 17, UD: 4 });
  });

  it("in text mode the table is printed and no 'written to' line claims the file", async () => {
    const r = await runMain(["coverage", "black-pixel-4x1", "fixtures/coverage/black-pixel-all16.json", "--html", "/dev/full"]);
    // written in place, never replaced by a file renamed over it (the report files are written beside their path and renamed)
    expect(statSync("/dev/full").isCharacterDevice()).toBe(true);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^total\s+21\s+17\s/m);
    expect(r.stdout).not.toMatch(/HTML report written/);
  });
});
