/**
 * The unit of work of a switching-probability measurement: count how many of a block of
 * independent single-pulse trials switch the free layer. Pure and deterministic for a
 * given seed, so a curve is the same whether it runs in-process or split over workers.
 *
 *   countSwitching({ params, settlePs, seed: 1 }, { point: 0, currentUa: 60, pulsePs: 500, trialStart: 0, trialCount: 100 })
 *     → { point: 0, switched: 58, trials: 100 }
 *
 * Trial t at current I draws from createRng(mixSeed(seed, round(1000·I), t)): the same
 * trial sees the same noise at every pulse width and on every device (common random
 * numbers), which sharpens comparisons between curves.
 */
import type { LlgParams } from "../sim/device/llg-solver.ts";
import { MacrospinSolver } from "../sim/device/llg-solver.ts";
import { switchingTrial } from "../sim/device/pulse-train.ts";
import { createRng, mixSeed } from "../sim/rng.ts";

/** What every task of one measurement shares. */
export interface SwitchingSetup {
  params: LlgParams;
  settlePs: number;
  seed: number;
}

/** A block of trials at one current and pulse width. */
export interface SwitchingTask {
  /** Index of the curve point the block belongs to. */
  point: number;
  currentUa: number;
  pulsePs: number;
  trialStart: number;
  trialCount: number;
}

export interface SwitchingTaskResult {
  point: number;
  trials: number;
  switched: number;
}

/** RNG seed of one trial. */
export function trialSeed(seed: number, currentUa: number, trial: number): number {
  return mixSeed(seed, Math.round(currentUa * 1000), trial);
}

/** Run one block of trials. */
export function countSwitching(setup: SwitchingSetup, task: SwitchingTask, solver = new MacrospinSolver(setup.params)): SwitchingTaskResult {
  let switched = 0;
  for (let t = task.trialStart; t < task.trialStart + task.trialCount; t++) {
    const rng = createRng(trialSeed(setup.seed, task.currentUa, t));
    if (switchingTrial(solver, task.currentUa, task.pulsePs, setup.settlePs, rng)) switched++;
  }
  return { point: task.point, trials: task.trialCount, switched };
}
