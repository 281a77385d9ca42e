/**
 * Cutting a stimulus into constant-drive segments: a row is on in a segment exactly when one
 * of its pulses covers the segment's start (start ≤ a < start + IW). The cut uses two
 * pointers over the pulses sorted by start; here it is checked by hand on overlapping pulses
 * and against that definition, applied pulse by pulse, on 300 seeded random stimuli.
 */
import { describe, expect, it } from "vitest";
import { createRng } from "../../src/sim/rng.ts";
import { segmentStimulus, type InputEvent, type Stimulus } from "../../src/sim/stimulus.ts";

/** The definition: rows whose pulse covers `a`. */
const rowsOn = (s: Stimulus, a: number) => [...new Set(s.events.filter((e) => e.timePs <= a && a < e.timePs + s.iwPs).map((e) => e.input))].sort((x, y) => x - y);

describe("segmentStimulus", () => {
  it("overlapping pulses: IW 100, LW 50, 2 windows; row 0 at 0 and 120, row 2 at 30, row 1 at 150", () => {
    const s: Stimulus = { iwPs: 100, lwPs: 50, windows: 2, events: [{ input: 0, timePs: 120 }, { input: 2, timePs: 30 }, { input: 0, timePs: 0 }, { input: 1, timePs: 150 }] };
    const segments = segmentStimulus(s, 3);
    const seg = segments.map((x) => [x.startPs, x.endPs, x.window, Array.from(x.activeRows)]);
    // cuts: 0, 30, 100, 120, 130, 150, 220, 250, 300
    expect(segments.map((x) => x.key)).toEqual([0, 1, 2, 1, 0, 3, 4, 5]); // [0,2] twice, [0] twice
    expect(seg).toEqual([
      [0, 30, 0, [0]],
      [30, 100, 0, [0, 2]],
      [100, 120, 0, [2]],
      [120, 130, 0, [0, 2]],
      [130, 150, 0, [0]],
      [150, 220, 1, [0, 1]],
      [220, 250, 1, [1]],
      [250, 300, 1, []],
    ]);
  });

  it("agrees with the definition on 300 random stimuli (pulses anywhere, repeated rows)", () => {
    const rng = createRng(2026);
    for (let t = 0; t < 300; t++) {
      const iwPs = 10 + Math.floor(rng.next() * 200);
      const lwPs = Math.floor(rng.next() * 200);
      const windows = 1 + Math.floor(rng.next() * 4);
      const end = windows * (iwPs + lwPs);
      const events: InputEvent[] = Array.from({ length: Math.floor(rng.next() * 40) }, () => ({ input: Math.floor(rng.next() * 6), timePs: Math.floor(rng.next() * (end - iwPs + 1)) }));
      const s = { iwPs, lwPs, windows, events };
      const segs = segmentStimulus(s, 6);
      expect(segs[0].startPs).toBe(0);
      expect(segs.at(-1)!.endPs).toBe(end);
      for (const g of segs) expect(Array.from(g.activeRows), `stimulus ${t}, segment at ${g.startPs}`).toEqual(rowsOn(s, g.startPs));
      // the set ids: equal active sets, equal ids; different sets, different ids
      for (const g of segs) for (const h of segs) expect(g.key === h.key, `stimulus ${t}`).toBe(g.activeRows.join() === h.activeRows.join());
    }
  });
});
