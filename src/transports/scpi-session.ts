/**
 * An SCPI session over a line transport: commands are plain lines (no checksums, no
 * tags), queries get exactly one reply line, and nothing tells the host an instrument
 * is gone except silence — so every query has a timeout. Several instruments can share
 * one port through a GPIB adapter (Prologix style): `select(address)` sends the
 * addressing line when the target instrument changes, and `readAfterQuery` (e.g.
 * `++read eoi`) asks the adapter to fetch a reply.
 *
 *   const s = new ScpiSession({ transport, writeTerminator: "\n", replyTimeoutMs: 2000,
 *                               addressing: { init: ["++auto 0"], select: "++addr {address}", readAfterQuery: "++read eoi" } });
 *   await s.open(); await s.select(10); await s.write(":OUTP1 ON");
 *   const idn = await s.query("*IDN?");
 */
import { LogKeeper } from "./log-keeper.ts";
import { PortError, ReplyTimeoutError } from "./bench-error.ts";
import type { LineTransport } from "./line-transport.ts";

export interface ScpiSessionOptions {
  transport: LineTransport;
  /** Line end the host writes; the transport appends `\n`, so `\r\n` adds a `\r`. */
  writeTerminator: "\n" | "\r\n";
  /** Default time allowed for a reply, ms. */
  replyTimeoutMs: number;
  /** GPIB-to-serial adapter in front of several instruments. */
  addressing?: { init: readonly string[]; select: string; readAfterQuery?: string };
}

export interface QueryOptions {
  /** Overrides the default reply timeout (an *OPC? that waits for an acquisition). */
  timeoutMs?: number;
  /** Who is asked, for messages ("instrument pg1 (GPIB 10)"). */
  who?: string;
}

export class ScpiSession {
  /** Lines that arrived when no query was waiting (kept, bounded, for the datalog). */
  readonly unsolicited = new LogKeeper();
  private waiting: { resolve: (line: string) => void; reject: (err: Error) => void } | null = null;
  private gone: Error | null = null;
  private address: number | null = null;
  private readonly o: ScpiSessionOptions;

  constructor(o: ScpiSessionOptions) {
    this.o = o;
    o.transport.onLine((line) => {
      const w = this.waiting;
      if (w) {
        this.waiting = null;
        w.resolve(line);
      } else this.unsolicited.push(line);
    });
    o.transport.onBadLine((reason) => this.unsolicited.push(`(unreadable line: ${reason})`));
    o.transport.onClose((err) => {
      this.gone = err;
      const w = this.waiting;
      this.waiting = null;
      w?.reject(err);
    });
  }

  /** Link name for messages. */
  get label(): string {
    return this.o.transport.label;
  }

  async open(): Promise<void> {
    await this.o.transport.open();
    for (const line of this.o.addressing?.init ?? []) await this.send(line);
  }

  /** Address an instrument (no-op without an adapter or when already addressed). */
  async select(address: number | undefined): Promise<void> {
    const a = this.o.addressing;
    if (!a || address === undefined || address === this.address) return;
    await this.send(a.select.replaceAll("{address}", String(address)));
    this.address = address;
  }

  /** Send a command that has no reply. */
  async write(line: string): Promise<void> {
    await this.send(line);
  }

  /** Send a query and wait for its one reply line. */
  async query(line: string, q: QueryOptions = {}): Promise<string> {
    if (this.gone) throw this.gone;
    const timeoutMs = q.timeoutMs ?? this.o.replyTimeoutMs;
    const reply = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new ReplyTimeoutError(`${this.label}: no reply from ${q.who ?? "the instrument"} to ${JSON.stringify(line)} within ${timeoutMs} ms (check the address, cable and terminators)`));
      }, timeoutMs);
      this.waiting = {
        resolve: (l) => {
          clearTimeout(timer);
          resolve(l);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
    try {
      await this.send(line);
      if (this.o.addressing?.readAfterQuery) await this.send(this.o.addressing.readAfterQuery);
    } catch (err) {
      const w = this.waiting;
      this.waiting = null;
      w?.reject(err as Error);
    }
    return reply;
  }

  async close(): Promise<void> {
    await this.o.transport.close();
  }

  private async send(line: string): Promise<void> {
    if (this.gone) throw this.gone;
    try {
      await this.o.transport.writeLine(this.o.writeTerminator === "\r\n" ? `${line}\r` : line);
    } catch (err) {
      throw err instanceof PortError ? err : new PortError(`${this.label}: cannot send ${JSON.stringify(line)}: ${(err as Error).message}`);
    }
  }
}
