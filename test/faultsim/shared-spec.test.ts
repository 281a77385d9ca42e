/**
 * The campaign spec as pool threads share it (shared-spec.ts): each vector's input events
 * travel as two typed arrays and come back as the same `{ input, timePs }` objects; events
 * carrying anything else travel as they are. Expected values are the caller's own spec
 * (a round trip must be the identity) and, for the packed form, hand counts.
 */
import { describe, expect, it } from "vitest";
import { readShared } from "../../src/parallel/shared-value.ts";
import { readCampaignSpec, shareCampaignSpec } from "../../src/faultsim/shared-spec.ts";
import type { CampaignSpec } from "../../src/faultsim/parallel-campaign.ts";

const vector = (id: string, events: unknown[]) => ({ id, stimulus: { iwPs: 1000, lwPs: 9000, windows: 2, events }, toleranceBandPs: 500, timingResolutionPs: 10 });

describe("sharing a campaign spec with the pool threads", () => {
  const spec = {
    benchFile: "b.json",
    collapse: true,
    engine: "fast",
    drop: true,
    params: { "resistive-open": { resistanceOhms: Number.POSITIVE_INFINITY } },
    vectors: [
      vector("a", [{ input: 0, timePs: 0 }, { input: 3, timePs: 10_000.5 }, { input: 1, timePs: 10_000 }]),
      vector("extra", [{ input: 0, timePs: 0, amplitude: 2 }]), // a field the packed form has no room for
      vector("fraction", [{ input: 0.5, timePs: 0 }]), // not an Int32 row
      vector("empty", []),
    ],
  } as unknown as CampaignSpec;

  it("gives the thread the caller's spec back, event for event, in order", () => {
    const back = readCampaignSpec(shareCampaignSpec(spec));
    expect(back).toEqual(spec);
    expect(back.params).toEqual({ "resistive-open": { resistanceOhms: Number.POSITIVE_INFINITY } }); // what JSON would have turned into null
  });

  it("packs exactly the vectors whose events are { input: int, timePs } each (3 + 0 events as arrays; 2 vectors as objects)", () => {
    const wire = readShared(shareCampaignSpec(spec)) as unknown as { vectors: { stimulus: { events?: unknown[] }; packedEvents?: { input: Int32Array; timePs: Float64Array } }[] };
    const [a, extra, fraction, empty] = wire.vectors;
    expect([...a.packedEvents!.input]).toEqual([0, 3, 1]);
    expect([...a.packedEvents!.timePs]).toEqual([0, 10_000.5, 10_000]);
    expect(a.stimulus.events).toBeUndefined();
    expect(extra.packedEvents).toBeUndefined();
    expect(extra.stimulus.events).toEqual([{ input: 0, timePs: 0, amplitude: 2 }]);
    expect(fraction.packedEvents).toBeUndefined();
    expect(empty.packedEvents!.input.length).toBe(0);
  });
});
