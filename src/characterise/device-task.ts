/**
 * The job-pool task of device characterisation: runs one device job (a switching block,
 * a batch of pulse trains) with the same handler the in-process runner calls, so the
 * numbers never depend on where they ran.
 *
 *   pool.run(deviceTask, { kind: "switching", payload: { setup, tasks } })
 */
import { defineTask } from "../parallel/job-pool.ts";
import { deviceJobHandlers, type DeviceJobKind } from "./device-jobs.ts";

export interface DeviceTaskPayload {
  kind: DeviceJobKind;
  payload: unknown;
}

export default defineTask((t: DeviceTaskPayload) => (deviceJobHandlers[t.kind] as (p: unknown) => unknown)(t.payload));
