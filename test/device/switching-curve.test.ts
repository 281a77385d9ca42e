/**
 * Seed 002 fig. 3 with the macrospin model (acceptance of issue 6): the 50 % switching
 * current at 0.5 ns / E_B = 20 k_BT against the published ~71 µA, monotonic curves, the
 * midpoint moving up with the barrier and the curve widening as the pulse shortens —
 * each comparison beyond three standard errors of the logistic fits. Trials run on a
 * worker pool, which is checked to match the in-process runner exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentGrid, findTransition, measureSwitchingCurve, type SwitchingCurve } from "../../src/characterise/switching-curve.ts";
import { poolRunner, inProcessRunner, type DeviceJobRunner } from "../../src/characterise/worker-pool.ts";
import { loadDeviceFile } from "../../src/formats/device-format.ts";
import { deriveDeviceConstants } from "../../src/sim/device/device-constants.ts";

let pool: DeviceJobRunner;
const cache = new Map<string, Promise<SwitchingCurve>>();

function curve(deviceId: string, pulsePs: number): Promise<SwitchingCurve> {
  const key = `${deviceId}@${pulsePs}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const c = deriveDeviceConstants(loadDeviceFile(`devices/${deviceId}.json`));
      const r = await findTransition(c, pool, { pulsePs, seed: 101 });
      return measureSwitchingCurve(c, pool, { currentsUa: currentGrid(r.lowUa, r.highUa, 10), pulsePs, trials: 200, seed: 202 });
    })();
    cache.set(key, p);
  }
  return p;
}

/** a < b by more than three combined standard errors. */
function clearlyBelow(a: { v: number; se: number }, b: { v: number; se: number }): boolean {
  return b.v - a.v > 3 * Math.hypot(a.se, b.se);
}

beforeAll(() => {
  pool = poolRunner(2);
});
afterAll(async () => {
  await pool.close();
});

describe("switching probability of the seed 002 neuron (fig. 3)", () => {
  it("switches 50 % at a current within 30 % of the published ~71 µA for a 0.5 ns pulse at E_B = 20 k_BT", async () => {
    const d = loadDeviceFile("devices/seed002-she-eb20.json");
    const ref = d.published?.switchingCurrents.find((s) => s.pulsePs === 500 && s.probability === 0.5);
    expect(ref?.currentUa).toBe(71);
    const c = await curve("seed002-she-eb20", 500);
    expect(c.fit.resolved).toBe(true);
    expect(Math.abs(c.fit.midpointUa / ref!.currentUa - 1)).toBeLessThan(0.3);
    expect(c.points[0].probability).toBeLessThan(0.2); // the grid really spans the transition
    expect(c.points[c.points.length - 1].probability).toBeGreaterThan(0.8);
  });

  it("gives curves that are monotonic within their binomial confidence intervals", async () => {
    for (const [id, pulse] of [["seed002-she-eb20", 500], ["seed002-she-eb20", 200], ["seed002-she-eb10", 1000]] as const) {
      const c = await curve(id, pulse);
      expect(c.monotonicViolation, `${id} @ ${pulse} ps`).toBeNull();
    }
  });

  it("moves the midpoint up as E_B goes 10 → 20 → 30 k_BT (1 ns pulse)", async () => {
    const [a, b, c] = await Promise.all(["seed002-she-eb10", "seed002-she-eb20", "seed002-she-eb30"].map((id) => curve(id, 1000)));
    const mid = (x: SwitchingCurve) => ({ v: x.fit.midpointUa, se: x.fit.midpointStdErrUa });
    expect(clearlyBelow(mid(a), mid(b))).toBe(true);
    expect(clearlyBelow(mid(b), mid(c))).toBe(true);
  });

  it("widens as the pulse shortens 1 → 0.5 → 0.2 ns (E_B = 20 k_BT)", async () => {
    const [l, m, s] = await Promise.all([1000, 500, 200].map((p) => curve("seed002-she-eb20", p)));
    const width = (x: SwitchingCurve) => ({ v: x.fit.scaleUa, se: x.fit.scaleStdErrUa });
    expect(clearlyBelow(width(l), width(m))).toBe(true);
    expect(clearlyBelow(width(m), width(s))).toBe(true);
    // and the midpoint rises as the pulse shortens
    expect(l.fit.midpointUa).toBeLessThan(m.fit.midpointUa);
    expect(m.fit.midpointUa).toBeLessThan(s.fit.midpointUa);
  });

  it("runs its trials on worker threads, with counts identical to the in-process runner", async () => {
    const c = deriveDeviceConstants(loadDeviceFile("devices/seed002-she-eb20.json"));
    const o = { currentsUa: [45, 60, 75], pulsePs: 500, trials: 40, seed: 7 };
    const local = inProcessRunner();
    const a = await measureSwitchingCurve(c, local, o);
    const b = await measureSwitchingCurve(c, pool, o);
    expect(b.points.map((p) => p.switched)).toEqual(a.points.map((p) => p.switched));
    expect([...local.threadIds]).toEqual([0]);
    expect(pool.threadIds.size).toBeGreaterThan(0);
    expect([...pool.threadIds].every((id) => id !== 0)).toBe(true);
  });
});
