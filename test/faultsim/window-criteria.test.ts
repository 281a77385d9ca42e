/**
 * The window criteria of the registry (Hou et al. ITC 2022 `spike_command`): `S a b`
 * fails when the first-spike tick t_f (from 1) is < a or > b, `SZ n` when t_f ≤ n. In
 * our windows (from 0): S 5 41 = first-spike-window [4, 40], SZ 12 = no-spike 12.
 */
import { describe, expect, it } from "vitest";
import { passCriteria } from "../../src/faultsim/pass-criteria.ts";
import type { Spike } from "../../src/formats/spike-format.ts";
import { join } from "node:path";
import { checkProgramForBench } from "../../src/formats/program-loader.ts";
import type { Program } from "../../src/formats/program-format.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const at = (output: number, ...windows: number[]): Spike[] => windows.map((window) => ({ output, window, timePs: window * 1000 }));
const s541 = { kind: "first-spike-window" as const, firstWindow: 4, lastWindow: 40, outputs: [0, 1] };
const sz12 = { kind: "no-spike" as const, windows: 12, outputs: [0, 1] };
const judge = (c: typeof s541 | typeof sz12, expected: Spike[], observed: Spike[]) =>
  passCriteria[c.kind].judge({ spikes: expected, criterion: c, toleranceBandPs: 0 }, { spikes: observed });

describe("first-spike-window (S 5 41)", () => {
  const good = [...at(0, 7, 15), ...at(1, 40)];
  it.each([
    ["t_f 5 and 41: the band's edges pass", [...at(0, 4), ...at(1, 40)], "possibly", []],
    ["t_f 4 (< 5) fails", [...at(0, 3, 8), ...at(1, 40)], "fail", ["f0@3"]],
    ["no spike within 41 ticks fails", at(0, 7, 15), "fail", ["f1@-"]],
    ["the good response passes", good, "pass", []],
  ] as const)("%s", (_n, observed, verdict, signature) => {
    const j = judge(s541, good, [...observed]);
    expect(j.verdict).toBe(verdict);
    expect(j.signature).toEqual(signature);
    expect(j.failingOutputs).toEqual(verdict === "fail" ? [Number(signature[0][1])] : []);
  });
});

describe("no-spike (SZ 12)", () => {
  it.each([
    ["nothing passes", [], "pass", []],
    ["t_f 12 (window 11) fails", at(1, 11), "fail", ["x1@11"]],
    ["a spike in window 12 is outside", at(0, 12), "possibly", []],
  ] as const)("%s", (_n, observed, verdict, signature) => {
    const j = judge(sz12, [], [...observed]);
    expect(j.verdict).toBe(verdict);
    expect(j.signature).toEqual(signature);
  });

  it("the datalog's spike mismatch is still there when read", () => {
    expect(judge(sz12, [], at(1, 11)).mismatch).toEqual({ missing: 0, extra: 1, shifted: 0 });
  });
});

describe("a program's window criterion is checked against its vector and bench", () => {
  const loaded = loadTestbench(join(repoRoot, "testbenches", "black-pixel-4x1.json"));
  const program = (criterion: object) => ({
    schemaVersion: 1 as const,
    testbench: { id: loaded.bench.id, sha256: loaded.sha256 },
    timingTolerancePs: 500,
    decision: { rule: "single" as const },
    metadata: {},
    vectors: [{ id: "v1", iwPs: 1000, lwPs: 9000, windows: 3, pattern: ["1111"], repetitions: 1, expected: [], criterion }],
  });
  it.each([
    [{ kind: "no-spike", windows: 4 }, /criterion.*judging 4 windows/],
    [{ kind: "first-spike-window", firstWindow: 0, lastWindow: 2, outputs: [1] }, /criterion\.outputs\[0\].*an output below 1/],
  ])("%j is refused", (criterion, message) => {
    expect(() => checkProgramForBench(program(criterion) as Program, "p.json", loaded)).toThrow(message);
  });
});
