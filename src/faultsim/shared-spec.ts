/**
 * A campaign spec (parallel-campaign.ts CampaignSpec) as pool threads share it: each
 * vector's input events travel as two typed arrays (input, timePs) instead of an array of
 * small objects. On bnn's 64 random vectors that is 73,500 `{ input, timePs }` objects:
 * v8 serialisation took 30–40 ms on the caller and 77–93 ms to read back in every thread —
 * both before any slice could start; as typed arrays they are copied as bytes, and a
 * thread rebuilds the objects in a few ms. A vector whose events carry anything else
 * travels as it is.
 *
 *   const shared = shareCampaignSpec(spec);   // caller
 *   const spec = readCampaignSpec(shared);    // a pool thread (once per thread): deep-equal to the caller's
 */
import { perThread, readShared, shareValue, type Shared } from "../parallel/shared-value.ts";
import type { InputEvent } from "../sim/stimulus.ts";
import type { FaultSimVector } from "./fault-engine.ts";
import type { CampaignSpec } from "./parallel-campaign.ts";

/** A vector's events, packed. */
interface PackedEvents {
  input: Int32Array;
  timePs: Float64Array;
}

type WireVector = FaultSimVector & { packedEvents?: PackedEvents };

/** Whether events are exactly `{ input: int32, timePs: number }` each (else they travel as objects). */
function packable(events: readonly InputEvent[]): boolean {
  for (const e of events) {
    if (typeof e !== "object" || e === null || Object.keys(e).length !== 2 || (e.input | 0) !== e.input || typeof e.timePs !== "number") return false;
  }
  return true;
}

function pack(v: FaultSimVector): WireVector {
  const events = v.stimulus.events;
  if (!Array.isArray(events) || !packable(events)) return v;
  const input = new Int32Array(events.length);
  const timePs = new Float64Array(events.length);
  for (let i = 0; i < events.length; i++) {
    input[i] = events[i].input;
    timePs[i] = events[i].timePs;
  }
  const { events: _drop, ...stimulus } = v.stimulus;
  return { ...v, stimulus: stimulus as FaultSimVector["stimulus"], packedEvents: { input, timePs } };
}

function unpack(w: WireVector): FaultSimVector {
  if (!w.packedEvents) return w;
  const { packedEvents, ...v } = w;
  const { input, timePs } = packedEvents;
  const events: InputEvent[] = new Array(input.length);
  for (let i = 0; i < input.length; i++) events[i] = { input: input[i], timePs: timePs[i] };
  return { ...v, stimulus: { ...v.stimulus, events } };
}

/** Share a campaign spec with the pool threads (its events packed). */
export function shareCampaignSpec(spec: CampaignSpec): Shared<CampaignSpec> {
  return shareValue({ ...spec, vectors: spec.vectors.map(pack) }) as Shared<CampaignSpec>;
}

/** The spec shareCampaignSpec shared, once per thread. */
export function readCampaignSpec(shared: Shared<CampaignSpec>): CampaignSpec {
  return perThread(shared, "campaign spec", () => {
    const wire = readShared(shared);
    return { ...wire, vectors: (wire.vectors as WireVector[]).map(unpack) };
  });
}
