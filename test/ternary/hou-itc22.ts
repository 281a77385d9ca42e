/** Shared setup of the Hou et al. (ITC 2022) tests: the N = 8 bench, the 20 models, the 90·N program. */
import { join } from "node:path";
import { houAlgorithmProgram, houItc22Algorithm } from "../../src/atpg/hou-algorithm.ts";
import { loadFaultModels } from "../../src/faults/fault-model-loader.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import type { Testbench } from "../../src/formats/testbench-format.ts";
import { repoRoot } from "../helpers/run-cli.ts";

export const houBench = (n = 8): Testbench => loadTestbench(join(repoRoot, "testbenches", `hou-itc22-n${n}.json`)).bench;
export const houModels = () => loadFaultModels([join(repoRoot, "fault-models", "hou-itc22")]);
export const houProgram = () => houAlgorithmProgram(houItc22Algorithm, "hou-itc22-n8");

/** The bench with its dV bands replaced (a good chip drawn from other bands). */
export function withBands(tb: Testbench, bands: { plus?: [number, number]; zero?: [number, number]; minus?: [number, number] }, seed?: number): Testbench {
  const t = tb.ternaryArray!;
  return { ...tb, ternaryArray: { ...t, dvBands: { ...t.dvBands, ...bands }, seed: seed ?? t.seed } };
}
