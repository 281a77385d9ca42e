/**
 * Serial port discovery: `SerialPort.list()` where the system supports it, and a plain
 * scan of /dev when it does not (on Linux the library shells out to `udevadm`, which
 * minimal containers lack: `spawn udevadm ENOENT`).
 *
 *   const r = await listSerialPorts();
 *   r.enumerated ? r.ports : r.deviceNodes   // PortInfo[] | ["/dev/ttyUSB0", "/dev/pts/3", …]
 */
import { readdirSync } from "node:fs";

/** One port as the serial library describes it. */
export interface SerialPortEntry {
  path: string;
  manufacturer?: string;
  serialNumber?: string;
  vendorId?: string;
  productId?: string;
  pnpId?: string;
  locationId?: string;
}

/** Frozen result of a port listing. */
export interface SerialPortListing {
  /** Whether the system enumerated its ports (SerialPort.list() worked). */
  enumerated: boolean;
  ports: SerialPortEntry[];
  /** Why enumeration failed, in words a user can act on. */
  problem?: string;
  /** Character devices that look like serial ports or pseudo-terminals, from a scan of /dev. */
  deviceNodes: string[];
}

/** What the listing needs from the system (injected in tests). */
export interface PortListingDeps {
  list?: () => Promise<SerialPortEntry[]>;
  readdir?: (dir: string) => string[];
}

const serialNamePattern = /^(ttyS\d+|ttyUSB\d+|ttyACM\d+|ttyAMA\d+|ttyXRUSB\d+|rfcomm\d+|cu\..+|tty\..+)$/;

/** Scan /dev (and /dev/pts, /dev/serial/by-id) for serial-looking nodes. */
export function scanDeviceNodes(readdir: (dir: string) => string[] = (d) => readdirSync(d)): string[] {
  const safe = (dir: string) => {
    try {
      return readdir(dir);
    } catch {
      return [];
    }
  };
  const nodes = safe("/dev").filter((n) => serialNamePattern.test(n)).map((n) => `/dev/${n}`);
  const byId = safe("/dev/serial/by-id").map((n) => `/dev/serial/by-id/${n}`);
  const pts = safe("/dev/pts").filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b)).map((n) => `/dev/pts/${n}`);
  return [...nodes.sort(), ...byId.sort(), ...pts];
}

/** Explain a failed SerialPort.list(). */
export function describeListFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { path?: string; spawnargs?: string[] };
  const msg = e?.message ?? String(err);
  if (e?.code === "ENOENT" && /udevadm/.test(msg)) {
    return "the system cannot enumerate serial ports: the serial library needs `udevadm` (udev / systemd) and it is not installed";
  }
  return `the system cannot enumerate serial ports: ${msg}`;
}

/** List serial ports, falling back to a /dev scan. Never throws. */
export async function listSerialPorts(deps: PortListingDeps = {}): Promise<SerialPortListing> {
  // serialport is loaded on use: its native binding would cost every command start-up.
  const list = deps.list ?? (async () => (await import("serialport")).SerialPort.list() as Promise<SerialPortEntry[]>);
  const deviceNodes = scanDeviceNodes(deps.readdir);
  try {
    const ports = await list();
    return { enumerated: true, ports, deviceNodes };
  } catch (err) {
    return { enumerated: false, ports: [], problem: describeListFailure(err), deviceNodes };
  }
}
