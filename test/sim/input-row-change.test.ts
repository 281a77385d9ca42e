/**
 * rowChangedRun (src/sim/input-row-change.ts): a layer's run with one input row pulsing at
 * other times, patched from the run on the original events, is simulateLayer's run on the
 * changed events — segments, currents and spikes — whenever it answers; it declines (null)
 * when a segment boundary would move. Random benches (single-ended and differential,
 * deterministic and stochastic neurons) with free and per-window events; the changed row
 * pulses at window edges (what a hidden neuron's spikes send), at other rows' pulse times,
 * or anywhere.
 */
import { describe, expect, it } from "vitest";
import { createRng, simulateLayer, type Rng } from "../../src/sim/index.ts";
import { periodPs, type InputEvent, type Stimulus } from "../../src/sim/stimulus.ts";
import { pulseStarts, propagatingMask, rowChangedRun } from "../../src/sim/input-row-change.ts";
import { simulateNetwork, spikesToEvents } from "../../src/sim/network.ts";
import { randomBench, randomVectors } from "../faultsim/random-bench.ts";

const int = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.next() * (hi - lo + 1));

/** The row's pulses moved to `now`: the events simulateLayer is given. */
const withRowAt = (events: readonly InputEvent[], row: number, now: readonly number[]): InputEvent[] => [...events.filter((e) => e.input !== row), ...now.map((timePs) => ({ input: row, timePs }))];

function expectSameRun(net: Parameters<typeof simulateLayer>[0], li: number, stim: Stimulus, events: InputEvent[], got: NonNullable<ReturnType<typeof rowChangedRun>>) {
  const want = simulateLayer(net, li, stim, events);
  expect(got.segments.map((g) => [g.startPs, g.endPs, g.window, [...g.activeRows]])).toEqual(want.segments.map((g) => [g.startPs, g.endPs, g.window, [...g.activeRows]]));
  expect(got.currentsUa.map((c) => [...c])).toEqual(want.currentsUa.map((c) => [...c]));
  expect(got.spikes).toEqual(want.spikes);
}

describe("one input row pulsing at other times", () => {
  it("= simulateLayer on the changed events whenever it answers (free events, 40 random benches)", () => {
    let answered = 0;
    let declined = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rng = createRng(7100 + seed);
      const { net } = randomBench(rng, seed % 3 === 0 ? { referenceWeight: 0.5 } : {});
      const rows = net.layers[0].rows;
      for (const { stimulus: stim } of randomVectors(rng, net, 4)) {
        const good = simulateLayer(net, 0, stim, stim.events);
        const end = stim.windows * periodPs(stim);
        const row = int(rng, 0, rows - 1);
        const before = stim.events.filter((e) => e.input === row).map((e) => e.timePs);
        const others = stim.events.filter((e) => e.input !== row).map((e) => e.timePs);
        for (let trial = 0; trial < 6; trial++) {
          const n = int(rng, 0, 3);
          const now = Array.from({ length: n }, () => {
            const kind = trial % 3;
            const t = kind === 0 ? int(rng, 0, stim.windows - 1) * periodPs(stim) : kind === 1 && others.length ? others[int(rng, 0, others.length - 1)] : 100 * int(rng, 0, Math.floor((end - stim.iwPs) / 100));
            return Math.min(t, end - stim.iwPs);
          });
          const got = rowChangedRun(net, 0, stim, good, row, before, now);
          if (!got) {
            declined++;
            continue;
          }
          answered++;
          expectSameRun(net, 0, stim, withRowAt(stim.events, row, now), got);
        }
      }
    }
    expect(answered).toBeGreaterThan(300);
    expect(declined).toBeGreaterThan(20); // free pulse times do move boundaries
  });

  it("a hidden neuron's windows changed: the output layer patched (declines only when the row alone made a boundary)", () => {
    let answered = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rng = createRng(7300 + seed);
      const { net } = randomBench(rng);
      if (net.layers.length < 2) continue;
      for (const { stimulus: stim } of randomVectors(rng, net, 3)) {
        const run = simulateNetwork(net, stim).layers;
        const hidden = run[0].spikes;
        const events = spikesToEvents(hidden, stim);
        const row = int(rng, 0, net.layers[0].cols - 1);
        const mask = (train: { window: number }[]) => train.reduce((m, s) => m | (1 << s.window), 0);
        const before = pulseStarts(mask(hidden.filter((s) => s.neuron === row)), stim);
        expect(before).toEqual(events.filter((e) => e.input === row).map((e) => e.timePs).filter((t, k, a) => a.indexOf(t) === k));
        const now = pulseStarts(int(rng, 0, 31) & propagatingMask(stim), stim);
        const got = rowChangedRun(net, 1, stim, run[1], row, before, now);
        const alone = [...before, ...now].some((t) => !events.some((e) => e.input !== row && e.timePs === t));
        if (!got) {
          expect(alone).toBe(true);
          continue;
        }
        answered++;
        expectSameRun(net, 1, stim, withRowAt(events, row, now), got);
      }
    }
    expect(answered).toBeGreaterThan(15);
  });

  it("declines when the row alone starts a pulse at a time no other row pulses", () => {
    const { net } = randomBench(createRng(3));
    const stim: Stimulus = { iwPs: 1000, lwPs: 9000, windows: 2, events: [{ input: 0, timePs: 0 }] };
    const good = simulateLayer(net, 0, stim, stim.events);
    expect(rowChangedRun(net, 0, stim, good, 1, [], [500])).toBeNull(); // new boundaries at 500 and 1500
    expect(rowChangedRun(net, 0, stim, good, 0, [0], [])).toBeNull(); // 1000 was row 0's pulse end alone
    expect(rowChangedRun(net, 0, stim, good, 0, [0], [0])).toBe(good); // nothing changed
  });
});
