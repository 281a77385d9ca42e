/**
 * Terminal table of a stochastic chip's detection probabilities (faultsim/
 * detection-probability.ts): per fault model and in total, the mean probability that
 * the program fails a chip with that fault, with its simultaneous interval.
 *
 *   detectionTableLines(result)
 *   // detection probability (…):
 *   //   model              faults  P(detect)  95 % interval
 *   //   dead-neuron             9     0.9961  [0.9642, 0.9999]
 */
import type { DetectionResult, DetectionSummary } from "../faultsim/detection-probability.ts";

const row = (name: string, s: DetectionSummary) =>
  `  ${name.padEnd(20)} ${String(s.faults).padStart(6)}  ${s.mean.toFixed(4).padStart(9)}  [${s.low.toFixed(4)}, ${s.high.toFixed(4)}]`;

/** The table, and the weakest faults (lowest upper bound) when any fault may escape. */
export function detectionTableLines(r: DetectionResult, limit = 10): string[] {
  const pct = `${(r.confidence * 100).toFixed(0)} %`;
  const lines = [
    "",
    `detection probability (stochastic chip: each vector's decision rule applied to the faulty chip's match probability from ${r.samples} sampled repetitions per fault and vector; ${pct} intervals, simultaneous over all faults and vectors, Wilson z = ${r.z.toFixed(2)}):`,
    `  ${"model".padEnd(20)} ${"faults".padStart(6)}  ${"P(detect)".padStart(9)}  ${pct} interval`,
    ...Object.entries(r.byModel).map(([m, s]) => row(m, s)),
    row("total", r.total),
  ];
  const weak = [...r.perFault].sort((a, b) => a.high - b.high).filter((d) => d.low < 0.5).slice(0, limit);
  if (weak.length) {
    lines.push(`  faults the program may well miss (interval reaching below 0.5), weakest first:`);
    for (const d of weak) lines.push(`    ${d.faultId.padEnd(32)} ${d.p.toFixed(4)}  [${d.low.toFixed(4)}, ${d.high.toFixed(4)}]`);
  }
  return lines;
}
