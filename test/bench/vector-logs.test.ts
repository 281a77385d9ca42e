/**
 * The `! LOG` bound is per vector (issue 11 item 9), not per application: over all the
 * repetitions of a vector the first 8 and the last 8 lines are kept, and each repetition
 * counts what it saw but did not keep. Hand-worked: 10 repetitions × 5 lines = 50 lines;
 * kept are rep 0's 5 and rep 1's first 3 (the first 8), rep 8's last 3 and rep 9's 5 (the
 * last 8); 34 are counted as omitted (2 in rep 1, 5 each in reps 2–7, 2 in rep 8).
 */
import { describe, expect, it } from "vitest";
import { executeProgram } from "../../src/bench/bench-executor.ts";
import { VectorLogs } from "../../src/bench/vector-logs.ts";
import { loadProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import type { Target } from "../../src/targets/target.ts";
import { createSimTarget } from "../../src/targets/sim-target.ts";

const line = (rep: number, k: number) => `rep ${rep} line ${k}`;

describe("VectorLogs", () => {
  it("keeps the first 8 and last 8 lines over all repetitions and counts the rest per repetition", () => {
    const vl = new VectorLogs(16);
    for (let rep = 0; rep < 10; rep++) vl.add(rep, [0, 1, 2, 3, 4].map((k) => line(rep, k)));
    expect(vl.linkFor(0)).toEqual({ logs: [0, 1, 2, 3, 4].map((k) => line(0, k)) });
    expect(vl.linkFor(1)).toEqual({ logs: [0, 1, 2].map((k) => line(1, k)), logsOmitted: 2 });
    for (let rep = 2; rep <= 7; rep++) expect(vl.linkFor(rep)).toEqual({ logs: [], logsOmitted: 5 });
    expect(vl.linkFor(8)).toEqual({ logs: [2, 3, 4].map((k) => line(8, k)), logsOmitted: 2 });
    expect(vl.linkFor(9)).toEqual({ logs: [0, 1, 2, 3, 4].map((k) => line(9, k)) });
  });

  it("counts the lines the transport already dropped within an application as omitted there", () => {
    const vl = new VectorLogs(16);
    vl.add(0, ["a", "b"], 184);
    expect(vl.linkFor(0)).toEqual({ logs: ["a", "b"], logsOmitted: 184 });
  });
});

describe("a run whose target logs 5 lines per application", () => {
  it("keeps 16 lines for a 10-repetition vector in its datalog record, and counts the other 34", async () => {
    const loaded = loadTestbench("testbenches/black-pixel-4x1.json");
    const p = loadProgram("fixtures/coverage/black-pixel-1111.json");
    const program = { ...p, decision: { rule: "fixed" as const, repetitions: 10, minMatches: 10 } };
    const sim = createSimTarget({ bench: loaded.bench });
    let rep = 0;
    const chatty: Target = { ...sim, apply: async (stim) => ({ ...(await sim.apply(stim)), logs: [0, 1, 2, 3, 4].map((k) => line(rep, k)), ...(rep++, {}) }) };
    const r = await executeProgram({ program, programFile: "p.json", bench: loaded, target: chatty, targetLabel: "sim", dutId: "d" });
    const v = r.vectors[0];
    expect(v.repetitions).toHaveLength(10);
    expect(v.repetitions.flatMap((x) => x.link.logs)).toEqual([...[0, 1, 2, 3, 4].map((k) => line(0, k)), ...[0, 1, 2].map((k) => line(1, k)), ...[2, 3, 4].map((k) => line(8, k)), ...[0, 1, 2, 3, 4].map((k) => line(9, k))]);
    expect(v.repetitions.reduce((n, x) => n + (x.link.logsOmitted ?? 0), 0)).toBe(34);
  });
});
