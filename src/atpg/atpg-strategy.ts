/**
 * The ATPG strategy extension point. A strategy proposes candidate vectors; the
 * generator (program-generator.ts) owns everything else: the guard band, fault
 * simulation with fault dropping, the budget, compaction and the program.
 *
 *   const randomStrategy: AtpgStrategy = {
 *     id: "random", title: "random patterns (baseline)",
 *     run(ctx) { while (ctx.budgetLeft()) ctx.offer(randomCandidate(ctx)); },
 *   };
 */
import type { Testbench } from "../formats/testbench-format.ts";
import type { Fault } from "../faults/fault.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import type { Rng } from "../sim/rng.ts";
import type { CandidateVector } from "./candidate-vector.ts";
import type { SpreadMemory } from "./edge-placement.ts";
import type { GuardBand, VectorGuardBand } from "./guard-band.ts";
import type { TimingRange } from "./window-timing.ts";

/** What happened to an offered candidate. */
export interface OfferResult {
  /** Kept in the program (it detected at least one new fault). */
  accepted: boolean;
  /** Rejected by the guard band (good chips would fail it too often). */
  rejectedByGuardBand: boolean;
  /** Passed the guard band and would detect something, but the independent hold-out population failed it. */
  rejectedByHoldOut: boolean;
  /** A duplicate of an earlier candidate. */
  duplicate: boolean;
  /** Indices of faults it newly detected (DT). */
  detected: number[];
  guard: VectorGuardBand | null;
}

/** Settings strategies read. */
export interface StrategySettings {
  /** Largest window count a vector may use. */
  maxWindows: number;
  /** Search budget per fault, in candidate evaluations (simulations of good + faulty chip). */
  searchLimit: number;
  /** Windows per random vector. */
  randomWindows: number;
  /** Stop a random phase after this many offers in a row that detect nothing new. */
  randomPatience: number;
  /** Random vectors tried before the targeted phases (0 = none, −1 = automatic: 256 on multi-layer benches). */
  randomWarmup: number;
}

/** The generator as a strategy sees it. */
export interface StrategyContext {
  readonly net: CompiledNetwork;
  readonly bench: Testbench;
  readonly faults: readonly Fault[];
  readonly timing: TimingRange;
  readonly guard: GuardBand;
  /** Spreads of ln(x_peak/θ) near threshold seen per neuron ("layer.col"). */
  readonly spreads: SpreadMemory;
  readonly rng: Rng;
  readonly settings: StrategySettings;
  /** Fault indices not yet detected and not given up on, in universe order. */
  remaining(): number[];
  /** Whether fault i is still to be detected. */
  isRemaining(i: number): boolean;
  /** Check a candidate (guard band, fault simulation, hold-out population) and keep it when it detects something new. */
  offer(c: CandidateVector, guard?: VectorGuardBand): OfferResult;
  /** Record that the search gave up on a fault (AU) or proved it undetectable (UD). */
  giveUp(i: number, cls: "AU" | "UD", reason: string): void;
  /** False once the vector limit or target coverage is reached, or the run was interrupted. */
  budgetLeft(): boolean;
  /** Report progress of a phase. */
  progress(phase: string, done: number, total: number): void;
}

/** A generation strategy. */
export interface AtpgStrategy {
  readonly id: string;
  readonly title: string;
  run(ctx: StrategyContext): void;
}
