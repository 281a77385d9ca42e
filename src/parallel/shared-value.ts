/**
 * Read-only state shared by every task of a pool instead of being copied into each
 * task's message: the value is serialised once (v8 structured serialisation, so typed
 * arrays survive) into a SharedArrayBuffer, tasks carry only the handle (a SAB crosses
 * threads by reference), and each thread deserialises it once and keeps it.
 *
 *   const spec = shareValue({ benchFile, vectors });      // main thread
 *   pool.run(task, { spec, start, end });
 *   const s = readShared<Spec>(payload.spec);               // worker: built once per thread
 *   const net = perThread(payload.spec, "net", () => compileNetwork(…));
 */
import { deserialize, serialize } from "node:v8";
import { randomUUID } from "node:crypto";

/** A handle on a shared value: what tasks carry. */
export interface Shared<T> {
  readonly key: string;
  readonly buffer: SharedArrayBuffer;
  /** Type carrier only. */
  readonly _type?: T;
}

export function shareValue<T>(value: T): Shared<T> {
  const bytes = serialize(value);
  const buffer = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return { key: randomUUID(), buffer };
}

/** What this thread has built from shared values, by handle key then by name. Keeps the last few handles only. */
const cache = new Map<string, Map<string, unknown>>();
const KEEP = 4;

function entry(key: string): Map<string, unknown> {
  let m = cache.get(key);
  if (!m) {
    m = new Map();
    cache.set(key, m);
    while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  }
  return m;
}

/** Something built from a shared value, once per thread (the network, the fault universe). */
export function perThread<V>(shared: Shared<unknown>, name: string, build: () => V): V {
  const m = entry(shared.key);
  if (!m.has(name)) m.set(name, build());
  return m.get(name) as V;
}

/** The shared value itself (deserialised once per thread). */
export function readShared<T>(shared: Shared<T>): T {
  return perThread(shared, "", () => deserialize(Buffer.from(shared.buffer)) as T);
}
