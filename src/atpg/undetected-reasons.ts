/**
 * Why the search stopped, and why each fault the final program leaves undetected was
 * left: the reason printed beside every AU / ND fault must be the true one. "The target
 * coverage was reached" is said only when the *final program* reaches it (the running
 * figure of the search is not the program's), a search that simply ran out of
 * candidates says so, and a fault the search once detected but the final program does
 * not is ND with that fact, never a quiet AU.
 *
 *   stopReasonOf({ interrupted: false, vectorLimit: null, targetReached: true, outOfTime: false, nothingLeft: false })
 *     → "target-reached"
 *   finalOutcomes(engineOutcomes, status, reasons, faults, { stopReason: "strategy-finished", targetPercent: 100, pdCredit: 0.5, maxVectors: 10000 })
 *     → { outcomes, undetected }
 */
import type { Fault } from "../faults/fault.ts";
import { computeCoverage } from "../faultsim/coverage.ts";
import type { FaultClass, FaultOutcome } from "../faultsim/fault-engine.ts";
import type { UndetectedFault } from "./atpg-summary.ts";

/** Why the search ended (the first condition that held). */
export type StopReason = "interrupted" | "vector-limit" | "target-reached" | "out-of-time" | "nothing-left" | "strategy-finished";

/** The generator's per-fault search state. */
export type SearchStatus = "open" | "PD" | "DT" | "AU" | "UD";

/** The budget conditions, checked in this order; null while the search may go on. */
export function stopReasonOf(c: { interrupted: boolean; vectorLimit: number | null; targetReached: boolean; outOfTime: boolean; nothingLeft: boolean }): StopReason | null {
  if (c.interrupted) return "interrupted";
  if (c.vectorLimit !== null) return "vector-limit";
  if (c.targetReached) return "target-reached";
  if (c.outOfTime) return "out-of-time";
  if (c.nothingLeft) return "nothing-left";
  return null;
}

export interface ReasonContext {
  stopReason: StopReason;
  /** Target test coverage, percent. */
  targetPercent: number;
  pdCredit: number;
  maxVectors: number;
}

const pdReason = "only possibly detected: a spike moves within the tolerance band, or only some repetitions differ";

/** The reason of a fault the search never finished with. */
function openReason(stop: StopReason, ctx: ReasonContext, finalTcPercent: number): string {
  switch (stop) {
    case "interrupted":
      return "aborted: generation was interrupted before this fault was searched";
    case "vector-limit":
      return `aborted: the vector limit (--max-vectors ${ctx.maxVectors}) was reached before this fault was searched`;
    case "out-of-time":
      return "aborted: the time budget ran out before this fault was searched";
    case "target-reached":
      return finalTcPercent >= ctx.targetPercent - 1e-9
        ? "aborted: the target coverage was reached before this fault was searched"
        : `aborted: the search stopped when its running coverage reached the target, but the final program's test coverage (${finalTcPercent.toFixed(2)} %) is below ${ctx.targetPercent} %`;
    case "nothing-left":
    case "strategy-finished":
      return "no vector found: the strategy ended without a vector that detects it and without a more specific reason";
  }
}

/**
 * Merge the final fault simulation with the search's own knowledge: the engine's DT, PD
 * and UD stand; a fault the search gave up on keeps its class and reason; the rest get
 * the reason above.
 */
export function finalOutcomes(
  engineOutcomes: readonly FaultOutcome[],
  status: readonly SearchStatus[],
  reasons: readonly (string | undefined)[],
  faults: readonly Fault[],
  ctx: ReasonContext,
): { outcomes: FaultOutcome[]; undetected: UndetectedFault[] } {
  const pending: number[] = [];
  const outcomes = engineOutcomes.map((out, i): FaultOutcome => {
    if (out.cls === "DT" || out.cls === "UD" || out.cls === "PD") return out;
    if (status[i] === "AU" || status[i] === "UD") return { ...out, cls: status[i] as FaultClass, reason: reasons[i] };
    if (status[i] === "DT" || status[i] === "PD") {
      return { ...out, cls: "ND", reason: "not detected by the final program: the search detected it with a vector that compaction or the final timing band lost" };
    }
    pending.push(i);
    return { ...out, cls: "AU" };
  });
  if (pending.length > 0) {
    const tc = computeCoverage(outcomes, faults, { pdCredit: ctx.pdCredit }).total.testCoverage * 100;
    for (const i of pending) outcomes[i] = { ...outcomes[i], reason: openReason(ctx.stopReason, ctx, tc) };
  }
  const undetected: UndetectedFault[] = outcomes
    .filter((out) => out.cls !== "DT")
    .map((out) => ({
      faultId: out.faultId,
      cls: out.cls as UndetectedFault["cls"],
      reason: out.reason ?? (out.cls === "PD" ? pdReason : "not detected"),
    }));
  return { outcomes, undetected };
}
