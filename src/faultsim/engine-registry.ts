/**
 * The fault-engine registry, keyed by the id `--engine` takes.
 *
 *   faultEngines.fast.run(net, faults, vectors, { drop: true })
 */
import type { FaultEngine } from "./fault-engine.ts";
import { fastEngine } from "./fast-engine.ts";
import { referenceEngine } from "./reference-engine.ts";

export const faultEngines = {
  reference: referenceEngine,
  fast: fastEngine,
} as const satisfies Record<string, FaultEngine>;

export type FaultEngineId = keyof typeof faultEngines;
