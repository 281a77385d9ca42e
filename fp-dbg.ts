import { loadTestbench } from "./src/formats/testbench-loader.ts";
import { compileNetwork } from "./src/sim/compile.ts";
import { functionalCandidates } from "./src/atpg/functional-phase.ts";
import { goodResponse } from "./src/faultsim/good-response.ts";
import { vectorEvents } from "./src/formats/program-loader.ts";
import { monteCarloChip, variabilityOf } from "./src/atpg/variability-model.ts";
const lb = loadTestbench(`testbenches/mlp-16x8x4.json`);
const net = compileNetwork(lb.bench);
const cs = functionalCandidates(net, lb.bench, { seed: 1, candidates: 12, windows: 4 });
const chips = [0,1,2].map(k=>monteCarloChip(net, variabilityOf(lb.bench).sigmas, 1, k));
for (const c of cs) {
  const v = { id: c.id, iwPs: net.iwPs, lwPs: net.lwPs, windows: c.windows, pattern: c.pattern, repetitions: 1, expected: [] };
  const st = { stimulus: { iwPs: v.iwPs, lwPs: v.lwPs, windows: v.windows, events: vectorEvents(v as any) } };
  const f = (n: any) => { const r = goodResponse(n, st); return r.observed.map(s => `${s.output}@${s.window}:${s.timePs}`).join(" ") + " | hidden " + r.run.layers[0].spikes.map(s=>`${s.neuron}@${s.window}`).join(" "); };
  console.log(c.pattern[0], f(net));
  for (const ch of chips) console.log("   ", f(ch));
}
