/**
 * Seed 004 figs. 7 and 14 on the MNIST chip: held-out accuracy over 10 years per Δ and
 * for the 90 % Δ = 40 / 10 % Δ = 60 mixed array, with the fixed and the aging reference
 * column (docs/mnist-chip.md discusses the difference). Writes out/lifetime-<ref>.svg.
 *
 *   npm run bench -- lifetime            (LIFETIME_IMAGES, LIFETIME_TRIALS to resize)
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { lifetimeCurves, lifetimeSweep, type ReferenceAging } from "../src/characterise/lifetime.ts";
import { lifetimeSvg } from "../src/characterise/lifetime-plot.ts";
import { mnistSplit } from "../src/classifier/mnist-dataset.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork } from "../src/sim/compile.ts";

export default async function lifetimeBenchmark(): Promise<void> {
  const images = Number(process.env.LIFETIME_IMAGES ?? 200);
  const trials = Number(process.env.LIFETIME_TRIALS ?? 2);
  const root = join(import.meta.dirname, "..");
  const net = compileNetwork(loadTestbench(join(root, "testbenches", "bnn-mnist-784x1024x10.json")).bench);
  const { heldOut } = mnistSplit();
  mkdirSync(join(root, "out"), { recursive: true });
  for (const reference of ["fixed", "aging"] as ReferenceAging[]) {
    const t = performance.now();
    const r = await lifetimeSweep(net, heldOut, { years: 10, stepYears: 1, curves: lifetimeCurves(net, [30, 35, 40, 45, 60, "mixed"]), trials, images, reference });
    console.log(`${reference} reference: ${images} digits, ${trials} trial(s), ${((performance.now() - t) / 1000).toFixed(0)} s`);
    console.log(`  curve              ${r.curves[0].points.map((p) => `y${p.years}`.padStart(6)).join("")}`);
    for (const c of r.curves) console.log(`  ${c.label.padEnd(18)} ${c.points.map((p) => (100 * p.mean).toFixed(1).padStart(6)).join("")}`);
    writeFileSync(join(root, "out", `lifetime-${reference}.svg`), lifetimeSvg(r, { floor: 0.85 }));
  }
}
