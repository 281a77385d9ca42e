/**
 * Phase progress (src/cli/phase-progress.ts): the ETA is the time per unit so far times
 * the units left, worked by hand below; a log (no terminal) gets one line per phase that
 * lasts past the threshold and nothing for a short one; a terminal gets the line redrawn
 * in place, erased when the phase was short.
 */
import { describe, expect, it } from "vitest";
import { formatEta, phaseProgress, progressLine } from "../../src/cli/phase-progress.ts";

describe("progress line", () => {
  it("formats an ETA in seconds, then minutes and seconds", () => {
    expect(formatEta(12_400)).toBe("12 s");
    expect(formatEta(185_000)).toBe("3 min 05 s");
  });

  it("ETA = elapsed / done × left: 1,000 of 4,000 faults in 3 s leave 3,000 at 3 ms each = 9 s", () => {
    // 25 % of a 20-character bar is 5 characters
    expect(progressLine("building the report", 1000, 4000, "faults", 3000)).toBe("  building the report: [#####...............] 1,000/4,000 faults  25 %  ETA 9 s");
    // no ETA before anything is done, nor in the first half second (too noisy)
    expect(progressLine("grading", 0, 10, "vectors", 5000)).not.toMatch(/ETA/);
    expect(progressLine("grading", 5, 10, "vectors", 100)).not.toMatch(/ETA/);
    // an uncounted phase shows its time
    expect(progressLine("writing", 0, undefined, "", 65_000)).toBe("  writing … 1 min 05 s");
  });
});

function fakeCtx(tty: boolean) {
  const lines: string[] = [];
  let raw = "";
  return { ctx: { err: (l: string) => void lines.push(l), errRaw: (t: string) => void (raw += t), stderrIsTty: tty }, lines, raw: () => raw };
}

describe("phases without a terminal", () => {
  it("a phase shorter than the threshold prints nothing; one past it prints one line naming it", async () => {
    const f = fakeCtx(false);
    const p = phaseProgress(f.ctx, { minMs: 40 });
    p.phase("short", 10, "x");
    p.update(10);
    p.phase("long", 10, "x");
    await new Promise((r) => setTimeout(r, 60));
    p.update(3);
    p.update(6);
    p.end();
    expect(f.lines).toHaveLength(1);
    expect(f.lines[0]).toMatch(/^ {2}long … \(0\.\d s\)$/);
    expect(f.raw()).toBe("");
  });

  it("minMs 0 names every phase at once, and quiet names none", () => {
    const f = fakeCtx(false);
    const p = phaseProgress(f.ctx, { minMs: 0 });
    p.phase("a");
    p.phase("b");
    p.end();
    expect(f.lines.map((l) => l.replace(/ \(.*/, ""))).toEqual(["  a …", "  b …"]);
    const q = fakeCtx(false);
    const quiet = phaseProgress(q.ctx, { quiet: true, minMs: 0 });
    quiet.phase("a");
    quiet.end();
    expect(q.lines).toEqual([]);
  });
});

describe("phases on a terminal", () => {
  it("redraws the line in place and erases a short phase at its end; a long one keeps its line with its time", async () => {
    const f = fakeCtx(true);
    const p = phaseProgress(f.ctx, { minMs: 30 });
    p.phase("short", 4, "faults");
    p.end();
    expect(f.raw()).toMatch(/^\r\u001b\[2K {2}short: \[\.{20}\] 0\/4 faults {2}0 %[\s\S]*\r\u001b\[2K$/);
    const g = fakeCtx(true);
    const q = phaseProgress(g.ctx, { minMs: 30 });
    q.phase("long", 4, "faults");
    await new Promise((r) => setTimeout(r, 50));
    q.update(4);
    q.end();
    expect(g.raw()).toMatch(/long: \[#{20}\] 4\/4 faults {2}100 % {2}\(0\.\d s\)\n$/);
    expect(g.lines).toEqual([]);
  });
});
