/**
 * Switching-probability curve of a device (seed 002 fig. 3): for each heavy-metal
 * current, the fraction of single write pulses that switch the free layer P → AP, with
 * Wilson 95 % intervals, a logistic fit (midpoint I50 and scale) and a monotonicity check.
 *
 *   const runner = poolRunner(2);
 *   const curve = await measureSwitchingCurve(constants, runner, { currentsUa: [40, 50, 60], pulsePs: 500, trials: 200, seed: 1 });
 *   curve.fit.midpointUa   // ≈ 57 µA for seed002-she-eb20
 *
 * `findTransition` brackets the transition automatically when no current range is given.
 * The result is a frozen, JSON-serialisable record; printing and plotting take it as is.
 */
import type { DeviceConstants } from "../sim/device/device-constants.ts";
import { llgParamsOf, type LlgOptions } from "../sim/device/llg-solver.ts";
import { wilsonInterval } from "../stats/binomial-confidence.ts";
import { fitLogistic, monotonicViolation, type LogisticFit } from "./binomial-stats.ts";
import type { SwitchingSetup, SwitchingTask } from "./switching-kernel.ts";
import type { DeviceJobRunner } from "./worker-pool.ts";

export interface SwitchingCurveOptions extends LlgOptions {
  currentsUa: number[];
  pulsePs: number;
  /** Trials per current. */
  trials: number;
  seed: number;
  /** Longest relaxation before the read, ps (default: the device's settlePs). */
  settlePs?: number;
}

export interface SwitchingCurvePoint {
  currentUa: number;
  trials: number;
  switched: number;
  probability: number;
  /** Wilson 95 % interval. */
  ciLow: number;
  ciHigh: number;
}

/** Frozen record of one measured curve. */
export interface SwitchingCurve {
  deviceId: string;
  pulsePs: number;
  temperatureK: number;
  timeStepPs: number;
  trialsPerPoint: number;
  seed: number;
  points: SwitchingCurvePoint[];
  fit: LogisticFit;
  /** 10–90 % width of the fitted logistic, µA. */
  width1090Ua: number;
  /** Null when monotonic within the 95 % intervals, else the offending pair. */
  monotonicViolation: { lowerUa: number; higherUa: number } | null;
  /** Threads the trials ran on. */
  threads: number;
}

function setupOf(c: DeviceConstants, o: LlgOptions & { seed: number; settlePs?: number }): SwitchingSetup {
  return { params: llgParamsOf(c, o), settlePs: o.settlePs ?? c.settlePs, seed: o.seed };
}

/** Count switching at each current, spreading blocks of trials over the runner's threads. */
export async function countAtCurrents(
  c: DeviceConstants,
  runner: DeviceJobRunner,
  o: SwitchingCurveOptions,
): Promise<{ currentUa: number; trials: number; switched: number }[]> {
  const setup = setupOf(c, o);
  const total = o.trials * o.currentsUa.length;
  const block = Math.max(8, Math.ceil(total / (runner.size * 6)));
  const jobs: SwitchingTask[][] = [];
  let current: SwitchingTask[] = [];
  let size = 0;
  o.currentsUa.forEach((currentUa, point) => {
    for (let start = 0; start < o.trials; start += block) {
      const trialCount = Math.min(block, o.trials - start);
      current.push({ point, currentUa, pulsePs: o.pulsePs, trialStart: start, trialCount });
      size += trialCount;
      if (size >= block) {
        jobs.push(current);
        current = [];
        size = 0;
      }
    }
  });
  if (current.length) jobs.push(current);
  const results = await Promise.all(jobs.map((tasks) => runner.run("switching", { setup, tasks })));
  const switched = o.currentsUa.map(() => 0);
  const trials = o.currentsUa.map(() => 0);
  for (const r of results.flat()) {
    switched[r.point] += r.switched;
    trials[r.point] += r.trials;
  }
  return o.currentsUa.map((currentUa, i) => ({ currentUa, trials: trials[i], switched: switched[i] }));
}

/** Measure a switching-probability curve. */
export async function measureSwitchingCurve(c: DeviceConstants, runner: DeviceJobRunner, o: SwitchingCurveOptions): Promise<SwitchingCurve> {
  const counts = await countAtCurrents(c, runner, o);
  const points = counts.map((p) => {
    const ci = wilsonInterval(p.switched, p.trials);
    return { ...p, probability: p.switched / p.trials, ciLow: ci.low, ciHigh: ci.high };
  });
  const fit = fitLogistic(points);
  return {
    deviceId: c.id,
    pulsePs: o.pulsePs,
    temperatureK: o.temperatureK ?? c.temperatureK,
    timeStepPs: o.timeStepPs ?? c.timeStepPs,
    trialsPerPoint: o.trials,
    seed: o.seed,
    points,
    fit,
    width1090Ua: 2 * Math.log(9) * fit.scaleUa,
    monotonicViolation: monotonicViolation(points),
    threads: runner.size,
  };
}

export interface TransitionOptions extends LlgOptions {
  pulsePs: number;
  seed: number;
  /** Trials per probe (default 32). */
  probeTrials?: number;
}

/**
 * Bracket the switching transition: a current range whose low end switches at most
 * ~5 % and whose high end at least ~95 % of the time (coarse probes, then a 9-point
 * grid). Starts at the T = 0 critical current and doubles / halves from there.
 */
export async function findTransition(c: DeviceConstants, runner: DeviceJobRunner, o: TransitionOptions): Promise<{ lowUa: number; highUa: number }> {
  const trials = o.probeTrials ?? 32;
  const probe = async (currentsUa: number[]) =>
    (await countAtCurrents(c, runner, { ...o, currentsUa, trials })).map((p) => p.switched / p.trials);
  let lo = Math.max(1, c.criticalCurrentUa);
  let [pLo] = await probe([lo]);
  for (let i = 0; pLo > 0.1 && i < 30; i++) {
    lo /= 2;
    [pLo] = await probe([lo]);
  }
  let hi = lo;
  let pHi = pLo;
  for (let i = 0; pHi < 0.9 && i < 30; i++) {
    if (pHi <= 0.1) lo = hi;
    hi *= 2;
    [pHi] = await probe([hi]);
  }
  const step = (hi - lo) / 8;
  const grid = Array.from({ length: 9 }, (_, i) => lo + step * i);
  const ps = await probe(grid);
  const first = ps.findIndex((q) => q > 0.05);
  const lastBelow = ps.length - 1 - [...ps].reverse().findIndex((q) => q < 0.95);
  const lowUa = first <= 0 ? Math.max(step / 4, lo - step) : grid[first - 1];
  const highUa = lastBelow >= ps.length ? grid[0] + step : lastBelow === ps.length - 1 ? hi + step : grid[lastBelow + 1];
  return { lowUa, highUa: Math.max(highUa, lowUa + 2 * step) };
}

/** Evenly spaced currents, `count` points from low to high. */
export function currentGrid(lowUa: number, highUa: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round((lowUa + ((highUa - lowUa) * i) / (count - 1)) * 100) / 100);
}
