/**
 * The registry of ATPG strategies, keyed by id (`--strategy <id>`).
 *
 *   atpgStrategies.targeted.run(ctx);   const ids = Object.keys(atpgStrategies) as StrategyId[];
 */
import type { AtpgStrategy } from "./atpg-strategy.ts";
import { exhaustiveStrategy } from "./strategies/exhaustive-strategy.ts";
import { randomStrategy } from "./strategies/random-strategy.ts";
import { targetedStrategy } from "./strategies/targeted-strategy.ts";

export const atpgStrategies = {
  targeted: targetedStrategy,
  random: randomStrategy,
  exhaustive: exhaustiveStrategy,
} as const satisfies Record<string, AtpgStrategy>;

export type StrategyId = keyof typeof atpgStrategies;

/** Whether a string names a strategy. */
export function isStrategyId(id: string): id is StrategyId {
  return Object.hasOwn(atpgStrategies, id);
}
