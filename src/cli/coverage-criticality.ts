/**
 * `coverage --criticality`: after grading, score the graded faults (or a stratified sample
 * of them) on held-out MNIST digits through the simulator (characterise/criticality.ts)
 * and report critical-fault coverage next to FC/TC (characterise/critical-coverage.ts).
 * Only a trained two-layer chip with 784 inputs classifies digits; any other bench is
 * refused with the reason.
 *
 *   const crit = await coverageCriticality(prep, result, { criticalShare: 0, criticalImages: 200, criticalSample: 50, pdCredit: 0.5 }, ctx);
 */
import { criticalCoverage, stratifiedSample, type CriticalCoverageRecord } from "../characterise/critical-coverage.ts";
import { faultCriticality } from "../characterise/criticality.ts";
import { MNIST_PIXELS, mnistSplit } from "../classifier/mnist-dataset.ts";
import type { FaultSimResult } from "../faultsim/fault-engine.ts";
import { InterruptedError } from "../formats/errors.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { OptionError, type CliContext } from "./cli-context.ts";
import type { PreparedCoverage } from "./coverage-run.ts";

export interface CriticalityOptions {
  /** Critical: changes at least this share of the classifications (0 = any). */
  criticalShare: number;
  /** Held-out digits to score each fault on. */
  criticalImages: number;
  /** At most this many faults per fault model and layer are scored (a seeded stratified sample). */
  criticalSample: number;
  pdCredit: number;
}

/** Seed of the stratified sample (stated in the record). */
const SAMPLE_SEED = 14;

/** Refuse a bench that does not classify MNIST digits, naming `what` needs them. */
export function requireMnistChip(bench: Testbench, file: string, what: string): void {
  if (bench.layers.length !== 2 || bench.layers[0].rows !== MNIST_PIXELS) {
    throw new OptionError(`${file}: ${what} scores MNIST digits on a two-layer chip with ${MNIST_PIXELS} inputs (e.g. bnn-mnist-784x1024x10); this bench has ${bench.layers.length} layer(s), ${bench.layers[0].rows} inputs`);
  }
}

export function checkCriticalityOptions(o: CriticalityOptions): void {
  if (!(o.criticalShare >= 0 && o.criticalShare <= 1)) throw new OptionError(`--critical-share is a share of the digits in [0, 1] (0 = any changed classification), got ${o.criticalShare}`);
  if (!(Number.isInteger(o.criticalImages) && o.criticalImages > 0)) throw new OptionError(`--critical-images expects a positive whole number of digits, got ${o.criticalImages}`);
  if (!(Number.isInteger(o.criticalSample) && o.criticalSample > 0)) throw new OptionError(`--critical-sample expects a positive whole number of faults per model and layer, got ${o.criticalSample}`);
}

export async function coverageCriticality(prep: PreparedCoverage, result: FaultSimResult, o: CriticalityOptions, ctx: CliContext): Promise<CriticalCoverageRecord> {
  checkCriticalityOptions(o);
  requireMnistChip(prep.loaded.bench, prep.loaded.file, "--criticality");
  const { heldOut } = mnistSplit();
  if (o.criticalImages > heldOut.count) throw new OptionError(`--critical-images: the held-out set has ${heldOut.count} digits, got ${o.criticalImages}`);
  const sampled = stratifiedSample(prep.graded, o.criticalSample, SAMPLE_SEED);
  ctx.err(`criticality: scoring ${sampled.length.toLocaleString("en-US")} of ${prep.graded.length.toLocaleString("en-US")} graded faults on ${o.criticalImages} held-out digits`);
  const { good, effects, interrupted } = await faultCriticality(prep.net, sampled, heldOut, { images: o.criticalImages, signal: ctx.signal });
  if (interrupted) throw new InterruptedError(`coverage --criticality interrupted (Ctrl-C) after ${effects.length} of ${sampled.length} faults were scored; no report was written`);
  const cls = new Map(result.outcomes.map((x) => [x.faultId, x.cls]));
  return criticalCoverage({
    graded: prep.graded,
    sampled,
    effects,
    credit: (id) => (cls.get(id) === "DT" ? 1 : cls.get(id) === "PD" ? o.pdCredit : 0),
    images: good.images,
    goodAccuracy: good.accuracy,
    minChangedShare: o.criticalShare,
    perStratum: o.criticalSample,
    seed: SAMPLE_SEED,
  });
}
