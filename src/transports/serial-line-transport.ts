/**
 * A LineTransport over a serial port (node-serialport + @serialport/parser-readline):
 * 8N1 at the chosen baud rate, `\n` out, `\n` or `\r\n` in, lines capped at the
 * protocol limit, and an unplugged port reported through `onClose` (the port's
 * `close` event with a disconnect error, an `error` event, or — because on Linux a
 * hung-up tty makes node-serialport's reader loop on zero-byte reads without telling
 * anyone (serialport/node-serialport#2043) — a watchdog that notices the device node
 * (/dev/ttyUSB0, /dev/pts/N behind a link) has disappeared).
 *
 *   const t = createSerialLineTransport({ path: "/dev/ttyUSB0", baudRate: 115200 });
 *   await t.open();   // PortError "cannot open serial port /dev/ttyUSB0: …" on failure
 */
import { existsSync } from "node:fs";
import type { SerialPort } from "serialport";
import { PortError } from "./bench-error.ts";
import { LineLimitGuard } from "./line-limit-guard.ts";
import { maxLineBytes } from "./line-framing.ts";
import type { LineTransport } from "./line-transport.ts";

export interface SerialLineTransportOptions {
  /** Device path, e.g. /dev/ttyUSB0, COM3, or a pseudo-terminal link. */
  path: string;
  /** Baud rate (PROTOCOL.md default 115200). */
  baudRate?: number;
  /** Longest accepted line, bytes (default: the protocol's 65,536). */
  maxLineBytes?: number;
  /** How often the watchdog checks that the device node still exists, ms (0 = off). */
  watchdogMs?: number;
}

function openHint(code: string | undefined, message: string): string {
  if (/ENOENT|No such file/i.test(`${code} ${message}`)) return "the device does not exist: check the cable and `snn-atpg ports`";
  if (/EACCES|Permission denied/i.test(`${code} ${message}`)) return "no permission: add yourself to the dialout (Linux) or uucp group, or run with access to the device";
  if (/EBUSY|Resource busy|lock/i.test(`${code} ${message}`)) return "another program holds the port: close it first";
  return "check the path with `snn-atpg ports`";
}

export function createSerialLineTransport(o: SerialLineTransportOptions): LineTransport {
  const limit = o.maxLineBytes ?? maxLineBytes;
  const lineListeners: ((line: string) => void)[] = [];
  const badListeners: ((reason: string) => void)[] = [];
  const closeListeners: ((err: Error) => void)[] = [];
  let port: SerialPort | null = null;
  let closing = false;
  let reportedClose = false;
  let watchdog: NodeJS.Timeout | null = null;

  const reportClose = (err: Error) => {
    if (watchdog) clearInterval(watchdog);
    if (closing || reportedClose) return;
    reportedClose = true;
    for (const l of closeListeners) l(err);
  };

  return {
    label: o.path,
    onLine: (l) => lineListeners.push(l),
    onBadLine: (l) => badListeners.push(l),
    onClose: (l) => closeListeners.push(l),

    async open() {
      // Loaded here, not at start-up: the native binding costs every other command ~0.1 s.
      const [{ SerialPort }, { ReadlineParser }] = await Promise.all([import("serialport"), import("@serialport/parser-readline")]);
      return new Promise<void>((resolve, reject) => {
        let p: SerialPort;
        try {
          p = new SerialPort({ path: o.path, baudRate: o.baudRate ?? 115200, dataBits: 8, parity: "none", stopBits: 1, autoOpen: false });
        } catch (err) {
          reject(new PortError(`cannot open serial port ${o.path}: ${(err as Error).message}`));
          return;
        }
        p.open((err) => {
          if (err) {
            const code = (err as NodeJS.ErrnoException).code;
            // node-serialport's binding messages start with a redundant "Error: ".
            reject(new PortError(`cannot open serial port ${o.path}: ${err.message.replace(/^Error: /, "")} (${openHint(code, err.message)})`));
            return;
          }
          port = p;
          p.flush(() => undefined); // drop bytes left in the OS buffer by an earlier session
          const parser = p.pipe(new LineLimitGuard(limit)).pipe(new ReadlineParser({ delimiter: "\n", encoding: "latin1" }));
          parser.on("data", (raw: string) => {
            const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
            if (Buffer.byteLength(line, "latin1") > limit) {
              for (const l of badListeners) l(`line longer than ${limit} bytes`);
              return;
            }
            for (const l of lineListeners) l(line);
          });
          p.on("close", (e: (Error & { disconnected?: boolean }) | null) => {
            reportClose(new PortError(`serial port ${o.path} closed unexpectedly${e?.disconnected ? " (device unplugged or link gone)" : ""}: ${e?.message ?? "closed"}`));
          });
          p.on("error", (e: Error) => reportClose(new PortError(`serial port ${o.path} I/O error: ${e.message}`)));
          // Only where the path is a file (not COM3 on Windows).
          if ((o.watchdogMs ?? 200) > 0 && existsSync(o.path)) {
            watchdog = setInterval(() => {
              if (existsSync(o.path)) return;
              reportClose(new PortError(`serial port ${o.path} closed unexpectedly (device unplugged or link gone): the device node disappeared`));
              p.close(() => undefined); // also stops the library's reader loop
            }, o.watchdogMs ?? 200);
            watchdog.unref();
          }
          resolve();
        });
      });
    },

    writeLine(line: string) {
      return new Promise<void>((resolve, reject) => {
        if (!port || !port.isOpen) {
          reject(new PortError(`serial port ${o.path} closed unexpectedly (device unplugged or link gone)`));
          return;
        }
        port.write(`${line}\n`, "latin1", (err) => {
          if (err) reject(new PortError(`serial port ${o.path}: write failed (${err.message}); device unplugged or link gone?`));
          else resolve();
        });
      });
    },

    close() {
      closing = true;
      if (watchdog) clearInterval(watchdog);
      return new Promise<void>((resolve) => {
        if (!port || !port.isOpen) {
          resolve();
          return;
        }
        port.close(() => resolve());
      });
    },
  };
}
