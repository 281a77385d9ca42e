/**
 * The jobs a device worker can run, keyed by kind; the same functions run in-process
 * when no pool is used, so results never depend on where they ran.
 *
 *   deviceJobHandlers.switching({ setup, tasks })  → SwitchingTaskResult[]
 */
import { countSwitching, type SwitchingSetup, type SwitchingTask } from "./switching-kernel.ts";
import { countTrainSpikes, type PulseTrain, type TrainSetup } from "./train-kernel.ts";
import { MacrospinSolver } from "../sim/device/llg-solver.ts";

export const deviceJobHandlers = {
  switching: (p: { setup: SwitchingSetup; tasks: SwitchingTask[] }) => {
    const solver = new MacrospinSolver(p.setup.params);
    return p.tasks.map((t) => countSwitching(p.setup, t, solver));
  },
  trains: (p: { setup: TrainSetup; trains: PulseTrain[] }) => countTrainSpikes(p.setup, p.trains),
} as const;

export type DeviceJobKind = keyof typeof deviceJobHandlers;
export type DeviceJobPayload<K extends DeviceJobKind> = Parameters<(typeof deviceJobHandlers)[K]>[0];
export type DeviceJobResult<K extends DeviceJobKind> = ReturnType<(typeof deviceJobHandlers)[K]>;
