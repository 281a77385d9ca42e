/**
 * The shipped bnn-784x1024x10 bench cut to a smaller shape (same device, differential
 * read and neuron; gains scaled so the smaller columns still cross the threshold), and
 * random binary vectors for it: the engine-agreement tests' bnn-like bench.
 *
 *   const { bench, net } = reducedBnn([[64, 32], [32, 10]]);
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { testbenchSchema } from "../../src/formats/testbench-format.ts";
import type { FaultSimVector } from "../../src/faultsim/index.ts";
import { compileNetwork, createRng, patternEvents } from "../../src/sim/index.ts";
import { repoRoot } from "../helpers/run-cli.ts";

export function reducedBnn(shape: [number, number][]) {
  const raw = JSON.parse(readFileSync(join(repoRoot, "testbenches", "bnn-784x1024x10.json"), "utf8"));
  raw.id = "bnn-reduced";
  raw.layers = raw.layers.map((l: { rows: number; cols: number; neuron: { gainPerUaNs: number } }, k: number) => ({
    ...l,
    rows: shape[k][0],
    cols: shape[k][1],
    // A differential column current grows like √rows (random ± terms): keep the firing edge in reach.
    neuron: { ...l.neuron, gainPerUaNs: l.neuron.gainPerUaNs * Math.sqrt(l.rows / shape[k][0]) },
  }));
  const bench = testbenchSchema.parse(raw);
  return { bench, net: compileNetwork(bench) };
}

/** `count` random binary vectors (density 0.5, 3 windows, seed 000's IW/LW) over `rows` inputs. */
export function randomBinaryVectors(seed: number, rows: number, count: number): FaultSimVector[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, k) => {
    let bits = "";
    for (let r = 0; r < rows; r++) bits += rng.next() < 0.5 ? "1" : "0";
    return { id: `r${k}`, stimulus: { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) }, toleranceBandPs: 500, timingResolutionPs: 10 };
  });
}
