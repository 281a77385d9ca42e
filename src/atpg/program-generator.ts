/**
 * The ATPG driver: runs a strategy against a fault universe and turns what it kept
 * into a compacted, guard-banded test program with expected responses.
 *
 *   const r = generateProgram({ loaded, net, faults, models, engine: faultEngines.fast }, { seed: 1 });
 *   r.program   // validated Program (write it with openProgramWriter)
 *   r.summary   // AtpgSummary: vectors, windows, test time, coverage by model, undetected faults and why
 *
 * Every candidate a strategy offers goes through the same gate (`offer`):
 * duplicate check, guard band (Monte-Carlo good chips, guard-band.ts), the fault engine
 * on the faults still undetected (fault dropping), and — for a candidate that would be
 * kept — the hold-out check: an independent Monte-Carlo population 4× larger re-judges
 * it (a candidate that passed because the selection chips happened to be kind to it is
 * rejected *before* it is kept, so the strategy goes on searching for its faults instead
 * of losing them after the search). The yield figures and tolerance bands come from the
 * hold-out population. After the strategy: compaction (compaction.ts), a final fault
 * simulation of the kept vectors on the whole universe (the program's coverage), the
 * reason of every fault left undetected (undetected-reasons.ts).
 * Everything random is seeded from `seed`, nothing depends on the clock, so the same
 * inputs give the same program.
 */
import type { Testbench } from "../formats/testbench-format.ts";
import type { LoadedTestbench } from "../formats/testbench-loader.ts";
import type { Fault } from "../faults/fault.ts";
import type { FaultEngine, FaultOutcome, FaultSimOptions, FaultSimVector } from "../faultsim/fault-engine.ts";
import { DEFAULT_PD_CREDIT } from "../faultsim/coverage.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { createRng, mixSeed } from "../sim/rng.ts";
import type { AtpgStrategy, OfferResult, StrategyContext, StrategySettings } from "./atpg-strategy.ts";
import type { PhaseStats, UndetectedFault } from "./atpg-summary.ts";
import { candidateKey, candidateStimulus, type CandidateVector } from "./candidate-vector.ts";
import { compactVectors, type CompactionResult } from "./compaction.ts";
import { observeSpread, type SpreadMemory } from "./edge-placement.ts";
import { createGuardBand, evaluateGuardBand, type GuardBand, type VectorGuardBand } from "./guard-band.ts";
import { atpgStrategies, type StrategyId } from "./strategy-registry.ts";
import { finalOutcomes, stopReasonOf, type SearchStatus, type StopReason } from "./undetected-reasons.ts";
import { candidateAsVector, narrowTiming, type VectorConstraint } from "./vector-constraint.ts";
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
  /** A tester's limits (`generate --profile`): the timing range is narrowed to them and every candidate is asked before it is judged. */
  constraint?: VectorConstraint;
}

/** A kept vector with what the gate learned about it. */
export interface KeptVector {
  candidate: CandidateVector;
  /** The hold-out population's verdict (the selection population's when there is no hold-out). */
  guard: VectorGuardBand;
  simVector: FaultSimVector;
}

export interface GenerateResult {
  kept: KeptVector[];
  /** Final classification of every fault of the universe (same order). */
  outcomes: FaultOutcome[];
  compaction: CompactionResult | null;
  /** Candidates the hold-out Monte-Carlo population rejected (never kept; the search went on). */
  validationRejected: number;
  validationChips: number;
  phases: Record<string, PhaseStats>;
  /** Why the search stopped. */
  stopReason: StopReason;
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


/** Run ATPG (see header). */
export function generateProgram(input: GenerateInput, o: GenerateOptions = {}): GenerateResult {
  const t0 = performance.now();
  const { net, faults, engine } = input;
  const bench: Testbench = input.loaded.bench;
  const seed = o.seed ?? 1;
  const strategy = typeof o.strategy === "object" ? o.strategy : atpgStrategies[o.strategy ?? "targeted"];
  const settings: StrategySettings = { ...defaultStrategySettings, ...o.settings };
  const timing = o.constraint ? narrowTiming(timingRangeOf(bench), o.constraint) : timingRangeOf(bench);
  const tick = timing.tickPs;
  const guardOptions = { failBound: o.failBound, minTolerancePs: o.timingTolerancePs ?? 500, tickPs: tick };
  const guard = createGuardBand(net, bench, { ...guardOptions, seed: mixSeed(seed, 0x6ba7), chips: o.monteCarloChips });
  const validationFactor = o.validationFactor ?? 4;
  const validationChips = guard.count > 0 && validationFactor > 0 ? Math.max(1, Math.round(guard.count * validationFactor)) : 0;
  // the hold-out population (winner's curse: see guard-band.ts); built lazily, only a candidate worth keeping meets it
  let holdOut: GuardBand | null = null;
  const holdOutBand = () => (holdOut ??= createGuardBand(net, bench, { ...guardOptions, seed: mixSeed(seed, 0x7a1d), chips: validationChips }));
  const engineOptions = (extra: FaultSimOptions) => ({ ...input.engineOptions, ...extra }) as FaultSimOptions;
  const maxVectors = o.maxVectors ?? 10_000;
  const target = (o.targetCoveragePercent ?? DEFAULT_TARGET_COVERAGE_PERCENT) / 100;
  const deadline = o.timeBudgetMs !== undefined ? t0 + o.timeBudgetMs : Number.POSITIVE_INFINITY;

  // UD proofs first: the engine classifies what its static analysis proves undetectable.
  const status: SearchStatus[] = new Array(faults.length).fill("open");
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
  /** Every candidate offered, by key, with the gate's verdict (a repeat gets the same answer). */
  const seen = new Map<string, OfferResult>();
  const phases: Record<string, PhaseStats> = {};
  const spreads: SpreadMemory = new Map();
  let offers = 0;
  let validationRejected = 0;
  let stopReason: StopReason | null = null;

  // The open and PD faults, in index order: kept between status changes that end a fault's search.
  // budgetLeft asks for them in the strategies' inner loops: rebuilt (or copied) every time, they
  // were a quarter of the seed001 784×10 ATPG's time.
  let remainingList: number[] | null = null;
  const remainingView = (): readonly number[] => {
    if (!remainingList) {
      remainingList = [];
      for (let i = 0; i < status.length; i++) if (status[i] === "open" || status[i] === "PD") remainingList.push(i);
    }
    return remainingList;
  };
  const remaining = () => remainingView().slice(); // the strategies sort and filter their copy
  const remember = (g: VectorGuardBand) => {
    g.sd.forEach((a, li) => {
      const W = g.nominal.windows;
      for (let i = 0; i < a.length; i++) {
        if (Math.abs(g.nominal.logPeak[li][i]) > 0.5 || a[i] <= 0) continue; // the spread that matters is the one near threshold
        observeSpread(spreads, `${li}.${Math.floor(i / W)}`, a[i]);
      }
    });
  };
  /** What a vector would newly detect (DT) or possibly detect (PD) among the remaining faults; changes nothing. */
  const wouldDetect = (simVector: FaultSimVector) => {
    const idx = remainingView();
    const r = engine.run(net, idx.map((i) => faults[i]), [simVector], engineOptions({ drop: true, proveUndetectable: false }));
    const dt: number[] = [];
    const pd: number[] = [];
    r.outcomes.forEach((out, k) => {
      if (out.cls === "DT") dt.push(idx[k]);
      else if (out.cls === "PD" && status[idx[k]] === "open") pd.push(idx[k]);
    });
    return { dt, pd };
  };
  const rejected = (why: "guard" | "holdOut" | "nothing", g: VectorGuardBand): OfferResult => ({
    accepted: false,
    rejectedByGuardBand: why === "guard",
    rejectedByHoldOut: why === "holdOut",
    duplicate: false,
    detected: [],
    guard: g,
  });

  /** The gate for a new candidate: guard band, fault simulation, hold-out population. */
  const judge = (c: CandidateVector, stats: PhaseStats, given?: VectorGuardBand): OfferResult => {
    const stimulus = candidateStimulus(c);
    const g = given ?? evaluateGuardBand(guard, stimulus);
    remember(g);
    if (!g.accepted) {
      stats.rejectedByGuardBand++;
      return rejected("guard", g);
    }
    let band = g;
    let simVector: FaultSimVector = { id: `c${offers + 1}`, stimulus, toleranceBandPs: g.toleranceBandPs, timingResolutionPs: tick };
    let found = wouldDetect(simVector);
    if (found.dt.length === 0 && found.pd.length === 0) {
      stats.detectedNothing++;
      return rejected("nothing", g);
    }
    if (validationChips > 0) {
      band = evaluateGuardBand(holdOutBand(), stimulus);
      if (!band.accepted) {
        stats.rejectedByHoldOut++;
        validationRejected++;
        return rejected("holdOut", band);
      }
      if (band.toleranceBandPs !== g.toleranceBandPs) {
        // the larger population may widen the timing band: judge detection with the band the program will carry
        simVector = { ...simVector, toleranceBandPs: band.toleranceBandPs };
        found = wouldDetect(simVector);
        if (found.dt.length === 0 && found.pd.length === 0) {
          stats.detectedNothing++;
          return rejected("nothing", band);
        }
      }
    }
    for (const i of found.dt) {
      credited += weight[i] * (status[i] === "PD" ? 1 - pdCredit : 1);
      status[i] = "DT";
      remainingList = null;
    }
    for (const i of found.pd) {
      credited += weight[i] * pdCredit;
      status[i] = "PD";
    }
    offers++;
    stats.accepted++;
    kept.push({ candidate: c, guard: band, simVector });
    return { accepted: true, rejectedByGuardBand: false, rejectedByHoldOut: false, duplicate: false, detected: found.dt, guard: band };
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
      const stats = (phases[c.origin] ??= { offered: 0, accepted: 0, rejectedByGuardBand: 0, rejectedByHoldOut: 0, detectedNothing: 0, duplicates: 0 });
      stats.offered++;
      const key = candidateKey(c);
      const earlier = seen.get(key);
      if (earlier) {
        stats.duplicates++;
        return { ...earlier, accepted: false, duplicate: true, detected: [] };
      }
      const refusal = o.constraint?.refuse(candidateAsVector(c, `c${offers + 1}`));
      const verdict: OfferResult = refusal ? { accepted: false, rejectedByGuardBand: false, rejectedByHoldOut: false, duplicate: false, detected: [], guard: null } : judge(c, stats, given);
      if (refusal) stats.refusedByTester = (stats.refusedByTester ?? 0) + 1;
      // verdicts hold per-window arrays: keep only what a repeat needs (the hold-out's, to widen a margin)
      seen.set(key, { ...verdict, guard: verdict.rejectedByHoldOut ? verdict.guard : null });
      return verdict;
    },
    giveUp(i, cls, reason) {
      if (status[i] === "DT") return;
      if (status[i] === "PD") return; // keep the possible detection; the reason is reported only if it stays PD
      status[i] = cls;
      remainingList = null;
      reasons[i] = reason;
    },
    budgetLeft: () => {
      if (stopReason) return false;
      stopReason = stopReasonOf({
        interrupted: o.signal?.aborted ?? false,
        vectorLimit: kept.length >= maxVectors ? maxVectors : null,
        targetReached: coverageNow() >= target - 1e-12,
        outOfTime: performance.now() >= deadline,
        nothingLeft: remainingView().length === 0,
      });
      return stopReason === null;
    },
    progress: (phase, done, total) => o.onProgress?.(phase, done, total),
  };

  strategy.run(ctx);

  // Compaction, then the program's own coverage on the whole universe.
  let compaction: CompactionResult | null = null;
  let final = kept;
  const live = faults.filter((_, i) => status[i] !== "UD");
  if ((o.compaction ?? true) && kept.length > 1 && !o.signal?.aborted) {
    o.onProgress?.("compaction", 0, 1);
    compaction = compactVectors(engine, net, live, kept.map((k) => k.simVector), { engineOptions: engineOptions({}) });
    final = compaction.keep.map((i) => kept[i]);
    o.onProgress?.("compaction", 1, 1);
  }
  final = final.map((k, i) => ({ ...k, simVector: { ...k.simVector, id: `v${i + 1}` } }));
  o.onProgress?.("final fault simulation", 0, 1);
  const result = engine.run(net, faults, final.map((k) => k.simVector), engineOptions({ drop: true }));
  o.onProgress?.("final fault simulation", 1, 1);
  const { outcomes, undetected } = finalOutcomes(result.outcomes, status, reasons, faults, {
    stopReason: stopReason ?? "strategy-finished",
    targetPercent: target * 100,
    pdCredit,
    maxVectors,
  });
  return {
    kept: final,
    outcomes,
    compaction,
    validationRejected,
    validationChips,
    phases,
    stopReason: stopReason ?? "strategy-finished",
    undetected,
    guard,
    settings,
    strategyId: strategy.id,
    seed,
    elapsedMs: performance.now() - t0,
  };
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
