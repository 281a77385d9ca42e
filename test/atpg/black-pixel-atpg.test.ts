/**
 * ATPG on the seed 000 reference circuit (black-pixel-4x1): 100 % test coverage of the
 * collapsed universe for every fault model that has faults there, checked by the
 * *reference* engine on the written program (not by the generator's own bookkeeping),
 * threshold-edge vectors inside the bench's timing range, and the guard band.
 */
import { describe, expect, it } from "vitest";
import { windowMargins } from "../../src/atpg/index.ts";
import { faultEngines, faultSimVectors } from "../../src/faultsim/index.ts";
import { simulateNetwork } from "../../src/sim/network.ts";
import { patternEvents } from "../../src/sim/stimulus.ts";
import { generate } from "./atpg-harness.ts";

describe("generate on black-pixel-4x1", () => {
  const g = generate("black-pixel-4x1");

  it("reaches 100 % test coverage for every fault model with faults on the bench (reference engine on the program)", () => {
    const vectors = faultSimVectors(g.program, "generated", { timingResolutionPs: g.loaded.bench.timing.tickPs });
    const r = faultEngines.reference.run(g.net, g.universe.faults, vectors, { drop: true });
    const byModel = new Map<string, string[]>();
    r.outcomes.forEach((o, i) => {
      const m = g.universe.faults[i].modelId;
      byModel.set(m, [...(byModel.get(m) ?? []), o.cls]);
    });
    expect(byModel.size).toBeGreaterThanOrEqual(7); // every shipped model but retention-flip (no R_H cell) has faults
    for (const [model, classes] of byModel) {
      const notDetected = classes.filter((c) => c !== "DT" && c !== "UD");
      expect(notDetected, `${model}: ${classes.join(",")}`).toEqual([]);
    }
    for (const [model, c] of Object.entries(g.summary.coverage.byModel)) {
      if (c.all > 0) expect(c.testCoveragePercent, model).toBe(100);
    }
    // the only UD faults are the read-path opens, which carry no write current
    const ud = r.outcomes.filter((o) => o.cls === "UD").map((o) => o.faultId);
    expect(ud.length).toBe(4);
    for (const id of ud) expect(id).toMatch(/\.read:/);
  });

  it("uses two vectors: a fire edge and a quiet edge (docs/atpg.md argues that one cannot do)", () => {
    expect(g.program.vectors.length).toBe(2);
    const fire = g.program.vectors.filter((v) => v.expected.length > 0);
    const quiet = g.program.vectors.filter((v) => v.expected.length === 0);
    expect(fire.length).toBe(1);
    expect(quiet.length).toBe(1);
  });

  it("puts the good neuron at a threshold edge: small margin, but at least the guard band's", () => {
    const { iwRangePs, lwRangePs } = g.loaded.bench.timing;
    for (const v of g.program.vectors) {
      expect(v.iwPs).toBeGreaterThanOrEqual(iwRangePs![0]);
      expect(v.iwPs).toBeLessThanOrEqual(iwRangePs![1]);
      expect(v.lwPs).toBeGreaterThanOrEqual(lwRangePs![0]);
      expect(v.lwPs).toBeLessThanOrEqual(lwRangePs![1]);
      const stim = { iwPs: v.iwPs, lwPs: v.lwPs, windows: v.windows, events: patternEvents(v.pattern!, v.windows, v.iwPs, v.lwPs) };
      const m = windowMargins(g.net, simulateNetwork(g.net, stim), v.windows);
      const peaks = Array.from(m.logPeak[0]);
      const closest = Math.min(...peaks.map(Math.abs));
      // within 40 % of threshold (|ln ρ| < 0.35) yet outside 2 % (the smallest guard margin)
      expect(closest).toBeLessThan(0.35);
      expect(closest).toBeGreaterThan(0.02);
      expect(v.goodFailProbability!).toBeLessThanOrEqual(1e-3);
    }
    expect(g.summary.guardBand.estimatedYieldLoss).toBeLessThan(2e-3);
  });

  it("records metadata: tool version, seed, coverage summary, testbench hash", () => {
    const md = g.program.metadata;
    expect(md.toolVersion).toBe("test");
    expect(md.seed).toBe(1);
    expect(md.testbenchSha256).toBe(g.loaded.sha256);
    expect(md.coverage?.total.testCoveragePercent).toBe(100);
    expect(md.totalTestTimeNs).toBeCloseTo(g.program.vectors.reduce((s, v) => s + (v.windows * (v.iwPs + v.lwPs)) / 1000, 0), 3);
  });
});
