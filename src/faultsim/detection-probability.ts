/**
 * Coverage of a stochastic chip as a probability of detection: a faulty chip whose
 * repetitions match a vector's expectation with probability p is failed by that
 * vector's decision rule with probability F_v(p) (stats/decision-rules.ts, exact), and
 * by the program with P_det = 1 − Π_v (1 − F_v(p_v)) (vectors draw independent noise).
 *
 *   const r = detectionProbabilities(net, faults, programVectors, simVectors, { samples: 200, tickPs: 10 });
 *   r.total   // { faults: 27, mean: 0.93, low: 0.88, high: 0.97 }
 *
 * Each p_v is estimated from `samples` repetitions of the faulty chip (salts 2·10⁶ + k,
 * streams neither generation nor a bench run uses), judged as the bench judges them
 * (the vector's criterion, spike times at the bench tick). The interval: Wilson bounds
 * on every p_v at the Bonferroni level 1 − (1 − confidence)/(faults · vectors), so all of
 * them hold at once with probability ≥ confidence; F_v falls as p rises (more matches
 * never make a rule fail more), so the upper bounds of p give the lower bound of P_det
 * and the other way round, per fault and for the mean over faults.
 */
import type { DecisionRule, ProgramVector } from "../formats/program-format.ts";
import type { Spike } from "../formats/spike-format.ts";
import type { Fault } from "../faults/fault.ts";
import type { CompiledNetwork } from "../sim/compile.ts";
import { applyPerturbations } from "../sim/perturbation.ts";
import { wilsonInterval } from "../stats/binomial-confidence.ts";
import { ruleFailProbability } from "../stats/decision-rules.ts";
import { normalQuantile } from "../stats/normal-distribution.ts";
import type { FaultSimVector } from "./fault-engine.ts";
import { goodResponse } from "./good-response.ts";
import { judgeResponse } from "./pass-criteria.ts";

/** First salt of the detection-probability samples. */
export const DETECTION_SALT_BASE = 2_000_000;

export interface DetectionOptions {
  /** Repetitions sampled per fault and vector (default 200). */
  samples?: number;
  /** Bench tick, ps (spike times are rounded to it, as the simulated chip reports them). */
  tickPs: number;
  /** Joint confidence of all intervals (default 0.95). */
  confidence?: number;
  /** The program's default decision rule (for vectors without their own). */
  defaultRule?: DecisionRule;
  /** Called after each fault. */
  onProgress?: (done: number, total: number) => void;
}

export interface DetectionInterval {
  /** Point estimate. */
  p: number;
  low: number;
  high: number;
}

export interface FaultDetection extends DetectionInterval {
  faultId: string;
  model: string;
}

export interface DetectionSummary {
  faults: number;
  mean: number;
  low: number;
  high: number;
}

export interface DetectionResult {
  samples: number;
  confidence: number;
  /** Two-sided normal quantile of each Wilson interval (Bonferroni). */
  z: number;
  perFault: FaultDetection[];
  byModel: Record<string, DetectionSummary>;
  total: DetectionSummary;
}

function summarise(list: readonly FaultDetection[]): DetectionSummary {
  const n = list.length;
  const mean = (f: (d: FaultDetection) => number) => (n ? list.reduce((s, d) => s + f(d), 0) / n : 0);
  return { faults: n, mean: mean((d) => d.p), low: mean((d) => d.low), high: mean((d) => d.high) };
}

/** Detection probability, with its interval, of every fault by the program's vectors. */
export function detectionProbabilities(
  net: CompiledNetwork,
  faults: readonly Fault[],
  programVectors: readonly ProgramVector[],
  simVectors: readonly FaultSimVector[],
  o: DetectionOptions,
): DetectionResult {
  const n = o.samples ?? 200;
  const confidence = o.confidence ?? 0.95;
  const tests = Math.max(1, faults.length * programVectors.length);
  const z = normalQuantile(1 - (1 - confidence) / (2 * tests));
  const atTick = (s: readonly Spike[]) => s.map((x) => ({ ...x, timePs: Math.round(x.timePs / o.tickPs) * o.tickPs }));
  const perFault: FaultDetection[] = [];
  faults.forEach((f, fi) => {
    const faulty = applyPerturbations(net, f.perturbations);
    let pass = 1;
    let passLow = 1; // at the upper bounds of p: the least the program detects
    let passHigh = 1;
    programVectors.forEach((pv, vi) => {
      const sv = simVectors[vi];
      const rule = pv.decision ?? o.defaultRule ?? { rule: "single" };
      const expected = { spikes: pv.expected, toleranceBandPs: sv.toleranceBandPs, timingResolutionPs: o.tickPs, criterion: pv.criterion };
      let k = 0;
      for (let rep = 0; rep < n; rep++) {
        const observed = atTick(goodResponse(faulty, sv, DETECTION_SALT_BASE + rep).observed);
        if (judgeResponse(expected, { spikes: observed }).verdict !== "fail") k++;
      }
      const { low, high } = wilsonInterval(k, n, z);
      const vector = { repetitions: pv.repetitions };
      pass *= 1 - ruleFailProbability(rule, k / n, vector);
      passLow *= 1 - ruleFailProbability(rule, high, vector);
      passHigh *= 1 - ruleFailProbability(rule, low, vector);
    });
    perFault.push({ faultId: f.id, model: f.modelId, p: 1 - pass, low: 1 - passLow, high: 1 - passHigh });
    o.onProgress?.(fi + 1, faults.length);
  });
  const models = [...new Set(perFault.map((d) => d.model))].sort();
  const byModel = Object.fromEntries(models.map((m) => [m, summarise(perFault.filter((d) => d.model === m))]));
  return { samples: n, confidence, z, perFault, byModel, total: summarise(perFault) };
}
