/**
 * Fault outcomes as typed arrays, for the way back from a pool thread. A slice of the bnn
 * universe is ~1.8 M outcome objects: received as objects, the main thread spent seconds
 * in one structured-clone deserialisation that Ctrl-C could not interrupt. Encoded, the
 * message is a few typed arrays (a copy), and the objects are rebuilt on the main thread
 * a chunk at a time with a Ctrl-C checkpoint between chunks. Fault ids are not sent: the
 * main thread has the same faults in the same order (checked by count and end ids).
 * Outcomes with per-vector lists (drop = false) are sent as they are.
 *
 *   const enc = encodeOutcomes(result.outcomes, vectorIds);           // on the thread (null: send as is)
 *   const outcomes = await decodeOutcomes(enc, sliceFaultIds, vectorIds, () => checkpoint(signal));
 */
import type { FaultClass, FaultOutcome } from "./fault-engine.ts";

const classes: readonly FaultClass[] = ["DT", "PD", "UD", "ND", "AU"];

export interface EncodedOutcomes {
  count: number;
  firstId: string;
  lastId: string;
  cls: Uint8Array;
  /** Index of firstVector in the campaign's vectors, −1 for null. */
  first: Int32Array;
  /** Index of firstPossibleVector, −1 for null, −2 when the outcome has none. */
  firstPossible: Int32Array;
  /** Index into `reasons`, −1 for none. */
  reason: Int32Array;
  reasons: string[];
}

/** Outcomes rebuilt between two awaits of decodeOutcomes' `between`. */
export const DECODE_CHUNK = 65_536;

/** Encode; null when an outcome does not fit the encoding (per-vector lists, an unknown vector id). */
export function encodeOutcomes(outcomes: readonly FaultOutcome[], vectorIds: readonly string[]): EncodedOutcomes | null {
  const n = outcomes.length;
  if (n === 0) return null;
  const vIndex = new Map(vectorIds.map((id, i) => [id, i]));
  const reasonIndex = new Map<string, number>();
  const enc: EncodedOutcomes = { count: n, firstId: outcomes[0].faultId, lastId: outcomes[n - 1].faultId, cls: new Uint8Array(n), first: new Int32Array(n), firstPossible: new Int32Array(n), reason: new Int32Array(n), reasons: [] };
  const vector = (id: string | null | undefined, absent: number): number | null => (id === undefined ? absent : id === null ? -1 : (vIndex.get(id) ?? null));
  for (let i = 0; i < n; i++) {
    const o = outcomes[i];
    if (o.detectingVectors || o.detectedVectors) return null;
    const keys = Object.keys(o).length - (o.reason === undefined ? 0 : 1) - (o.firstPossibleVector === undefined ? 0 : 1);
    if (keys !== 3) return null; // faultId, cls, firstVector and nothing unknown
    const c = classes.indexOf(o.cls);
    const f = vector(o.firstVector, -1);
    const p = vector(o.firstPossibleVector, -2);
    if (c < 0 || f === null || p === null || ("firstPossibleVector" in o && o.firstPossibleVector === undefined)) return null;
    enc.cls[i] = c;
    enc.first[i] = f;
    enc.firstPossible[i] = p;
    if (o.reason === undefined) enc.reason[i] = -1;
    else {
      let r = reasonIndex.get(o.reason);
      if (r === undefined) reasonIndex.set(o.reason, (r = enc.reasons.push(o.reason) - 1));
      enc.reason[i] = r;
    }
  }
  return enc;
}

/** Rebuild the outcome objects (the engines' key order) for `faultIds`, the slice's faults in order. */
export async function decodeOutcomes(enc: EncodedOutcomes, faultIds: (i: number) => string, vectorIds: readonly string[], between: () => Promise<void>): Promise<FaultOutcome[]> {
  const out: FaultOutcome[] = new Array(enc.count);
  if (faultIds(0) !== enc.firstId || faultIds(enc.count - 1) !== enc.lastId) throw new Error(`pool thread outcomes do not follow the faults (${enc.firstId}…${enc.lastId} against ${faultIds(0)}…${faultIds(enc.count - 1)})`);
  for (let i = 0; i < enc.count; i++) {
    if (i > 0 && i % DECODE_CHUNK === 0) await between();
    const f = enc.first[i];
    const p = enc.firstPossible[i];
    const o: FaultOutcome = { faultId: faultIds(i), cls: classes[enc.cls[i]], firstVector: f < 0 ? null : vectorIds[f] };
    if (p !== -2) o.firstPossibleVector = p < 0 ? null : vectorIds[p];
    if (enc.reason[i] >= 0) o.reason = enc.reasons[enc.reason[i]];
    out[i] = o;
  }
  return out;
}
