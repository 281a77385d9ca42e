/**
 * Output at realistic size (issue 11 item 11), with the string limit "lowered": the full
 * bnn report (880 MB of JSON) passed V8's ~512 MB string limit in one JSON.stringify and
 * lost an 11-minute run. Here a 40,000-fault report (black-pixel-4x1's 20 collapsed
 * faults, ids made unique) must come out of `coverage --json` in pieces none longer than
 * 100 KB — a limit one string of the report would exceed ~50 times — that join into one
 * JSON object with every fault.
 */
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/cli-context.ts";
import { emitCoverage, prepareCoverage } from "../../src/cli/coverage-run.ts";
import type { FaultSimResult } from "../../src/faultsim/fault-engine.ts";

const limit = 100_000;

describe("coverage --json of a 40,000-fault report", () => {
  it("comes out in pieces under 100 KB that join into the whole report", async () => {
    const out: string[] = [];
    const ctx: CliContext = { out: (l) => void out.push(l), err: () => {}, errRaw: () => {}, stderrIsTty: false, setExit: () => {}, signal: new AbortController().signal, runCli: async () => 0 };
    const o = { engine: "fast", drop: true, pdCredit: 0.5, modelsDir: [], param: [] };
    const prep = await prepareCoverage("black-pixel-4x1", "fixtures/coverage/black-pixel-all16.json", o, ctx);
    const graded = Array.from({ length: 2_000 }, (_, k) => prep.graded.map((f) => ({ ...f, id: `${f.id}#${k}` }))).flat();
    const result: FaultSimResult = { engine: "fast", outcomes: graded.map((f) => ({ faultId: f.id, cls: "ND" as const, firstVector: null })), evaluations: 0, fastPathEvaluations: 0, elapsedMs: 0 };
    await emitCoverage({ ...prep, graded }, result, { ...o, json: true, limit: 20 }, ctx);
    const total = out.reduce((n, p) => n + p.length, 0);
    expect(total).toBeGreaterThan(50 * limit);
    expect(Math.max(...out.map((p) => p.length))).toBeLessThan(limit);
    const report = JSON.parse(out.join("")) as { faults: { id: string }[] };
    expect(report.faults).toHaveLength(40_000);
    expect(new Set(report.faults.map((f) => f.id)).size).toBe(40_000);
  });
});
