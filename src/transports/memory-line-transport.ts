/**
 * An in-memory LineTransport pair: what one end writes, the other receives as a line
 * on a later tick. Used to unit-test protocol logic against the board emulator without
 * a port, and to run an emulated board in-process.
 *
 *   const [host, board] = createMemoryLinePair();
 *   board.onLine((l) => …); await host.writeLine("1 HELLO*53");
 *   host.unplug();   // both ends see onClose, like a pulled USB cable
 */
import { PortError } from "./bench-error.ts";
import type { LineTransport } from "./line-transport.ts";

export interface MemoryLineEnd extends LineTransport {
  /** Simulate a pulled cable: both ends report onClose. */
  unplug(): void;
  /** Every line this end has written (for assertions). */
  readonly written: string[];
}

export function createMemoryLinePair(labels: [string, string] = ["memory:host", "memory:board"]): [MemoryLineEnd, MemoryLineEnd] {
  const make = (label: string) => ({
    label,
    lines: [] as ((l: string) => void)[],
    closes: [] as ((e: Error) => void)[],
    written: [] as string[],
    open: false,
    gone: false,
  });
  const a = make(labels[0]);
  const b = make(labels[1]);
  const unplug = () => {
    if (a.gone) return;
    a.gone = b.gone = true;
    for (const side of [a, b]) {
      const err = new PortError(`${side.label} closed unexpectedly (device unplugged or link gone)`);
      for (const l of side.closes) setImmediate(() => l(err));
    }
  };
  const end = (self: typeof a, peer: typeof a): MemoryLineEnd => ({
    label: self.label,
    written: self.written,
    onLine: (l) => self.lines.push(l),
    onBadLine: () => undefined,
    onClose: (l) => self.closes.push(l),
    open: async () => {
      if (self.gone) throw new PortError(`cannot open ${self.label}: gone`);
      self.open = true;
    },
    writeLine: async (line) => {
      if (self.gone || !self.open) throw new PortError(`${self.label} is not open (unplugged?)`);
      self.written.push(line);
      setImmediate(() => {
        const text = line.endsWith("\r") ? line.slice(0, -1) : line;
        if (!peer.gone && peer.open) for (const l of peer.lines) l(text);
      });
    },
    close: async () => {
      self.open = false;
    },
    unplug,
  });
  return [end(a, b), end(b, a)];
}
