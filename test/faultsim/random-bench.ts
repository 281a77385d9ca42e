/**
 * Random small testbenches and vectors for the engine-agreement test: 1–2 layers of
 * 2–6 × 1–4 cells, binary or multi-level weights, deterministic or stochastic neurons
 * calibrated so the largest column current fires within a few windows (faults then
 * land on both sides of the threshold), optionally read differentially against a
 * reference column, and vectors with per-window patterns or free
 * events, random window timing, tolerance bands and repetitions.
 *
 *   const { bench, net } = randomBench(createRng(1));  const vectors = randomVectors(createRng(2), net, 3);
 */
import { testbenchSchema, type Testbench } from "../../src/formats/testbench-format.ts";
import type { FaultSimVector } from "../../src/faultsim/fault-engine.ts";
import { compileNetwork, neuronCurrentUa, type CompiledNetwork, type Rng } from "../../src/sim/index.ts";

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

/** Options of a random bench. */
export interface RandomBenchOptions {
  /** Read differentially against a reference column of this weight (sim/differential-read.ts); absent = single-ended. */
  referenceWeight?: number;
  /** Multi-level domain-wall cells (16 levels, testbench device.domainWall), weights random levels. */
  domainWall?: boolean;
}

export function randomBench(rng: Rng, opts: RandomBenchOptions = {}): { bench: Testbench; net: CompiledNetwork } {
  const nLayers = rng.next() < 0.5 ? 1 : 2;
  const shape: [number, number][] = [];
  let rows = int(rng, 2, 6);
  for (let l = 0; l < nLayers; l++) {
    const cols = int(rng, 1, 4);
    shape.push([rows, cols]);
    rows = cols;
  }
  const multi = rng.next() < 0.25;
  const stochastic = rng.next() < 0.25;
  const rLow = 4000 + 6000 * rng.next();
  const raw = {
    schemaVersion: 1,
    id: "random",
    title: "random agreement bench",
    device: { rLowOhms: rLow, rHighOhms: rLow * (1.8 + 0.6 * rng.next()), accessOhms: 1000 + 4000 * rng.next(), segmentOhms: pick(rng, [0, 1, 20, 200]), neuronInputOhms: 20, writeVoltageV: 0.3 + 0.8 * rng.next(), ...(opts.referenceWeight !== undefined ? { referenceColumn: { weight: opts.referenceWeight } } : {}), ...(opts.domainWall ? { domainWall: { levels: 16, wallOhms: rLow * 40 } } : {}) },
    neuron: { model: stochastic ? "stochastic-lif-she" : "lif-she", criticalCurrentUa: 0, gainPerUaNs: 0.01, leakTauNs: 10 + 40 * rng.next(), threshold: 1, ...(stochastic ? { sigmoidWidth: 0.05 + 0.15 * rng.next(), seed: int(rng, 1, 1000) } : {}) },
    timing: { iwPs: 1000, lwPs: 9000, iwRangePs: [500, 2000], lwRangePs: [3000, 12000], tickPs: 10 },
    coding: { kind: "binary" },
    layers: shape.map(([r, c]) => ({ rows: r, cols: c, weights: Array.from({ length: r }, () => Array.from({ length: c }, () => (opts.domainWall ? int(rng, 0, 15) / 15 : multi && rng.next() < 0.3 ? 0.5 : rng.next() < 0.55 ? 1 : 0))) })),
    observe: rng.next() < 0.7 ? "outputs" : "all",
  };
  // Calibrate each layer: critical current at a fraction of the largest neuron current (all rows driven, or with a
  // reference column only the rows whose cell beats the reference), gain so that current fires in ~1–3 windows.
  const probe = compileNetwork(testbenchSchema.parse(raw));
  const tau = raw.neuron.leakTauNs;
  raw.layers.forEach((spec, li) => {
    const l = probe.layers[li];
    const all = new Uint8Array(l.rows).fill(1);
    let iMax = 0;
    for (let c = 0; c < l.cols; c++) {
      const strong = Uint8Array.from({ length: l.rows }, (_, r) => (l.weights[c * l.rows + r] > (opts.referenceWeight ?? -1) ? 1 : 0));
      iMax = Math.max(iMax, neuronCurrentUa(l, c, all, probe.writeVoltageV), neuronCurrentUa(l, c, strong, probe.writeVoltageV));
    }
    if (iMax <= 0) iMax = 1; // every column weaker than the reference: its neurons simply never fire
    const ic = iMax * (0.2 + 0.5 * rng.next());
    const perWindow = 0.35 + 1.0 * rng.next();
    const gain = perWindow / ((iMax - ic) * tau * (1 - Math.exp(-1 / tau)));
    (spec as Record<string, unknown>).neuron = { criticalCurrentUa: ic, gainPerUaNs: gain };
  });
  const bench = testbenchSchema.parse(raw);
  return { bench, net: compileNetwork(bench) };
}

export function randomVectors(rng: Rng, net: CompiledNetwork, n: number): FaultSimVector[] {
  const rows = net.layers[0].rows;
  return Array.from({ length: n }, (_, k) => {
    const iwPs = pick(rng, [500, 1000, 1000, 2000]);
    const lwPs = pick(rng, [3000, 6000, 9000, 12000]);
    const windows = int(rng, 1, 5);
    const T = iwPs + lwPs;
    const events: { input: number; timePs: number }[] = [];
    if (rng.next() < 0.7) {
      const same = rng.next() < 0.5;
      let bits: boolean[] = [];
      for (let w = 0; w < windows; w++) {
        if (w === 0 || !same) bits = Array.from({ length: rows }, () => rng.next() < 0.6);
        bits.forEach((b, i) => b && events.push({ input: i, timePs: w * T }));
      }
    } else {
      for (let e = int(rng, 1, 3 * rows); e > 0; e--) events.push({ input: int(rng, 0, rows - 1), timePs: 100 * int(rng, 0, Math.floor((windows * T - iwPs) / 100)) });
    }
    return {
      id: `v${k}`,
      stimulus: { iwPs, lwPs, windows, events },
      toleranceBandPs: pick(rng, [0, 50, 300, 1000]),
      timingResolutionPs: pick(rng, [1, 10]),
      repetitions: int(rng, 1, 3),
    };
  });
}
