/**
 * The ATPG driver: runs a strategy against a fault universe and turns what it kept
 * into a compacted, guard-banded test program with expected responses.
 *
 *   const r = generateProgram({ loaded, net, faults, models, engine: faultEngines.fast }, { seed: 1 });
 *   r.program   // validated Program (write it with openProgramWriter)
 *   r.summary   // AtpgSummary: vectors, windows, test time, coverage by model, undetected faults and why
 *
 * Every candidate a strategy offers goes through the same gate: duplicate check, guard
 * band (Monte-Carlo good chips, guard-band.ts), then the fault engine on the faults
 * still undetected (fault dropping); it is kept when it detects a new fault. After the
 * strategy: compaction (compaction.ts), a final fault simulation of the kept vectors on
 * the whole universe (the program's coverage), expected responses from the good chip.
 * Before that, every kept vector is re-judged on an independent Monte-Carlo population
 * 4× larger (hold-out validation): a candidate that passed because the selection chips
 * happened to be kind to it is dropped, and the yield figures come from the hold-out.
 * Everything random is seeded from `seed`, nothing depends on the clock, so the same
 * inputs give the same program.
 */
import type { Testbench } from "../formats/testbench-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { Fault } from "../faults/fault.ts";
import type { FaultClass, FaultEngine, FaultOutcome, FaultSimOptions, FaultSimVector } from "../faultsim/fault-engine.ts";
import { DEFAULT_PD_CREDIT } from "../faultsim/coverage.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import type { AtpgStrategy, OfferResult, StrategyContext, StrategySettings } from "./atpg-strategy.ts";
import type { PhaseStats, UndetectedFault } from "./atpg-summary.ts";
import { candidateKey, candidateStimulus, type CandidateVector } from "./candidate-vector.ts";
import { compactVectors, type CompactionResult } from "./compaction.ts";
import { observeSpread, type SpreadMemory } from "./edge-placement.ts";
import { createGuardBand, evaluateGuardBand, type VectorGuardBand } from "./guard-band.ts";
import { atpgStrategies, type StrategyId } from "./strategy-registry.ts";
import { timingRangeOf } from "./window-timing.ts";

/** Default test coverage a run aims at, percent. */
export const DEFAULT_TARGET_COVERAGE_PERCENT = 100;

/** What to generate for. */
export interface GenerateInput {
  loaded: LoadedTestbench;
  net: CompiledNetwork;
  /** The (collapsed) fault universe. */
  faults: readonly Fault[];
  /** Selected fault-model ids (listed in the coverage even without faults on this bench). */
  models: readonly string[];
  engine: FaultEngine;
  /** Extra engine options, e.g. `{ analysis }` from enumerateFaults. */
  engineOptions?: Record<string, unknown>;
}

export interface GenerateOptions {
  strategy?: StrategyId | AtpgStrategy;
  seed?: number;
  /** Stop once the test coverage reaches this, percent (default 100). */
  targetCoveragePercent?: number;
  /** Most vectors kept before compaction (default 10 000). */
  maxVectors?: number;
  /** Good-chip failure bound per vector (default 1e-3). */
  failBound?: number;
  /** Monte-Carlo chips per population (default 64). */
  monteCarloChips?: number;
  /** Program default timing tolerance, ps (default 500). */
  timingTolerancePs?: number;
  /** PD credit in the coverage figures (default 0.5). */
  pdCredit?: number;
  /** Compact the kept vectors (default true). */
  compaction?: boolean;
  /** Hold-out validation population, as a multiple of `monteCarloChips` (default 4; 0 = none). */
  validationFactor?: number;
  settings?: Partial<StrategySettings>;
  /** Stop searching after this long, ms (the program is still written). */
  timeBudgetMs?: number;
  onProgress?: (phase: string, done: number, total: number) => void;
  signal?: AbortSignal;
}

/** A kept vector with what the gate learned about it. */
export interface KeptVector {
  candidate: CandidateVector;
  guard: VectorGuardBand;
  simVector: FaultSimVector;
}

export interface GenerateResult {
  kept: KeptVector[];
  /** Final classification of every fault of the universe (same order). */
  outcomes: FaultOutcome[];
  compaction: CompactionResult | null;
  /** Vectors dropped because the hold-out Monte-Carlo population failed them. */
  validationRejected: number;
  validationChips: number;
  phases: Record<string, PhaseStats>;
  undetected: UndetectedFault[];
  guard: ReturnType<typeof createGuardBand>;
  settings: StrategySettings;
  strategyId: string;
  seed: number;
  elapsedMs: number;
}

export const defaultStrategySettings: StrategySettings = {
  maxWindows: 8,
  searchLimit: 300,
  randomWindows: 4,
  randomPatience: 32,
  randomWarmup: -1,
};

type Status = "open" | "PD" | "DT" | "AU" | "UD";

/** Run ATPG (see header). */
export function generateProgram(input: GenerateInput, o: GenerateOptions = {}): GenerateResult {
  const t0 = performance.now();
  const { net, faults, engine } = input;
  const bench: Testbench = input.loaded.bench;
  const seed = o.seed ?? 1;
  const strategy = typeof o.strategy === "object" ? o.strategy : atpgStrategies[o.strategy ?? "targeted"];
  const settings: StrategySettings = { ...defaultStrategySettings, ...o.settings };
  const timing = timingRangeOf(bench);
  const tick = timing.tickPs;
  const guard = createGuardBand(net, bench, {
    seed: mixSeed(seed, 0x6ba7),
    failBound: o.failBound,
    chips: o.monteCarloChips,
    minTolerancePs: o.timingTolerancePs ?? 500,
    tickPs: tick,
  });
  const engineOptions = (extra: FaultSimOptions) => ({ ...input.engineOptions, ...extra }) as FaultSimOptions;
  const maxVectors = o.maxVectors ?? 10_000;
  const target = (o.targetCoveragePercent ?? DEFAULT_TARGET_COVERAGE_PERCENT) / 100;
  const deadline = o.timeBudgetMs !== undefined ? t0 + o.timeBudgetMs : Number.POSITIVE_INFINITY;

  // UD proofs first: the engine classifies what its static analysis proves undetectable.
  const status: Status[] = new Array(faults.length).fill("open");
  const reasons: (string | undefined)[] = new Array(faults.length);
  const initial = engine.run(net, faults, [], engineOptions({ drop: true }));
  initial.outcomes.forEach((out, i) => {
    if (out.cls === "UD") {
      status[i] = "UD";
      reasons[i] = out.reason ?? "proved undetectable";
    }
  });
  const weight = faults.map((f) => f.classSize);
  const totalWeight = weight.reduce((a, b) => a + b, 0);
  const udWeight = weight.reduce((a, w, i) => a + (status[i] === "UD" ? w : 0), 0);
  let credited = 0;
  const pdCredit = o.pdCredit ?? DEFAULT_PD_CREDIT;
  const coverageNow = () => (totalWeight - udWeight > 0 ? credited / (totalWeight - udWeight) : 1);

  const kept: KeptVector[] = [];
  const seen = new Set<string>();
  const phases: Record<string, PhaseStats> = {};
  const spreads: SpreadMemory = new Map();
  let offers = 0;

  const remaining = () => {
    const out: number[] = [];
    for (let i = 0; i < status.length; i++) if (status[i] === "open" || status[i] === "PD") out.push(i);
    return out;
  };
  const remember = (g: VectorGuardBand) => {
    g.sd.forEach((a, li) => {
      const W = g.nominal.windows;
      for (let i = 0; i < a.length; i++) {
        if (Math.abs(g.nominal.logPeak[li][i]) > 0.5 || a[i] <= 0) continue; // the spread that matters is the one near threshold
        observeSpread(spreads, `${li}.${Math.floor(i / W)}`, a[i]);
      }
    });
  };

  const ctx: StrategyContext = {
    net,
    bench,
    faults,
    timing,
    guard,
    spreads,
    rng: createRng(mixSeed(seed, 0x51)),
    settings,
    remaining,
    isRemaining: (i) => status[i] === "open" || status[i] === "PD",
    offer(c: CandidateVector, given?: VectorGuardBand): OfferResult {
      const stats = (phases[c.origin] ??= { offered: 0, accepted: 0, rejectedByGuardBand: 0, duplicates: 0 });
      stats.offered++;
      const key = candidateKey(c);
      if (seen.has(key)) {
        stats.duplicates++;
        return { accepted: false, rejectedByGuardBand: false, duplicate: true, detected: [], guard: null };
      }
      seen.add(key);
      const g = given ?? evaluateGuardBand(guard, candidateStimulus(c));
      remember(g);
      if (!g.accepted) {
        stats.rejectedByGuardBand++;
        return { accepted: false, rejectedByGuardBand: true, duplicate: false, detected: [], guard: g };
      }
      const idx = remaining();
      const simVector: FaultSimVector = { id: `c${++offers}`, stimulus: candidateStimulus(c), toleranceBandPs: g.toleranceBandPs, timingResolutionPs: tick };
      const r = engine.run(net, idx.map((i) => faults[i]), [simVector], engineOptions({ drop: true, proveUndetectable: false }));
      const detected: number[] = [];
      let newPd = false;
      r.outcomes.forEach((out, k) => {
        const i = idx[k];
        if (out.cls === "DT") {
          credited += weight[i] * (status[i] === "PD" ? 1 - pdCredit : 1);
          status[i] = "DT";
          detected.push(i);
        } else if (out.cls === "PD" && status[i] === "open") {
          status[i] = "PD";
          credited += weight[i] * pdCredit;
          newPd = true;
        }
      });
      const accepted = detected.length > 0 || newPd;
      if (accepted) {
        stats.accepted++;
        kept.push({ candidate: c, guard: g, simVector });
      }
      return { accepted, rejectedByGuardBand: false, duplicate: false, detected, guard: g };
    },
    giveUp(i, cls, reason) {
      if (status[i] === "DT") return;
      if (status[i] === "PD") return; // keep the possible detection; the reason is reported only if it stays PD
      status[i] = cls;
      reasons[i] = reason;
    },
    budgetLeft: () =>
      kept.length < maxVectors && coverageNow() < target - 1e-12 && !o.signal?.aborted && performance.now() < deadline && remaining().length > 0,
    progress: (phase, done, total) => o.onProgress?.(phase, done, total),
  };

  strategy.run(ctx);

  // Compaction, then the program's own coverage on the whole universe.
  let compaction: CompactionResult | null = null;
  let final = kept;
  const live = faults.filter((_, i) => status[i] !== "UD");
  if ((o.compaction ?? true) && kept.length > 1) {
    o.onProgress?.("compaction", 0, 1);
    compaction = compactVectors(engine, net, live, kept.map((k) => k.simVector), { engineOptions: engineOptions({}) });
    final = compaction.keep.map((i) => kept[i]);
    o.onProgress?.("compaction", 1, 1);
  }
  // Hold-out validation: a vector chosen because it passed on one population is re-judged
  // on an independent, larger one (winner's curse), and the program's yield figures and
  // tolerance bands come from that population.
  let validationRejected = 0;
  if (guard.chips.length > 0 && (o.validationFactor ?? 4) > 0) {
    const validation = createGuardBand(net, bench, {
      seed: mixSeed(seed, 0x7a1d),
      failBound: o.failBound,
      chips: Math.max(1, Math.round(guard.chips.length * (o.validationFactor ?? 4))),
      minTolerancePs: o.timingTolerancePs ?? 500,
      tickPs: tick,
    });
    const validated: KeptVector[] = [];
    final.forEach((k, i) => {
      o.onProgress?.("guard-band validation", i + 1, final.length);
      const g = evaluateGuardBand(validation, k.simVector.stimulus);
      if (!g.accepted) {
        validationRejected++;
        return;
      }
      validated.push({ ...k, guard: g, simVector: { ...k.simVector, toleranceBandPs: g.toleranceBandPs } });
    });
    final = validated;
  }
  final = final.map((k, i) => ({ ...k, simVector: { ...k.simVector, id: `v${i + 1}` } }));
  const result = engine.run(net, faults, final.map((k) => k.simVector), engineOptions({ drop: true }));
  const limitReason = budgetReason(o, kept.length, maxVectors, deadline);
  const outcomes = result.outcomes.map((out, i): FaultOutcome => {
    if (out.cls === "DT" || out.cls === "UD" || out.cls === "PD") return out;
    if (status[i] === "AU" || status[i] === "UD") return { ...out, cls: status[i] as FaultClass, reason: reasons[i] };
    return { ...out, cls: "AU", reason: limitReason };
  });
  const undetected: UndetectedFault[] = outcomes
    .filter((out) => out.cls !== "DT")
    .map((out) => ({
      faultId: out.faultId,
      cls: out.cls as UndetectedFault["cls"],
      reason: out.reason ?? (out.cls === "PD" ? "only possibly detected: a spike moves within the tolerance band, or only some repetitions differ" : "not detected"),
    }));
  return {
    kept: final,
    outcomes,
    compaction,
    validationRejected,
    validationChips: guard.chips.length > 0 ? Math.max(1, Math.round(guard.chips.length * (o.validationFactor ?? 4))) : 0,
    phases,
    undetected,
    guard,
    settings,
    strategyId: strategy.id,
    seed,
    elapsedMs: performance.now() - t0,
  };
}

function budgetReason(o: GenerateOptions, kept: number, maxVectors: number, deadline: number): string {
  if (o.signal?.aborted) return "aborted: generation was interrupted before this fault was searched";
  if (kept >= maxVectors) return `aborted: the vector limit (--max-vectors ${maxVectors}) was reached before this fault was searched`;
  if (performance.now() >= deadline) return "aborted: the time budget ran out before this fault was searched";
  return "aborted: the target coverage was reached before this fault was searched";
}

/** Sum of windows × repetitions and total test time of kept vectors. */
export function programTime(kept: readonly KeptVector[]): { windows: number; totalTestTimeNs: number } {
  let windows = 0;
  let ps = 0;
  for (const k of kept) {
    const reps = k.simVector.repetitions ?? 1;
    windows += k.candidate.windows * reps;
    ps += k.candidate.windows * (k.candidate.iwPs + k.candidate.lwPs) * reps;
  }
  return { windows, totalTestTimeNs: ps / 1000 };
}
