/**
 * Diagnosis benchmark (`npm run bench -- diagnosis`): for the fixture programs of
 * black-pixel-4x1 and mlp-16x8x4, build the fault dictionary (no cache) and report
 * its size, build time and diagnostic resolution — how many detected faults the
 * program tells apart (signature groups of size 1) and how large the groups of
 * indistinguishable faults are. Then inject every detected fault into the sim target,
 * run the program and check the diagnosis puts it in the first group with score 1.
 */
import { join } from "node:path";
import { executeProgram } from "../src/bench/bench-executor.ts";
import { buildDictionary } from "../src/faultsim/fault-dictionary.ts";
import { diagnose, groupContains } from "../src/bench/fault-diagnosis.ts";
import { resolveInjection } from "../src/faults/fault-injection.ts";
import { checkProgramForBench, loadProgram } from "../src/formats/program-loader.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { createSimTarget } from "../src/targets/sim-target.ts";

const root = join(import.meta.dirname, "..");

export default async function diagnosisBenchmark(): Promise<void> {
  for (const id of ["black-pixel-4x1", "mlp-16x8x4"]) {
    const file = join(root, "fixtures", "bench", `${id}.program.json`);
    const bench = loadTestbench(join(root, "testbenches", `${id}.json`));
    const program = loadProgram(file);
    checkProgramForBench(program, file, bench);
    const dict = buildDictionary({ program, programFile: file, bench });
    const groups = new Map<string, number>();
    for (const f of dict.faults) {
      const key = JSON.stringify(Object.entries(f.failing).sort());
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const sizes = [...groups.values()].sort((a, b) => a - b);
    const unique = sizes.filter((s) => s === 1).length;
    const mean = dict.faults.length / sizes.length;
    console.log(
      `${id}: ${program.vectors.length} vectors; ${dict.universe.collapsed} collapsed faults, ${dict.faults.length} detected; dictionary built in ${dict.buildMs} ms`,
    );
    console.log(
      `  resolution: ${sizes.length} distinguishable signatures; ${unique} faults (${((100 * unique) / dict.faults.length).toFixed(1)} %) diagnosed uniquely; ` +
        `group size mean ${mean.toFixed(2)}, median ${sizes[Math.floor(sizes.length / 2)]}, max ${sizes[sizes.length - 1]}`,
    );
    const t0 = performance.now();
    let first = 0;
    for (const f of dict.faults) {
      const fault = resolveInjection(bench, f.id);
      const run = await executeProgram({ program, programFile: file, bench, target: createSimTarget({ bench: bench.bench, perturbations: fault.perturbations }), targetLabel: "sim", dutId: f.id });
      const d = diagnose(dict, run.vectors);
      if (d.groups[0]?.score === 1 && groupContains(d.groups[0], f.id)) first++;
    }
    console.log(
      `  injected on the sim target: ${first} of ${dict.faults.length} detected faults ranked first with score 1 (${((performance.now() - t0) / dict.faults.length).toFixed(1)} ms per run + diagnosis)`,
    );
  }
}
