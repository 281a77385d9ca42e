/**
 * The unit of work of a calibration check: run a block of pulse trains on the device
 * model, several independent trials each, and count in which window each trial fired.
 *
 *   countTrainSpikes({ params, iwPs: 1000, lwPs: 9000, relaxationTauNs: 0.39, seed: 5, trials: 7 },
 *                    [{ index: 0, amplitudesUa: [80, 0, 30] }])
 *     → [{ index: 0, firstSpike: [6, 0, 0], none: 1 }]
 */
import { MacrospinSolver, type LlgParams } from "../sim/device/llg-solver.ts";
import { runWindowTrain } from "../sim/device/window-train.ts";
import { createRng, mixSeed } from "../sim/rng.ts";

export interface TrainSetup {
  params: LlgParams;
  iwPs: number;
  lwPs: number;
  relaxationTauNs: number;
  seed: number;
  /** Device trials per train. */
  trials: number;
}

/** One pulse train: a write-pulse amplitude per coding window (0 = no pulse), µA. */
export interface PulseTrain {
  index: number;
  amplitudesUa: number[];
}

export interface TrainCounts {
  index: number;
  /** firstSpike[w]: trials whose first spike came in window w. */
  firstSpike: number[];
  /** Trials without any spike. */
  none: number;
}

export function countTrainSpikes(setup: TrainSetup, trains: readonly PulseTrain[]): TrainCounts[] {
  const solver = new MacrospinSolver(setup.params);
  return trains.map((train) => {
    const firstSpike = train.amplitudesUa.map(() => 0);
    let none = 0;
    for (let t = 0; t < setup.trials; t++) {
      const rng = createRng(mixSeed(setup.seed, train.index, t));
      const w = runWindowTrain(solver, train.amplitudesUa, setup.iwPs, setup.lwPs, setup.relaxationTauNs, rng);
      if (w < 0) none++;
      else firstSpike[w]++;
    }
    return { index: train.index, firstSpike, none };
  });
}
