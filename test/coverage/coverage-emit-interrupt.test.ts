/**
 * Ctrl-C while `coverage` builds its report or prints it (issue 11 item 3, issue 12): on
 * the full bnn universe these took 75 s and 71 s at load 16 (3.7 M faults, 880 MB of
 * JSON) and ignored Ctrl-C throughout. In process, on black-pixel-4x1's 20 collapsed
 * faults repeated to 40,000 (ids made unique; the report is built 8,192 at a time), the signal is raised the moment the phase shows
 * on a (pretend) terminal: the command stops at the next step with InterruptedError
 * (exit 130), writing no report file; in the JSON phase it says the JSON on stdout is cut.
 * The report files are written a piece at a time beside their path and renamed into place,
 * with a checkpoint between pieces: Ctrl-C while one is written leaves no cut-off file, and
 * one written before it whole.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/cli-context.ts";
import { emitCoverage, prepareCoverage } from "../../src/cli/coverage-run.ts";
import { exitCodeOf, exitCodes } from "../../src/cli/exit-codes.ts";
import type { FaultSimResult } from "../../src/faultsim/fault-engine.ts";

const dir = mkdtempSync(join(tmpdir(), "snn-emit-interrupt-"));
const program = "fixtures/coverage/black-pixel-all16.json";
const copies = 2_000;

/** A context on a pretend terminal that raises Ctrl-C when `phase` is drawn. */
function contextInterruptedAt(phase: string) {
  const ctl = new AbortController();
  const out: string[] = [];
  const err: string[] = [];
  let raw = "";
  const ctx: CliContext = {
    out: (l) => void out.push(l),
    err: (l) => void err.push(l),
    errRaw: (t) => {
      raw += t;
      if (raw.includes(phase)) ctl.abort();
    },
    stderrIsTty: true,
    setExit: () => {},
    signal: ctl.signal,
    runCli: async () => 0,
  };
  return { ctx, out, err, raw: () => raw };
}

async function bigRun(ctx: CliContext) {
  const o = { engine: "fast", drop: true, pdCredit: 0.5, modelsDir: [], param: [] };
  const prep = await prepareCoverage("black-pixel-4x1", program, o, ctx);
  const graded = Array.from({ length: copies }, (_, k) => prep.graded.map((f) => ({ ...f, id: `${f.id}#${k}` }))).flat();
  const result: FaultSimResult = { engine: "fast", outcomes: graded.map((f) => ({ faultId: f.id, cls: "ND" as const, firstVector: null })), evaluations: 0, fastPathEvaluations: 0, elapsedMs: 0 };
  expect(graded.length).toBe(20 * copies); // black-pixel-4x1: 21 faults, 20 after collapsing
  return { prep: { ...prep, graded }, result, o };
}

describe("Ctrl-C while the coverage report is built or printed", () => {
  it("while building the report: InterruptedError (exit 130), no --html or --faults-out file", async () => {
    const t = contextInterruptedAt("building the report");
    const { prep, result, o } = await bigRun(t.ctx);
    const html = join(dir, "building.html");
    const list = join(dir, "building.faults");
    const err = await emitCoverage(prep, result, { ...o, html, faultsOut: list, limit: 20 }, t.ctx).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, "the report was built and written despite Ctrl-C").toBeInstanceOf(Error);
    expect(exitCodeOf(err)).toBe(exitCodes.interrupted);
    expect((err as Error).message).toMatch(/coverage interrupted \(Ctrl-C\) while building the report; no report was written/);
    expect(existsSync(html)).toBe(false);
    expect(existsSync(list)).toBe(false);
    expect(t.out).toEqual([]);
  });

  it("while printing --json: InterruptedError (exit 130) naming the cut JSON; the --html file written before it is whole", async () => {
    const t = contextInterruptedAt("printing the JSON report");
    const { prep, result, o } = await bigRun(t.ctx);
    const html = join(dir, "printing.html");
    const err = await emitCoverage(prep, result, { ...o, json: true, html, limit: 20 }, t.ctx).then(
      () => null,
      (e: unknown) => e,
    );
    expect(exitCodeOf(err)).toBe(exitCodes.interrupted);
    expect((err as Error).message).toMatch(/while printing the JSON report: the JSON on stdout is cut short/);
    // at most one piece (256 entries) printed after the signal: far from the 40,000 entries
    const printed = t.out.join("\n");
    expect(printed.length).toBeGreaterThan(0);
    expect((printed.match(/"id":/g) ?? []).length).toBeLessThan(1000);
    expect(readFileSync(html, "utf8")).toMatch(/<\/html>\s*$/);
  });

  it("while writing --faults-out after --html: InterruptedError (exit 130); the --html file whole, no --faults-out file, no temporary left", async () => {
    const sub = mkdtempSync(join(dir, "writing-"));
    const html = join(sub, "r.html");
    const list = join(sub, "r.faults");
    const t = contextInterruptedAt(`writing ${list}`);
    const { prep, result, o } = await bigRun(t.ctx);
    const err = await emitCoverage(prep, result, { ...o, html, faultsOut: list, limit: 20 }, t.ctx).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err, "the fault list was written despite Ctrl-C").toBeInstanceOf(Error);
    expect(exitCodeOf(err)).toBe(exitCodes.interrupted);
    expect((err as Error).message).toMatch(/while writing .*r\.faults: it was not written \(no cut-off file is left\); .*r\.html was written whole/);
    expect(readFileSync(html, "utf8")).toMatch(/<\/html>\s*$/);
    expect(readdirSync(sub)).toEqual(["r.html"]);
    expect(t.out).toEqual([]);
  });

  it("while writing --html: no file at all", async () => {
    const sub = mkdtempSync(join(dir, "writing-html-"));
    const html = join(sub, "r.html");
    const t = contextInterruptedAt(`writing ${html}`);
    const { prep, result, o } = await bigRun(t.ctx);
    const err = await emitCoverage(prep, result, { ...o, html, limit: 20 }, t.ctx).then(
      () => null,
      (e: unknown) => e,
    );
    expect(exitCodeOf(err)).toBe(exitCodes.interrupted);
    expect(readdirSync(sub)).toEqual([]);
  });
});
