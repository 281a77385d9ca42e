import { buildArrayPhase } from "/work/wt/atpg-phases/src/atpg/array-phase.ts";
import { gradeArraySteps } from "/work/wt/atpg-phases/src/faultsim/array-grader.ts";
import { loadFaultModels } from "/work/wt/atpg-phases/src/faults/fault-model-loader.ts";
import { enumerateFaults } from "/work/wt/atpg-phases/src/faults/fault-universe.ts";
import { loadTestbench } from "/work/wt/atpg-phases/src/formats/testbench-loader.ts";
import { compileNetwork } from "/work/wt/atpg-phases/src/sim/compile.ts";
const lb = loadTestbench("/work/wt/atpg-phases/testbenches/bnn-784x1024x10.json");
const net = compileNetwork(lb.bench);
let t = performance.now();
const a = buildArrayPhase(net, lb.bench, ["march-c-minus-retention"]);
console.log("phase", performance.now() - t, a.steps.length, a.readYieldLoss, a.marginSigma);
const models = loadFaultModels("/work/wt/atpg-phases/fault-models", undefined, { arrayTests: true });
t = performance.now();
const u = enumerateFaults(net, lb.bench, models, { collapse: true, sites: undefined });
console.log("universe", performance.now() - t, u.faults.length);
for (const kind of ["segment", "cell", "cell-series", "cell-read", "neuron"]) {
  const fs = u.faults.filter((f) => f.site.kind === kind).slice(0, 20000);
  t = performance.now();
  const g = gradeArraySteps(net, fs, a.steps, "fast");
  console.log(kind, fs.length, (performance.now() - t).toFixed(0), "ms", g.filter((x) => x.detected).length);
}
