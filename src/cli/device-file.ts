/**
 * Resolve a device argument: a path, or the id of a shipped device file
 * (`seed002-she-eb20` → devices/seed002-she-eb20.json next to the package).
 *
 *   const { device, file } = loadDeviceArg("seed002-she-eb20");
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadDeviceFile, type DeviceFile } from "../formats/device-format.ts";
import { NotFoundError } from "../formats/format-error.ts";
import { packageRoot } from "./bench-file.ts";

/** Ids of the device files shipped in devices/. */
export function shippedDeviceIds(): string[] {
  try {
    return readdirSync(join(packageRoot, "devices"))
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.replace(/\.json$/, ""))
      .sort();
  } catch {
    return [];
  }
}

/** Path of a device argument (path or shipped id). */
export function devicePath(arg: string): string {
  if (existsSync(arg)) return arg;
  const shipped = join(packageRoot, "devices", `${arg}.json`);
  if (existsSync(shipped)) return shipped;
  throw new NotFoundError(`${arg}: no such device file or shipped device id (shipped: ${shippedDeviceIds().join(", ")})`);
}

/** Load and validate a device given by path or shipped id. */
export function loadDeviceArg(arg: string): { device: DeviceFile; file: string } {
  const file = devicePath(arg);
  return { device: loadDeviceFile(file), file };
}
