/**
 * The network's neuron stepper (src/sim/network.ts) against the rule written out by hand:
 * step the model segment by segment; a neuron that fires is read and reset (x = 0) and
 * skips the rest of that window. lif-she steps through its in-place step (no objects per
 * step), integrate-and-fire through `step`: both must give the hand loop's spikes and
 * traced states exactly. And drivenWindows (the column batch's allocation-free probe) gives
 * the windows of runNeuron's spikes under the same drive, adaptation included.
 */
import { describe, expect, it } from "vitest";
import { createRng, type NeuronParams, type Rng } from "../../src/sim/index.ts";
import { drivenWindows, runNeuron, windowMask } from "../../src/sim/network.ts";
import { neuronModels, type NeuronModelId } from "../../src/sim/neuron/neuron-registry.ts";
import type { NeuronState } from "../../src/sim/neuron/neuron-model.ts";
import type { Segment } from "../../src/sim/stimulus.ts";

/** Random windows of an integrate segment (driven or not) and a leaky one. */
function randomSegments(rng: Rng): Segment[] {
  const windows = 1 + Math.floor(rng.next() * 6);
  const iw = 500 + Math.floor(rng.next() * 1500);
  const lw = 2000 + Math.floor(rng.next() * 9000);
  const segs: Segment[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = w * (iw + lw);
    const driven = rng.next() < 0.7;
    segs.push({ startPs: t0, endPs: t0 + iw, window: w, activeRows: Int32Array.from(driven ? [0, 3] : []), key: driven ? 1 : 0 });
    segs.push({ startPs: t0 + iw, endPs: t0 + iw + lw, window: w, activeRows: new Int32Array(0), key: 0 });
  }
  return segs;
}

function randomParams(rng: Rng, adaptation: boolean): NeuronParams {
  return {
    criticalCurrentUa: rng.next() < 0.5 ? 0 : 20 * rng.next(),
    gainPerUaNs: 0.002 + 0.02 * rng.next(),
    leakTauNs: 2 + 40 * rng.next(),
    threshold: 0.5 + rng.next(),
    ...(rng.next() < 0.05 ? { dead: true } : {}),
    ...(adaptation ? { adaptation: { kind: rng.next() < 0.5 ? "leak" : "threshold", increment: 0.2 + rng.next(), tauAdaptNs: 5 + 50 * rng.next() } } : {}),
  } as NeuronParams;
}

/** The rule by hand, with the model's `step`. */
function handRun(model: NeuronModelId, p: NeuronParams, segs: Segment[], currentAt: (s: number) => number) {
  const m = neuronModels[model];
  let state: NeuronState = { x: 0 };
  let fired = -1;
  const spikes: { window: number; timePs: number }[] = [];
  const xs: number[] = [];
  for (let s = 0; s < segs.length; s++) {
    const seg = segs[s];
    if (seg.window === fired) {
      xs.push(0);
      continue;
    }
    const r = m.step(state, currentAt(s), p, (seg.endPs - seg.startPs) / 1000, null);
    state = r.state;
    if (r.firedAtNs !== null) {
      spikes.push({ window: seg.window, timePs: Math.round(seg.startPs + r.firedAtNs * 1000) });
      fired = seg.window;
      state = { x: 0 };
    }
    xs.push(state.x);
  }
  return { spikes, xs };
}

describe("the network's neuron stepper", () => {
  it("lif-she (in-place step) and integrate-and-fire (step) give the hand loop's spikes and states on 3,000 random drives", () => {
    expect(neuronModels["lif-she"].stepInPlace).toBeTypeOf("function");
    expect((neuronModels["integrate-and-fire"] as { stepInPlace?: unknown }).stepInPlace).toBeUndefined();
    const rng = createRng(17);
    let spiking = 0;
    for (let k = 0; k < 3000; k++) {
      const model: NeuronModelId = k % 3 === 2 ? "integrate-and-fire" : "lif-she";
      const segs = randomSegments(rng);
      const p = randomParams(rng, false);
      const currents = segs.map(() => (rng.next() < 0.3 ? 0 : 150 * rng.next()));
      const states = segs.map(() => new Float64Array(1));
      const spikes = runNeuron(model, p, segs, (s) => currents[s], null, states);
      const hand = handRun(model, p, segs, (s) => currents[s]);
      expect(spikes, `case ${k} (${model})`).toEqual(hand.spikes);
      expect(states.map((a) => a[0]), `case ${k} (${model})`).toEqual(hand.xs);
      if (spikes.length > 0) spiking++;
    }
    expect(spiking).toBeGreaterThan(1000);
  });

  it("drivenWindows = the windows of runNeuron's spikes under the same drive (4,000 random cases, a fifth with adaptation)", () => {
    const rng = createRng(29);
    const seen = new Set<number>();
    for (let k = 0; k < 4000; k++) {
      const segs = randomSegments(rng);
      const p = randomParams(rng, k % 5 === 0);
      const current = 150 * rng.next();
      const train = runNeuron("lif-she", p, segs, (s) => (segs[s].activeRows.length > 0 ? current : 0), null);
      const mask = drivenWindows("lif-she", p, segs, current);
      expect(mask, `case ${k}`).toBe(windowMask(train));
      seen.add(mask);
    }
    expect(seen.size).toBeGreaterThan(30); // many different window sets, not all-or-nothing
  });
});
