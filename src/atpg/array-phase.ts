/**
 * The array phase of a production test: the crossbar tested as a memory. March
 * algorithms (march-tests/*.json) are expanded over WRITE/READ for every layer, the
 * mission weights are written back and READ-verified, and the good-chip READ failure
 * probability under the bench's process variation is estimated analytically.
 *
 *   const a = buildArrayPhase(net, bench, ["march-c-minus-retention"]);
 *   a.steps.length; a.readYieldLoss   // e.g. 0.0012
 *
 * READ yield model (read-sense.ts): a cell's branch is R_mtj·e^x + R_other, x the
 * cell's log-normal deviation: R_P·e^{x_P} with σ_P² = (g·σ_t)² + σ_A² (oxide thickness
 * through the tunnelling gain, and area), R_AP·e^{x_P + x_T} with the TMR term
 * σ_T = TMR/(1+TMR)·σ_TMR independent of x_P (so σ_AP² = σ_P² + σ_T²).
 *   midpoint-reference  a P cell misreads when its conductance falls below the
 *                       reference, an AP cell when it rises above:
 *                       p = Q(|ln((R_ref − R_other)/R_mtj)| / σ).
 *   self-reference      the cell in the known state k is compared with itself (I₁ = I₂,
 *                       never misread); a cell in the other state misreads when its
 *                       ratio I₁/I₂ crosses ρ, i.e. x_T < ln T(x_P) with
 *                       T(x) = (c·(R_P·e^x + R_other) − R_other) / (R_AP·e^x), c = 1/ρ for
 *                       k = 1 and ρ for k = 0:  p = E_{x_P}[Φ(ln T(x_P) / σ_T)]
 *                       (Simpson over ±9 σ_P; checked against a Monte-Carlo in the tests).
 * The deviation is fixed per cell (it does not change between reads), so a chip passes
 * when every cell reads right for every value the program reads there:
 * P(pass) = Π (1 − p). The line segments, access transistors and sense input do not vary
 * (variability-model.ts); neither does the sense amplifier (no offset is modelled: seed
 * 003 gives no σ for it).
 */
import type { Testbench } from "../formats/testbench-format.ts";
import type { PauseStep, ReadStep, WriteStep } from "../formats/program-format.ts";
import { canonicalHash } from "../formats/canonical-hash.ts";
import { highOhms, type CompiledNetwork } from "../sim/compile.ts";
import { readRuleOf, readSchemeOf, senseConductances, type ReadScheme } from "../sim/read-sense.ts";
import { normalQuantile, upperTailProbability } from "../stats/normal-distribution.ts";
import { loadMarchTest, type MarchTest } from "./march/march-grammar.ts";
import { levelCheckSteps, marchSteps, missionRow, restoreSteps } from "./march/march-expansion.ts";
import { resistanceThicknessGain, variabilityOf } from "./variability-model.ts";

export type ArrayStep = WriteStep | ReadStep | PauseStep;

export interface ArrayPhase {
  marchTests: MarchTest[];
  steps: ArrayStep[];
  /** The device's sensing scheme the yield was estimated for (read-sense.ts). */
  readScheme: ReadScheme["kind"];
  /** Estimated fraction of good chips that fail some READ of the phase. */
  readYieldLoss: number;
  /** Smallest margin of a good cell to the sense decision, in σ (P and AP): for a self-referenced read Q⁻¹(p) of the worst row, Infinity for the known state. */
  marginSigma: { p: number; ap: number };
  missionWeightsSha256: string;
}

/** Hash of the mission weights (row bit strings per layer; level arrays on a multi-level chip). */
export function missionWeightsHash(net: CompiledNetwork): string {
  return canonicalHash(net.layers.map((l, li) => Array.from({ length: l.rows }, (_, r) => missionRow(net, li, r))));
}

/** Log-normal σ of R_P and R_AP of a cell under the bench's variation. */
export function cellLogSigmas(net: CompiledNetwork, bench: Pick<Testbench, "device">): { p: number; ap: number } {
  const v = variabilityOf(bench).sigmas;
  const d = net.device;
  const p = Math.hypot(resistanceThicknessGain() * v.thicknessSigma, v.areaSigma);
  const tmr = highOhms(d) / d.rLowOhms - 1;
  return { p, ap: Math.hypot(p, (tmr / (1 + tmr)) * v.tmrSigma) };
}

/** Misread probability of a good cell at `row` of layer `layer` storing `bit`, under the device's read scheme. */
export function misreadProbability(net: CompiledNetwork, sig: { p: number; ap: number }, layer: number, row: number, bit: 0 | 1): number {
  const rule = readRuleOf(net, layer, row);
  if (rule.kind === "self-reference") return selfReferenceMisread(net, sig, layer, row, bit, rule.knownBit, rule.ratio);
  const d = net.device;
  const l = net.layers[layer];
  const other = d.accessOhms + (l.rows - row) * d.segmentOhms + d.neuronInputOhms;
  const refBranch = 1 / senseConductances(net).refS + (l.rows - row) * d.segmentOhms + d.neuronInputOhms;
  const mtjAtRef = refBranch - other;
  if (mtjAtRef <= 0) return 1;
  const mtj = bit === 1 ? d.rLowOhms : highOhms(d);
  const z = Math.abs(Math.log(mtjAtRef / mtj)) / (bit === 1 ? sig.p : sig.ap);
  return sig.p === 0 ? 0 : upperTailProbability(z);
}

/** Φ(v) with a small relative error in the lower tail. */
const lowerTail = (v: number) => upperTailProbability(-v);

/** Self-referenced read: misread probability of a good cell storing `bit` (see header). */
function selfReferenceMisread(net: CompiledNetwork, sig: { p: number; ap: number }, layer: number, row: number, bit: 0 | 1, knownBit: 0 | 1, ratio: number): number {
  if (bit === knownBit) return 0;
  const d = net.device;
  const other = d.accessOhms + (net.layers[layer].rows - row) * d.segmentOhms + d.neuronInputOhms;
  const c = knownBit === 1 ? 1 / ratio : ratio;
  const sT = Math.sqrt(Math.max(0, sig.ap ** 2 - sig.p ** 2));
  const pAt = (x: number) => {
    const t = (c * (d.rLowOhms * Math.exp(x) + other) - other) / (highOhms(d) * Math.exp(x));
    if (t <= 0) return 0;
    if (sT === 0) return Math.log(t) > 0 ? 1 : 0;
    return lowerTail(Math.log(t) / sT);
  };
  if (sig.p === 0) return pAt(0);
  const n = 720; // Simpson over z ∈ [−9, 9], step 0.025
  const h = 18 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const z = -9 + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 ? 4 : 2;
    sum += w * pAt(sig.p * z) * Math.exp(-z * z / 2);
  }
  return Math.min(1, (sum * h) / 3 / Math.sqrt(2 * Math.PI));
}

/** Build the array phase for the given march tests (ids or files). */
export function buildArrayPhase(net: CompiledNetwork, bench: Pick<Testbench, "device">, marchIds: readonly string[]): ArrayPhase {
  const build = arrayPhaseSteps(net, bench, marchIds);
  for (;;) {
    const r = build.next();
    if (r.done) return r.value;
  }
}

/** buildArrayPhase with `between` awaited every few ms of work (2.4 s on bnn at load 16: a Ctrl-C checkpoint). */
export async function buildArrayPhaseAsync(net: CompiledNetwork, bench: Pick<Testbench, "device">, marchIds: readonly string[], between: () => Promise<void>): Promise<ArrayPhase> {
  const build = arrayPhaseSteps(net, bench, marchIds);
  for (;;) {
    const r = build.next();
    if (r.done) return r.value;
    await between();
  }
}

/** Rows whose misread probabilities are computed between two yields of arrayPhaseSteps. */
const ROWS_PER_STEP = 32;

/** buildArrayPhase as a generator: yields between march tests and every ROWS_PER_STEP rows of the yield estimate. */
function* arrayPhaseSteps(net: CompiledNetwork, bench: Pick<Testbench, "device">, marchIds: readonly string[]): Generator<void, ArrayPhase> {
  const marchTests = marchIds.map((id) => loadMarchTest(id));
  const steps: ArrayStep[] = [];
  for (const t of marchTests) {
    for (const s of marchSteps(t, net)) steps.push(s);
    yield;
  }
  for (const s of levelCheckSteps(net)) steps.push(s);
  for (const s of restoreSteps(net)) steps.push(s);
  yield;
  const sig = cellLogSigmas(net, bench);
  // Which values each cell is read as: per (layer, row), per column, a 2-bit mask.
  let logPass = 0;
  const margin = { p: Infinity, ap: Infinity };
  for (let li = 0; li < net.layers.length; li++) {
    const l = net.layers[li];
    const seen = new Map<number, Uint8Array>();
    let scanned = 0;
    for (const s of steps) {
      if (++scanned % 4096 === 0) yield;
      if (s.kind !== "read" || s.layer !== li || s.expected === undefined) continue; // the array phase writes bits
      let m = seen.get(s.row);
      if (!m) seen.set(s.row, (m = new Uint8Array(l.cols)));
      for (let c = 0; c < l.cols; c++) m[c] |= s.expected[c] === "1" ? 2 : 1;
    }
    let rowsDone = 0;
    for (const [row, m] of seen) {
      if (++rowsDone % ROWS_PER_STEP === 0) yield;
      const p1 = misreadProbability(net, sig, li, row, 1);
      const p0 = misreadProbability(net, sig, li, row, 0);
      let n1 = 0;
      let n0 = 0;
      for (let c = 0; c < l.cols; c++) {
        if (m[c] & 2) n1++;
        if (m[c] & 1) n0++;
      }
      logPass += n1 * Math.log1p(-p1) + n0 * Math.log1p(-p0);
    }
    const d = net.device;
    const refBranch = 1 / senseConductances(net).refS + l.rows * d.segmentOhms + d.neuronInputOhms;
    const mtjAtRef = refBranch - (d.accessOhms + l.rows * d.segmentOhms + d.neuronInputOhms);
    if (readSchemeOf(net).kind === "self-reference") {
      // Q⁻¹ of the worst row's (row 0: the longest path compresses the ratio most) misread probability
      const z = (bit: 0 | 1) => -normalQuantile(misreadProbability(net, sig, li, 0, bit));
      margin.p = Math.min(margin.p, z(1));
      margin.ap = Math.min(margin.ap, z(0));
    } else if (sig.p > 0) {
      margin.p = Math.min(margin.p, Math.log(mtjAtRef / d.rLowOhms) / sig.p);
      margin.ap = Math.min(margin.ap, Math.log(highOhms(d) / mtjAtRef) / sig.ap);
    }
  }
  return { marchTests, steps, readScheme: readSchemeOf(net).kind, readYieldLoss: -Math.expm1(logPass), marginSigma: margin, missionWeightsSha256: missionWeightsHash(net) };
}
