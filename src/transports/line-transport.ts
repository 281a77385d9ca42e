/**
 * The Transport extension point for line-oriented links: a serial port, an
 * in-memory pair (unit tests, in-process emulation). Implementations deliver every
 * received line (terminator stripped) and report an unexpected close (unplugged
 * port) — they know nothing of checksums or the protocol.
 *
 *   const t = createSerialLineTransport({ path: "/dev/ttyUSB0", baudRate: 115200 });
 *   t.onLine((line) => …); t.onClose((err) => …);
 *   await t.open(); await t.writeLine("1 HELLO*53");
 */

export interface LineTransport {
  /** Human-readable link name for messages, e.g. "/dev/ttyUSB0". */
  readonly label: string;
  open(): Promise<void>;
  /** Send one line; the transport appends the `\n` terminator. */
  writeLine(line: string): Promise<void>;
  /** Every received line, terminator (`\n`, `\r\n`) stripped. */
  onLine(listener: (line: string) => void): void;
  /** A received line that could not be delivered (longer than the line limit). */
  onBadLine(listener: (reason: string) => void): void;
  /** The link went away without `close()` being called (unplugged, I/O error). */
  onClose(listener: (err: Error) => void): void;
  close(): Promise<void>;
}
