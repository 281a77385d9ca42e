/**
 * Simulator figures: compile time of bnn-784x1024x10 and wall time of one vector
 * (random half-density binary pattern, 3 windows) through both crossbars.
 *
 *   npm run bench -- sim
 */
import { join } from "node:path";
import { loadTestbench } from "../src/formats/testbench-loader.ts";
import { compileNetwork, createRng, patternEvents, simulateNetwork } from "../src/sim/index.ts";

export default async function simBenchmark(): Promise<void> {
  const file = join(import.meta.dirname, "..", "testbenches", "bnn-784x1024x10.json");
  let t = performance.now();
  const net = compileNetwork(loadTestbench(file).bench);
  const compileMs = performance.now() - t;
  const rng = createRng(11);
  const runs = 20;
  const times: number[] = [];
  let spikes = 0;
  for (let i = 0; i < runs + 2; i++) {
    const bits = Array.from({ length: 784 }, () => (rng.next() < 0.5 ? "1" : "0")).join("");
    t = performance.now();
    const r = simulateNetwork(net, { iwPs: 1000, lwPs: 9000, windows: 3, events: patternEvents([bits], 3, 1000, 9000) });
    if (i >= 2) times.push(performance.now() - t); // first two warm the JIT
    spikes += r.spikes.length;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`bnn-784x1024x10: compile ${compileMs.toFixed(0)} ms (802,816 + 10,240 cells)`);
  console.log(`one vector (3 windows, ~392 active rows): median ${median.toFixed(2)} ms, min ${times[0].toFixed(2)} ms over ${runs} vectors`);
  console.log(`  = ${((802816 + 10240) / (median / 1000) / 1e6).toFixed(1)} M cell-solves/s (one distinct active set per vector and layer)`);
  console.log(`  (${(spikes / (runs + 2)).toFixed(0)} spikes per vector on average)`);
}
