/**
 * Shared set-up for the ATPG tests: load a shipped bench, enumerate its collapsed
 * universe and run the generator in-process with the fast engine.
 */
import { join } from "node:path";
import { buildProgram, createGenerateInput, generateProgram, type GenerateOptions } from "../../src/atpg/index.ts";
import { loadTestbench } from "../../src/formats/testbench-loader.ts";
import { repoRoot } from "../helpers/run-cli.ts";

export function benchSetup(id: string, file = join(repoRoot, "testbenches", `${id}.json`)) {
  const loaded = loadTestbench(file);
  const { net, universe, input } = createGenerateInput(loaded);
  return { loaded, net, universe, input };
}

export function generate(id: string, options: GenerateOptions = {}, file?: string) {
  const s = benchSetup(id, file);
  const result = generateProgram(s.input, { seed: 1, ...options });
  const built = buildProgram(s.input, result, { toolVersion: "test" });
  return { ...s, result, ...built };
}
