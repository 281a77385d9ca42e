/**
 * Program writer, part 1: turn a generation result into the test-program record — the
 * expected response of the good chip for every vector, its tolerance band, its
 * repetitions and decision rule (stochastic neurons), the faults it targets, its
 * good-chip failure estimate — plus the metadata (tool version, seed, coverage summary,
 * testbench hash) and the run summary. Part 2 is the streaming writer
 * (src/formats/program-stream-writer.ts).
 *
 *   const { program, summary } = buildProgram(input, result, { toolVersion: "0.1.0" });
 *   await writeProgramFile("program.json", program);
 */
import type { CoverageCounts as ProgramCoverageCounts, CoverageSummary, DecisionRule, PassCriterion, Program, ProgramVector, SpikeProgram } from "../formats/program-format.ts";
import { openProgramWriter } from "../formats/program-stream-writer.ts";
import { computeCoverage, DEFAULT_PD_CREDIT, type CoverageCounts } from "../faultsim/coverage.ts";
import { goodResponse, isStochastic } from "../faultsim/good-response.ts";
import { DEFAULT_STOCHASTIC_SAMPLES, stochasticExpectation, type StochasticDecisionOptions } from "./stochastic-expectation.ts";
import type { AtpgSummary } from "./atpg-summary.ts";
import { compactPattern } from "./candidate-vector.ts";
import { DEFAULT_WRONG_CALL_BOUND, ruleMaxRepetitions } from "../stats/decision-rules.ts";
import { programYieldLoss } from "./guard-band.ts";
import { DEFAULT_TARGET_COVERAGE_PERCENT, programTime, type GenerateInput, type GenerateResult, type KeptVector } from "./program-generator.ts";

export interface BuildOptions extends StochasticDecisionOptions {
  toolVersion: string;
  /** Command line or tool that generated it (metadata.generator). */
  generator?: string;
  pdCredit?: number;
  timingTolerancePs?: number;
  /** Bound on a wrong pass/fail call per vector, both α and β unless they are given (default `DEFAULT_WRONG_CALL_BOUND`, 1e-3). */
  decisionBound?: number;
  /** The target test coverage the run aimed at, percent (default 100). */
  targetCoveragePercent?: number;
}

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

function toProgramCounts(c: CoverageCounts): ProgramCoverageCounts {
  return {
    all: c.all,
    DT: c.DT,
    PD: c.PD,
    ND: c.ND,
    AU: c.AU,
    UD: c.UD,
    faultCoveragePercent: round(c.faultCoverage * 100),
    testCoveragePercent: round(c.testCoverage * 100),
  };
}

/** Build the program and the run summary. */
export function buildProgram(input: GenerateInput, r: GenerateResult, o: BuildOptions): { program: SpikeProgram; summary: AtpgSummary } {
  const { loaded, net, faults } = input;
  const pdCredit = o.pdCredit ?? DEFAULT_PD_CREDIT;
  const cov = computeCoverage(r.outcomes, faults, { pdCredit, models: input.models });
  const coverage: CoverageSummary = {
    pdCredit,
    formulas: [cov.formulas.faultCoverage, cov.formulas.testCoverage, cov.formulas.counting],
    byModel: Object.fromEntries(Object.entries(cov.byModel).map(([m, c]) => [m, toProgramCounts(c)])),
    total: toProgramCounts(cov.total),
    collapsed: toProgramCounts(cov.collapsed),
  };
  const firstBy = new Map<string, string[]>();
  for (const out of r.outcomes) {
    if (out.cls !== "DT" || !out.firstVector) continue;
    const list = firstBy.get(out.firstVector) ?? [];
    list.push(out.faultId);
    firstBy.set(out.firstVector, list);
  }
  const stochastic = isStochastic(net);
  const failProbabilities: number[] = [];
  const undesigned: string[] = [];
  const vectors: ProgramVector[] = r.kept.map((k) => {
    const c = k.candidate;
    const detectedFirst = firstBy.get(k.simVector.id) ?? [];
    const targets = (c.targets.length > 0 ? c.targets : detectedFirst).slice(0, 32);
    let expected = goodResponse(net, k.simVector, 0).observed;
    let repetitions = 1;
    let decision: DecisionRule | undefined;
    let criterion: PassCriterion | undefined;
    let pFail = k.guard.goodFailProbability;
    if (stochastic) {
      const bound = o.decisionBound ?? DEFAULT_WRONG_CALL_BOUND;
      const s = stochasticExpectation(input, k, targets.length ? targets : detectedFirst, { ...o, alpha: o.alpha ?? bound, beta: o.beta ?? bound });
      expected = s.expected;
      decision = s.rule;
      criterion = s.criterion;
      repetitions = ruleMaxRepetitions(s.rule);
      pFail = Math.min(1, pFail + s.goodFailProbability);
      if (!s.designed) undesigned.push(k.simVector.id);
    }
    failProbabilities.push(pFail);
    const v: ProgramVector = {
      id: k.simVector.id,
      iwPs: c.iwPs,
      lwPs: c.lwPs,
      windows: c.windows,
      pattern: compactPattern(c.pattern, c.windows),
      repetitions,
      expected: expected.map((s) => ({ output: s.output, window: s.window, timePs: s.timePs })),
      toleranceBandPs: k.guard.toleranceBandPs,
      targets,
      goodFailProbability: Number(pFail.toPrecision(4)),
    };
    if (decision) v.decision = decision;
    if (criterion) v.criterion = criterion;
    return v;
  });
  const { windows, totalTestTimeNs } = programTime(r.kept.map((k, i) => ({ ...k, simVector: { ...k.simVector, repetitions: vectors[i].repetitions } })));
  const yieldLoss = programYieldLoss(failProbabilities);
  const yieldLossBound = programYieldLoss(failProbabilities.map(() => r.guard.failBound));
  const program: SpikeProgram = {
    schemaVersion: 1,
    testbench: { id: loaded.bench.id, sha256: loaded.sha256 },
    timingTolerancePs: o.timingTolerancePs ?? 500,
    decision: { rule: "single" },
    metadata: {
      toolVersion: o.toolVersion,
      generator: o.generator ?? `snn-atpg generate --strategy ${r.strategyId}`,
      strategy: r.strategyId,
      seed: r.seed,
      models: [...input.models],
      testbenchSha256: loaded.sha256,
      coverage,
      totalWindows: windows,
      totalTestTimeNs: round(totalTestTimeNs, 3),
      estimatedYieldLoss: Number(yieldLoss.toPrecision(4)),
      yieldLossBound: Number(yieldLossBound.toPrecision(4)),
      guardBand: {
        failBound: r.guard.failBound,
        monteCarloChips: r.guard.count,
        scaledSigma: r.guard.scaledSigma,
        variability: r.guard.sigmas,
        variabilitySource: r.guard.sigmaSource,
        validationChips: r.validationChips,
        validationRejected: r.validationRejected,
      },
      compaction: r.compaction
        ? { before: r.compaction.before, afterReverseOrder: r.compaction.afterReverseOrder, afterSetCover: r.compaction.afterSetCover }
        : null,
    },
    vectors,
  };
  const timingCounts = new Map<string, { iwPs: number; lwPs: number; vectors: number }>();
  for (const v of vectors) {
    const t = timingCounts.get(`${v.iwPs}/${v.lwPs}`) ?? { iwPs: v.iwPs, lwPs: v.lwPs, vectors: 0 };
    t.vectors++;
    timingCounts.set(`${v.iwPs}/${v.lwPs}`, t);
  }
  const summary: AtpgSummary = {
    testbench: loaded.bench.id,
    testbenchSha256: loaded.sha256,
    strategy: r.strategyId,
    seed: r.seed,
    models: [...input.models],
    vectors: vectors.length,
    windows,
    totalTestTimeNs: round(totalTestTimeNs, 3),
    compaction: r.compaction
      ? { before: r.compaction.before, afterReverseOrder: r.compaction.afterReverseOrder, afterSetCover: r.compaction.afterSetCover, setCoverSkipped: r.compaction.setCoverSkipped }
      : null,
    coverage,
    targetCoveragePercent: o.targetCoveragePercent ?? DEFAULT_TARGET_COVERAGE_PERCENT,
    targetReached: coverage.total.testCoveragePercent >= (o.targetCoveragePercent ?? DEFAULT_TARGET_COVERAGE_PERCENT) - 1e-9,
    guardBand: {
      failBound: r.guard.failBound,
      monteCarloChips: r.guard.count,
      scaledSigma: r.guard.scaledSigma,
      variability: { ...r.guard.sigmas },
      variabilitySource: r.guard.sigmaSource,
      validationChips: r.validationChips,
      validationRejected: r.validationRejected,
      worstVectorFailProbability: Math.max(0, ...failProbabilities),
      estimatedYieldLoss: yieldLoss,
      yieldLossBound,
    },
    timings: [...timingCounts.values()].sort((a, b) => a.iwPs - b.iwPs || a.lwPs - b.lwPs),
    phases: r.phases,
    stopReason: r.stopReason,
    undetected: r.undetected,
    stochastic,
    ...(stochastic
      ? { decisions: { kind: o.decision ?? "fixed", alpha: o.alpha ?? o.decisionBound ?? DEFAULT_WRONG_CALL_BOUND, beta: o.beta ?? o.decisionBound ?? DEFAULT_WRONG_CALL_BOUND, samples: o.stochasticSamples ?? DEFAULT_STOCHASTIC_SAMPLES, undesigned } }
      : {}),
    elapsedMs: Math.round(r.elapsedMs),
  };
  return { program, summary };
}

/** Write a program (.json or .jsonl) through the streaming writer. */
export async function writeProgramFile(file: string, program: Program): Promise<void> {
  const { vectors, ...header } = program;
  const w = await openProgramWriter(file, header);
  for (const v of vectors) await w.write(v);
  await w.close();
}
