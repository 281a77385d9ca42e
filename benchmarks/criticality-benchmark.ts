/**
 * Criticality on the MNIST chip (issue 14 part 4): a stratified fault sample (per model
 * and layer), each fault's class changes and structural detections on held-out digits,
 * the critical share per stratum with its Wilson 95 % interval, and the margin-ranked
 * functional test set (≤ 20 digits) against random digits at equal count: how many of
 * the critical faults each catches, and the structural coverage of the same digits.
 *
 * The figure (docs/criticality-margin-vs-random.svg, in the README): critical faults caught
 * against the number of digits, margin-ranked (in and out of sample) and random.
 *
 *   npm run bench -- criticality          (CRITICALITY_PER_STRATUM, CRITICALITY_IMAGES to resize; CRITICALITY_JOBS threads, default all cores)
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { svgPlot } from "../src/characterise/svg-plot.ts";
import { criticalityOnPool } from "../src/characterise/campaign-runs.ts";
import { faultCriticality, isCritical } from "../src/characterise/criticality.ts";
import { createJobPool, defaultJobs } from "../src/parallel/job-pool.ts";
import { sampleFaults, shareWithInterval } from "../src/characterise/fault-sample.ts";
import { marginTestSet, prefixCoverage, randomImageCoverage } from "../src/characterise/functional-test-set.ts";
import { mnistSplit } from "../src/classifier/mnist-dataset.ts";
import { loadFaultModels } from "../src/faults/fault-model-loader.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork } from "../src/sim/compile.ts";

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export default async function criticalityBenchmark(): Promise<void> {
  const perStratum = Number(process.env.CRITICALITY_PER_STRATUM ?? 20);
  const images = Number(process.env.CRITICALITY_IMAGES ?? 500);
  const lb = loadTestbench(join(import.meta.dirname, "..", "testbenches", "bnn-mnist-784x1024x10.json"));
  const net = compileNetwork(lb.bench);
  const { heldOut } = mnistSplit();
  let t = performance.now();
  const sample = sampleFaults(net, lb.bench, loadFaultModels(), { perModel: perStratum, seed: 14 });
  console.log(`bnn-mnist-784x1024x10: ${sample.faults.length} faults sampled (≤ ${perStratum} per model and layer, seed 14) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const jobs = Number(process.env.CRITICALITY_JOBS ?? defaultJobs());
  const pool = jobs > 1 ? createJobPool(jobs) : null;
  const { good, effects } = pool ? await criticalityOnPool(pool, lb.bench, net, sample.faults, heldOut, { images }).finally(() => pool.close()) : await faultCriticality(net, sample.faults, heldOut, { images });
  const s = (performance.now() - t) / 1000;
  console.log(`criticality on ${images} held-out digits (good chip ${pct(good.accuracy)}), ${jobs} job(s): ${s.toFixed(0)} s, ${((1000 * s) / effects.length).toFixed(0)} ms per fault`);
  const critical = effects.filter((e) => isCritical(e, images));
  const set = marginTestSet(good.marginPs, critical.map((e) => e.classChanged), { maxImages: 20 });
  const inSet = new Set(set.images);
  console.log(`\nstratum (model / layer)             sampled  critical (95 % CI)          mean drop  structural by all ${images}  structural by margin set`);
  const strata = [...new Set(effects.map((e) => `${e.modelId} / l${e.layer}`))];
  for (const key of strata) {
    const es = effects.filter((e) => `${e.modelId} / l${e.layer}` === key);
    const c = shareWithInterval(es.filter((e) => isCritical(e, images)).length, es.length);
    const drop = es.reduce((a, e) => a + e.accuracyDrop, 0) / es.length;
    const structAll = es.filter((e) => e.detectedOn.length > 0).length;
    const structSet = es.filter((e) => e.detectedOn.some((i) => inSet.has(i))).length;
    console.log(
      `${key.padEnd(36)}${String(es.length).padStart(7)}  ${`${c.k} = ${pct(c.share)} [${pct(c.low)}, ${pct(c.high)}]`.padEnd(28)}${(100 * drop).toFixed(2).padStart(8)} pt  ${`${structAll}/${es.length}`.padStart(10)}  ${`${structSet}/${es.length}`.padStart(10)}`,
    );
  }
  // Out of sample: choose the digits on half of the sampled faults, score them on the other half.
  const pickHalf = critical.filter((_, i) => i % 2 === 0).map((e) => e.classChanged);
  const scoreHalf = critical.filter((_, i) => i % 2 === 1).map((e) => e.classChanged);
  const half = marginTestSet(good.marginPs, pickHalf, { maxImages: 20 });
  const halfSet = new Set(half.images);
  const caught = scoreHalf.filter((on) => on.some((i) => halfSet.has(i))).length;
  const random = randomImageCoverage(critical.map((e) => e.classChanged), images, set.images.length, 50, 3);
  console.log(`\nmargin-ranked functional set: ${set.images.length} digit(s) catch ${set.coverage.k} of ${critical.length} critical faults (${pct(set.coverage.share)}, 95 % CI [${pct(set.coverage.low)}, ${pct(set.coverage.high)}])`);
  console.log(`random digits, same count (mean of 50 draws): ${pct(random)} of the critical faults`);
  console.log(`out of sample: ${half.images.length} digits chosen on ${pickHalf.length} critical faults catch ${caught} of the other ${scoreHalf.length} (${pct(caught / scoreHalf.length)}); random digits, same count: ${pct(randomImageCoverage(scoreHalf, images, half.images.length, 50, 5))}`);
  // The figure: share caught against set size, 1 … 20 digits (a set that stops early stays at its share).
  const upTo = 20;
  const extend = (v: number[]) => Array.from({ length: upTo }, (_, k) => v[Math.min(k, v.length - 1)] ?? 0);
  const inSample = extend(prefixCoverage(critical.map((e) => e.classChanged), set.images));
  const outSample = extend(prefixCoverage(scoreHalf, half.images));
  const randomCurve = Array.from({ length: upTo }, (_, k) => randomImageCoverage(critical.map((e) => e.classChanged), images, k + 1, 50, 3));
  const pts = (v: number[]) => v.map((y, k) => ({ x: k + 1, y: 100 * y }));
  const svg = svgPlot({
    title: `bnn-mnist-784x1024x10: critical faults caught by k digits (${critical.length} critical of ${effects.length} sampled, ${images} held-out digits)`,
    xLabel: "digits in the functional test set",
    yLabel: "critical faults caught (%)",
    yRange: [0, 100],
    width: 820,
    series: [
      { name: "margin-ranked (chosen and scored on the same faults)", style: "line", points: pts(inSample) },
      { name: "margin-ranked, out of sample (chosen on half, scored on the other half)", style: "line", points: pts(outSample) },
      { name: "random digits (mean of 50 draws)", style: "line", points: pts(randomCurve) },
    ],
  });
  const figure = join(import.meta.dirname, "..", "docs", "criticality-margin-vs-random.svg");
  writeFileSync(figure, svg);
  console.log(`\ndigits  margin (in sample)  margin (out of sample)  random`);
  for (const k of [1, 2, 5, 10, 15, 20]) console.log(`${String(k).padStart(6)}  ${pct(inSample[k - 1]).padStart(17)}  ${pct(outSample[k - 1]).padStart(22)}  ${pct(randomCurve[k - 1]).padStart(6)}`);
  console.log(`figure written to ${figure}`);
  const structSet = effects.filter((e) => e.detectedOn.some((i) => inSet.has(i))).length;
  console.log(`structural coverage of the margin set over the whole sample: ${structSet}/${effects.length} (${pct(structSet / effects.length)}); critical share of the sample ${critical.length}/${effects.length}`);
}
