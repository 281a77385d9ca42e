/**
 * The functional phase's pass criteria, judged on hand-made responses (every expected
 * value derived by hand from the rules in src/faultsim/count-criteria.ts): count-band
 * (per-output count within [min, max]) and class-decision (most spikes or first spike,
 * with a margin over the runner-up), through the same registry as exact-train.
 */
import { describe, expect, it } from "vitest";
import { judgeResponse, passCriteria } from "../../src/faultsim/pass-criteria.ts";
import { checkProgramForBench, parseProgram } from "../../src/formats/program-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { FormatError } from "../../src/formats/format-error.ts";

const T = 10_000; // window period, ps
const s = (output: number, window: number, at = 200) => ({ output, window, timePs: window * T + at });

describe("count-band", () => {
  // The good chip: output 0 spikes in windows 1, 2, 3; output 1 in window 2.
  const good = [s(0, 1), s(0, 2), s(1, 2), s(0, 3)];
  const criterion = { kind: "count-band" as const, bands: [{ output: 0, min: 2, max: 3 }, { output: 1, min: 1, max: 1 }] };
  const judge = (observed: ReturnType<typeof s>[]) => judgeResponse({ spikes: good, toleranceBandPs: 500, criterion }, { spikes: observed });

  it("passes the good chip's own response", () => {
    const j = judge(good);
    expect(j.verdict).toBe("pass");
    expect(j.signature).toEqual([]);
  });

  it("a spike moved one window later, counts unchanged: count-band passes, exact-train fails it", () => {
    const moved = [s(0, 1), s(0, 2), s(1, 3), s(0, 3)]; // output 1: window 2 → 3
    expect(judge(moved).verdict).toBe("pass");
    const exact = judgeResponse({ spikes: good, toleranceBandPs: 500 }, { spikes: moved });
    expect(exact.verdict).toBe("fail");
    expect(exact.signature).toEqual(["m1@2", "x1@3"]);
    // the datalog still sees the spike-level differences
    expect(judge(moved).mismatch).toEqual({ missing: 1, extra: 1, shifted: 0 });
  });

  it("a count inside the band but off the good chip's is possibly detected", () => {
    const j = judge([s(0, 1), s(0, 2), s(1, 2)]); // output 0: 2 spikes, band [2, 3]
    expect(j.verdict).toBe("possibly");
    expect(j.signature).toEqual([]);
  });

  it("counts outside their band fail, naming each output and its count", () => {
    const j = judge([s(0, 1), s(0, 2), s(0, 3)]); // output 1 silent: 0 ∉ [1, 1]
    expect(j.verdict).toBe("fail");
    expect(j.signature).toEqual(["c1=0"]);
    expect(j.failingOutputs).toEqual([1]);
    const both = judge([s(0, 1), s(1, 1), s(1, 2)]); // output 0: 1 ∉ [2, 3]; output 1: 2 ∉ [1, 1]
    expect(both.signature).toEqual(["c0=1", "c1=2"]);
    expect(both.failingOutputs).toEqual([0, 1]);
  });
});

describe("class-decision, most spikes", () => {
  // Good chip: output 2 spikes 3 times, output 0 once → class 2, lead 2.
  const good = [s(2, 1), s(0, 2), s(2, 2), s(2, 3)];
  const criterion = { kind: "class-decision" as const, expectedClass: 2, marginSpikes: 2 };
  const judge = (observed: ReturnType<typeof s>[]) => judgeResponse({ spikes: good, toleranceBandPs: 500, criterion }, { spikes: observed });

  it("passes the good chip", () => expect(judge(good).verdict).toBe("pass"));

  it("a dead neuron on the winning output fails: output 0 wins", () => {
    const j = judge([s(0, 2)]);
    expect(j.verdict).toBe("fail");
    expect(j.signature).toEqual(["k0"]);
    expect(j.failingOutputs).toEqual([0, 2]);
  });

  it("the right class with a lead below the margin fails (lead 3 − 2 = 1 < 2)", () => {
    const j = judge([s(2, 1), s(0, 2), s(2, 2), s(2, 3), s(1, 1), s(1, 3)]);
    expect(j.verdict).toBe("fail");
    expect(j.signature).toEqual(["k2", "short1"]);
  });

  it("a larger lead than the good chip's passes, but is possibly detected", () => {
    expect(judge([s(2, 1), s(2, 2), s(2, 3)]).verdict).toBe("possibly"); // lead 3 ≠ 2
  });

  it("a tie decides nothing, even with margin 0", () => {
    const j = judgeResponse({ spikes: good, toleranceBandPs: 500, criterion: { ...criterion, marginSpikes: 0 } }, { spikes: [s(2, 1), s(0, 2)] });
    expect(j.verdict).toBe("fail");
  });
});

describe("class-decision, first spike", () => {
  // Good chip: output 1 at 10 100 ps, output 0 at 10 500 ps → class 1, lead 400 ps.
  const good = [{ output: 1, window: 1, timePs: 10_100 }, { output: 0, window: 1, timePs: 10_500 }];
  const criterion = { kind: "class-decision" as const, expectedClass: 1, rule: "first-spike" as const, marginPs: 300 };
  const judge = (observed: typeof good) => judgeResponse({ spikes: good, toleranceBandPs: 500, timingResolutionPs: 10, criterion }, { spikes: observed });

  it("passes the good chip; a lead moved by less than the resolution is still a pass", () => {
    expect(judge(good).verdict).toBe("pass");
    expect(judge([good[0], { ...good[1], timePs: 10_505 }]).verdict).toBe("pass");
  });

  it("a runner-up 250 ps behind fails the 300 ps margin; one 350 ps behind is possibly detected", () => {
    const j = judge([good[0], { ...good[1], timePs: 10_350 }]);
    expect(j.verdict).toBe("fail");
    expect(j.signature).toEqual(["k1", "short250"]);
    expect(judge([good[0], { ...good[1], timePs: 10_450 }]).verdict).toBe("possibly");
  });

  it("the class silent: the runner-up wins; nothing spikes: no winner", () => {
    expect(judge([good[1]]).signature).toEqual(["k0"]);
    expect(judge([]).signature).toEqual(["k-"]);
  });
});

describe("criteria in the program format", () => {
  it("every criterion is a registry entry", () => expect(Object.keys(passCriteria).sort()).toEqual(["class-decision", "count-band", "exact-train", "first-spike-window", "no-spike"]));

  it("a first-spike decision without marginPs is refused with its location", () => {
    const v = { id: "f1", iwPs: 1000, lwPs: 9000, windows: 2, pattern: ["1111"], expected: [], criterion: { kind: "class-decision", expectedClass: 0, rule: "first-spike" } };
    const text = JSON.stringify({ schemaVersion: 1, testbench: { id: "x", sha256: "0".repeat(64) }, vectors: [v] });
    expect(() => parseProgram(text, "p.json")).toThrow(FormatError);
    expect(() => parseProgram(text, "p.json")).toThrow(/p\.json.*vectors.*0.*criterion.*marginPs/s);
  });

  it("a band or class naming an output the bench does not have is refused with its place (mlp-16x8x4 has 4)", () => {
    const mlp = loadTestbench("testbenches/mlp-16x8x4.json");
    const program = (criterion: unknown) =>
      parseProgram(JSON.stringify({ schemaVersion: 1, testbench: { id: mlp.bench.id, sha256: mlp.sha256 }, vectors: [{ id: "f1", iwPs: 1000, lwPs: 9000, windows: 2, pattern: ["1".repeat(16)], expected: [], criterion }] }), "p.json");
    expect(() => checkProgramForBench(program({ kind: "count-band", bands: [{ output: 4, min: 0, max: 1 }] }), "p.json", mlp)).toThrow(/vectors\[0\]\.criterion\.bands\[0\].*below 4/s);
    expect(() => checkProgramForBench(program({ kind: "count-band", bands: [{ output: 1, min: 2, max: 1 }] }), "p.json", mlp)).toThrow(/min ≤ max/);
    expect(() => checkProgramForBench(program({ kind: "class-decision", expectedClass: 9, marginSpikes: 1 }), "p.json", mlp)).toThrow(/criterion\.expectedClass/);
    expect(() => checkProgramForBench(program({ kind: "class-decision", expectedClass: 3, marginSpikes: 1 }), "p.json", mlp)).not.toThrow();
  });
});
