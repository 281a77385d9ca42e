/**
 * Seed 000 reference circuit (black-pixel-4x1): the simulator must reproduce table III's
 * column currents, the 3-window firing of (1,1,1,1), silence for ≤ 3 inputs, and the
 * open-defect behaviour of tables IV and VI.
 */
import { describe, expect, it } from "vitest";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { applyPerturbations, compileNetwork, patternEvents, resolveSite, simulateNetwork } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

const { bench } = loadTestbench(`${repoRoot}/testbenches/black-pixel-4x1.json`);
const net = compileNetwork(bench);

function run(pattern: string, windows: number, iwPs = 1000, lwPs = 9000, open?: { site: string; ohms: number }) {
  const n = open
    ? applyPerturbations(net, [{ site: resolveSite(net, open.site, bench.siteAliases), quantity: "ohms", op: "add", value: open.ohms }])
    : net;
  return simulateNetwork(n, { iwPs, lwPs, windows, events: patternEvents([pattern], windows, iwPs, lwPs) });
}

/** Seed 000's test: (1,1,1,1) for 3 windows; detected when no spike occurs. */
function detected(site: string, ohms: number, iwPs = 1000, lwPs = 9000): boolean {
  return run("1111", 3, iwPs, lwPs, { site, ohms }).spikes.length === 0;
}

/** Smallest detected open resistance, by bisection on a log scale to 0.1 %. */
function minDetectableOhms(site: string, iwPs = 1000, lwPs = 9000): number {
  let lo = 1;
  let hi = 1e7;
  expect(detected(site, hi, iwPs, lwPs)).toBe(true);
  expect(detected(site, lo, iwPs, lwPs)).toBe(false);
  while (hi / lo > 1.001) {
    const mid = Math.sqrt(lo * hi);
    if (detected(site, mid, iwPs, lwPs)) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe("black-pixel-4x1 reproduces seed 000", () => {
  it.each([
    ["1000", 27.07],
    ["1100", 54.17],
    ["1110", 81.3],
    ["1111", 108.44],
  ])("column current for %s is within 0.31 percent of %f µA (table III, as the README claims: 108.11 vs 108.44 µA is the largest gap)", (pattern, ua) => {
    const r = run(pattern, 1);
    expect(Math.abs(r.layers[0].currentsUa[0][0] - ua) / ua).toBeLessThan(0.0031);
  });

  it("draws no current with no input", () => {
    const r = run("0000", 1);
    expect(r.layers[0].currentsUa.every((c) => c[0] === 0)).toBe(true);
  });

  it("fires first in window 3 (index 2) for 1111, not before", () => {
    const r = run("1111", 20);
    expect(r.spikes.length).toBeGreaterThan(0);
    expect(r.spikes[0].window).toBe(2);
    expect(r.spikes[0].timePs).toBeGreaterThanOrEqual(20000);
    expect(r.spikes[0].timePs).toBeLessThan(21000); // inside the integrate window
  });

  it("stays silent for 20 windows on every pattern with at most 3 active inputs", () => {
    for (let p = 0; p < 16; p++) {
      const bits = p.toString(2).padStart(4, "0");
      if (bits === "1111") continue;
      expect(run(bits, 20).spikes, bits).toEqual([]);
    }
  });

  describe("resistive opens (tables IV and VI)", () => {
    const base = { rop1: minDetectableOhms("rop1"), rop2: minDetectableOhms("rop2"), rop3: minDetectableOhms("rop3") };

    it("rop1 is within 25 % of 16 kΩ", () => {
      expect(Math.abs(base.rop1 - 16000) / 16000).toBeLessThan(0.25);
    });

    it("rop1:rop2 and rop2:rop3 are each between 3 and 5.5 (series with 1, 2, 4 parallel cells)", () => {
      expect(base.rop1 / base.rop2).toBeGreaterThan(3);
      expect(base.rop1 / base.rop2).toBeLessThan(5.5);
      expect(base.rop2 / base.rop3).toBeGreaterThan(3);
      expect(base.rop2 / base.rop3).toBeLessThan(5.5);
    });

    it.each(["rop1", "rop2", "rop3"] as const)("%s: IW 1.2 ns and LW 8.9 ns both raise the minimum detectable R", (site) => {
      expect(minDetectableOhms(site, 1200, 9000)).toBeGreaterThan(base[site] * 1.002);
      expect(minDetectableOhms(site, 1000, 8900)).toBeGreaterThan(base[site] * 1.002);
    });

    it("an open on the read path of a cell never changes spiking", () => {
      expect(detected("l0.r0.c0.read", 1e9)).toBe(false);
    });
  });
});
