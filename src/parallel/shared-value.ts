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
 *
 * A typed array on a SharedArrayBuffer at the top level of the value (a fault code of
 * 55 MB for bnn's array phase) is not serialised at all: it travels by reference beside
 * the bytes and is put back in place. Serialising it cost 1.5 s of the main thread at load 4,
 * and a worker deserialising it cannot be terminated (Ctrl-C waited for it).
 */
import { deserialize, serialize } from "node:v8";
import { randomUUID } from "node:crypto";

/** A handle on a shared value: what tasks carry. */
export interface Shared<T> {
  readonly key: string;
  readonly buffer: SharedArrayBuffer;
  /** Top-level typed arrays on SharedArrayBuffers, by key: shared, not serialised. */
  readonly views?: Readonly<Record<string, SharedView>>;
  /** Type carrier only. */
  readonly _type?: T;
}

/** A typed array on a SharedArrayBuffer, as it crosses threads. */
export interface SharedView {
  readonly type: SharedViewType;
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly length: number;
}

const viewTypes = { Int32Array, Uint32Array, Float64Array, Float32Array, Uint8Array, Int8Array, Uint16Array, Int16Array } as const;
type SharedViewType = keyof typeof viewTypes;

/** A typed array of `length` elements on a new SharedArrayBuffer (shareValue passes it by reference). */
export function sharedArray<K extends SharedViewType>(type: K, length: number): InstanceType<(typeof viewTypes)[K]> {
  return viewOn(type, new SharedArrayBuffer(length * viewTypes[type].BYTES_PER_ELEMENT), 0, length) as InstanceType<(typeof viewTypes)[K]>;
}

function viewOn(type: SharedViewType, buffer: SharedArrayBuffer, byteOffset: number, length: number): ArrayBufferView {
  const Ctor = viewTypes[type] as unknown as new (b: SharedArrayBuffer, offset: number, length: number) => ArrayBufferView;
  return new Ctor(buffer, byteOffset, length);
}

function sharedViewOf(x: unknown): SharedView | null {
  if (!ArrayBuffer.isView(x) || !(x.buffer instanceof SharedArrayBuffer)) return null;
  const type = (Object.keys(viewTypes) as SharedViewType[]).find((t) => x instanceof viewTypes[t]);
  return type ? { type, buffer: x.buffer, byteOffset: x.byteOffset, length: (x as unknown as { length: number }).length } : null;
}

export function shareValue<T>(value: T): Shared<T> {
  let rest: unknown = value;
  let views: Record<string, SharedView> | undefined;
  if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value) && !Array.isArray(value)) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const [k, v] of Object.entries(copy)) {
      const view = sharedViewOf(v);
      if (!view) continue;
      (views ??= {})[k] = view;
      delete copy[k];
    }
    if (views) rest = copy;
  }
  const bytes = serialize(rest);
  const buffer = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return views ? { key: randomUUID(), buffer, views } : { key: randomUUID(), buffer };
}

/**
 * What this thread has built from shared values, by handle key then by name. Keeps the few
 * handles used last (a handle read again moves to the back): a warm-up's chip, used by the
 * campaign after it, outlives the specs and fault models of the warm-up's two passes.
 */
const cache = new Map<string, Map<string, unknown>>();
const KEEP = 4;

function entry(key: string): Map<string, unknown> {
  let m = cache.get(key);
  if (m) {
    cache.delete(key);
    cache.set(key, m);
    return m;
  }
  m = new Map();
  cache.set(key, m);
  while (cache.size > KEEP) cache.delete(cache.keys().next().value as string);
  return m;
}

/** Something built from a shared value, once per thread (the network, the fault universe). */
export function perThread<V>(shared: Shared<unknown>, name: string, build: () => V): V {
  return perThreadKeyed(shared.key, name, build);
}

/** perThread under a key of the caller's (a value built from part of a shared spec, and found again from another spec that names the same key). */
export function perThreadKeyed<V>(key: string, name: string, build: () => V): V {
  const m = entry(key);
  if (!m.has(name)) m.set(name, build());
  return m.get(name) as V;
}

/** The shared value itself (deserialised once per thread). */
export function readShared<T>(shared: Shared<T>): T {
  return perThread(shared, "", () => {
    const value = deserialize(Buffer.from(shared.buffer)) as T;
    for (const [k, v] of Object.entries(shared.views ?? {})) (value as Record<string, unknown>)[k] = viewOn(v.type, v.buffer, v.byteOffset, v.length);
    return value;
  });
}
