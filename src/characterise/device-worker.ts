/**
 * Worker-thread side of the device characterisation pool: receives jobs
 * `{ id, kind, payload }`, runs the matching kernel and answers `{ id, result }` or
 * `{ id, error }`. Loaded through ts-worker-boot.mjs (see worker-pool.ts).
 *
 *   parentPort ← { id: 3, kind: "switching", payload: { setup, tasks } }
 */
import { parentPort } from "node:worker_threads";
import { deviceJobHandlers, type DeviceJobKind } from "./device-jobs.ts";

const port = parentPort;
if (!port) throw new Error("device-worker.ts must run in a worker thread");
port.on("message", (msg: { id: number; kind: DeviceJobKind; payload: never }) => {
  try {
    const handler = deviceJobHandlers[msg.kind] as (payload: unknown) => unknown;
    port.postMessage({ id: msg.id, result: handler(msg.payload) });
  } catch (err) {
    port.postMessage({ id: msg.id, error: (err as Error)?.stack ?? String(err) });
  }
});
