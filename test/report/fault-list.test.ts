/**
 * `coverage --faults-out`: the faults not detected as a fault list. By hand, from the
 * fixture's note (three of four inputs for 12 windows spike only with a slow leak):
 * of the 20 collapsed faults of black-pixel-4x1, the 4 in-cell `.read` opens are UD
 * (left out: proved, nothing to target), slow-to-leak is DT, and the other 15 are ND —
 * 16 uncollapsed, since seg0's open stands for one equivalent too.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMain } from "../helpers/run-main.ts";

mkdirSync(resolve("out"), { recursive: true }); // a fresh clone has no out/ yet
const dir = mkdtempSync(join(resolve("out"), "fault-list-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const program = "fixtures/coverage/black-pixel-three-inputs.json";

describe("coverage --faults-out", () => {
  it("writes one fault id per line with class and reason as a comment", async () => {
    const file = join(dir, "undetected.faults");
    const r = await runMain(["coverage", "black-pixel-4x1", program, "--faults-out", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`fault list (ND/AU/PD) written to ${file}`);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    const header = lines.filter((l) => l.startsWith("#"));
    const body = lines.filter((l) => !l.startsWith("#"));
    expect(header[0]).toMatch(/^# snn-atpg \S+ coverage of fixtures\/coverage\/black-pixel-three-inputs\.json on black-pixel-4x1 .*: 15 fault\(s\) not detected \(ND 15, AU 0, PD 0\)$/);
    expect(body).toHaveLength(15);
    const ids = body.map((l) => l.split("#")[0]!.trim());
    for (const row of [0, 1, 2, 3]) expect(ids).toContain(`dead-synapse@l0.r${row}.c0`);
    expect(ids).not.toContain("slow-to-leak@l0.n0");
    expect(ids.some((id) => id.endsWith(".read:50000"))).toBe(false);
    for (const l of body) expect(l).toMatch(/^\S+ {2}# ND: no vector changes the response: all 4 match the good chip/);
    expect(body.filter((l) => l.endsWith("(+1 equivalent)"))).toHaveLength(1);
  });

  it("refuses an output behind a file before the campaign runs", async () => {
    const r = await runMain(["coverage", "black-pixel-4x1", program, "--faults-out", join("package.json", "x.faults")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--faults-out/);
  });
});
