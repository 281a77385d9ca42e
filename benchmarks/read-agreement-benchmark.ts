/**
 * READ-grader agreement on the real-size chip (`npm run bench -- read-agreement`): the
 * array phase `generate bnn-784x1024x10 --phases array` writes (March C− with a
 * retention pause, then the mission-weight restore and READ-verify), graded for a seeded
 * random sample of the full uncollapsed-then-collapsed universe (every shipped model,
 * opens included) by the fast READ engine and by the reference engine (a ladder re-solve
 * per READ, src/faultsim/array-grader.ts). Prints the time per fault of each and every
 * disagreement; exits 1 when there is one. This is issue 10's "2,000 faults of the bnn
 * program graded by the reference engine" check — about 0.5–1 s of CPU per fault for the
 * reference, so it lives here, not in `npm test` (test/array/ runs the same comparison on
 * reduced benches).
 *
 *   npm run bench -- read-agreement                 # 2,000 faults
 *   READ_AGREEMENT_SAMPLE=200 npm run bench -- read-agreement
 */
import { join } from "node:path";
import { loadavg } from "node:os";
import { buildArrayPhase } from "../src/atpg/array-phase.ts";
import { loadFaultModels } from "../src/faults/fault-model-loader.ts";
import { enumerateFaults } from "../src/faults/fault-universe.ts";
import { gradeArraySteps } from "../src/faultsim/array-grader.ts";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork } from "../src/sim/compile.ts";
import { createRng } from "../src/sim/rng.ts";

const root = join(import.meta.dirname, "..");

export default async function readAgreementBenchmark(): Promise<void> {
  const sample = Number(process.env.READ_AGREEMENT_SAMPLE ?? 2000);
  const lb = loadTestbench(join(root, "testbenches", "bnn-784x1024x10.json"));
  const net = compileNetwork(lb.bench);
  const phase = buildArrayPhase(net, lb.bench, ["march-c-minus-retention"]);
  const universe = enumerateFaults(net, lb.bench, loadFaultModels());
  const rng = createRng(2026);
  const picked = new Set<number>();
  while (picked.size < Math.min(sample, universe.faults.length)) picked.add(Math.floor(rng.next() * universe.faults.length));
  const faults = [...picked].sort((a, b) => a - b).map((i) => universe.faults[i]);
  const cpu = () => process.cpuUsage().user / 1e6;
  let c0 = cpu();
  const fast = gradeArraySteps(net, faults, phase.steps, "fast");
  const fastCpu = cpu() - c0;
  c0 = cpu();
  const ref = gradeArraySteps(net, faults, phase.steps, "reference");
  const refCpu = cpu() - c0;
  const differ = faults.flatMap((f, i) => (fast[i].detected !== ref[i].detected || fast[i].firstStep !== ref[i].firstStep ? [`${f.id}: fast ${fast[i].firstStep ?? "undetected"}, reference ${ref[i].firstStep ?? "undetected"}`] : []));
  const detected = ref.filter((o) => o.detected).length;
  console.log(`bnn-784x1024x10 array phase: ${phase.steps.length.toLocaleString("en-US")} steps; ${faults.length.toLocaleString("en-US")} of ${universe.faults.length.toLocaleString("en-US")} collapsed faults sampled (seed 2026), ${detected} detected by READ`);
  console.log(`  fast ${fastCpu.toFixed(2)} CPU-s (${((1000 * fastCpu) / faults.length).toFixed(2)} ms/fault); reference ${refCpu.toFixed(1)} CPU-s (${((1000 * refCpu) / faults.length).toFixed(0)} ms/fault); load ${loadavg()[0].toFixed(1)}`);
  console.log(`  disagreements (detection or first failing READ): ${differ.length}`);
  for (const d of differ.slice(0, 20)) console.log(`    ${d}`);
  if (differ.length > 0) process.exitCode = 1;
}
