/**
 * Host side of PROTOCOL.md v1 for one command at a time: tags, checksums, reply
 * timeouts (node-serialport has no read timeout, so we keep our own timer), resends
 * and `! LOG` capture. A new tag is used for every attempt, so a late reply to an
 * earlier attempt is recognised and dropped.
 *
 *   const s = new CommandSession(transport, { replyTimeoutMs: 1000 });
 *   const hello = await s.exchange("HELLO", {}, { idempotent: true });   // { proto: "1", … }
 *
 * Policy (PROTOCOL.md "Errors" and "Retries"):
 *   ERR CHECKSUM, ERR BUSY          resend (after busyWaitMs for BUSY)
 *   lost or corrupt reply           idempotent verbs: resend; STIM/FIRE: ReplyLostError (caller RESETs and replays)
 *   ERR INTERNAL                    BoardInternalError (caller RESETs and redoes the vector)
 *   ERR SYNTAX/RANGE/UNKNOWN/…      BoardRefusedError, not resent
 *   valid checksum, bad payload     ProtocolError, not resent
 *   port closed / unplugged         PortError at once
 */
import { BenchError, InterruptedError } from "../formats/errors.ts";
import { BoardRefusedError, PortError, ProtocolError, ReplyTimeoutError } from "./bench-error.ts";
import { formatCommand, parseBoardLine, type BoardLine } from "./board-message.ts";
import { frameLine, quoteLine, unframeLine } from "./line-framing.ts";
import { LogKeeper } from "./log-keeper.ts";
import type { LineTransport } from "./line-transport.ts";

export interface CommandSessionOptions {
  /** How long to wait for a reply, ms (PROTOCOL.md: the board answers within 1 s). */
  replyTimeoutMs?: number;
  /** Attempts per idempotent command before giving up (first try included). */
  maxAttempts?: number;
  /** Pause before resending after ERR BUSY, ms. */
  busyWaitMs?: number;
  /** Raised on Ctrl-C: a pending wait ends with InterruptedError. */
  signal?: AbortSignal;
}

export interface ExchangeOptions {
  /** HELLO, RESET, TIMING, WRITE, READ, TEMP? may simply be resent; STIM and FIRE may not. */
  idempotent: boolean;
  /** Extra time on top of the reply timeout (FIRE: the stimulus duration), ms. */
  extraTimeoutMs?: number;
}

/** The reply to a STIM or FIRE was lost or corrupt: RESET and replay the vector. */
export class ReplyLostError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "ReplyLostError";
  }
}

/** The board answered ERR INTERNAL: reset it and redo the vector. */
export class BoardInternalError extends BenchError {
  constructor(message: string) {
    super(message);
    this.name = "BoardInternalError";
  }
}

type Outcome =
  | { kind: "reply"; line: Extract<BoardLine, { kind: "reply" }>; raw: string }
  | { kind: "corrupt"; reason: string; raw: string }
  | { kind: "timeout" }
  | { kind: "closed"; err: Error }
  | { kind: "aborted" };

export class CommandSession {
  /** Resends and replays since the session started. */
  retries = 0;
  /** Late replies to earlier attempts that were dropped. */
  staleReplies = 0;
  private logs = new LogKeeper();
  /** Starts at a random tag so replies left over from an earlier session on the same link cannot match. */
  private nextTag = 1 + Math.floor(Math.random() * 60000);
  private waiter: { tag: number; done: (o: Outcome) => void } | null = null;
  private closedErr: Error | null = null;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly busyWaitMs: number;

  constructor(
    private readonly transport: LineTransport,
    private readonly o: CommandSessionOptions = {},
  ) {
    this.timeoutMs = o.replyTimeoutMs ?? 1000;
    this.maxAttempts = o.maxAttempts ?? 6;
    this.busyWaitMs = o.busyWaitMs ?? 20;
    transport.onLine((raw) => this.receive(raw));
    transport.onBadLine((reason) => this.waiter?.done({ kind: "corrupt", reason, raw: "" }));
    transport.onClose((err) => {
      this.closedErr = err;
      this.waiter?.done({ kind: "closed", err });
    });
  }

  get label(): string {
    return this.transport.label;
  }

  /** Take the `! LOG` texts received since the last call (bounded: see LogKeeper). */
  drainLogs(): { logs: string[]; logsOmitted: number } {
    return this.logs.drain();
  }

  private receive(raw: string): void {
    const framed = unframeLine(raw);
    if (!framed.ok) {
      // A damaged log line is not a reply; a damaged line with another tag is a late reply.
      if (raw.startsWith("! ")) {
        this.logs.push(`(corrupt log line: ${framed.reason}) ${raw.slice(0, 200)}`);
        return;
      }
      const tag = /^(\d+) /.exec(raw);
      if (tag && this.waiter && Number(tag[1]) !== this.waiter.tag) {
        this.staleReplies++;
        return;
      }
      this.waiter?.done({ kind: "corrupt", reason: framed.reason, raw });
      return;
    }
    const line = parseBoardLine(framed.body);
    if (line?.kind === "log") {
      this.logs.push(line.text);
      return;
    }
    if (!this.waiter) {
      this.staleReplies++;
      return;
    }
    if (line === null) {
      const tag = /^(\d+) /.exec(framed.body);
      if (tag && Number(tag[1]) !== this.waiter.tag) {
        this.staleReplies++;
        return;
      }
      this.waiter.done({ kind: "corrupt", reason: "malformed", raw });
      return;
    }
    if (line.tag !== "?" && line.tag !== this.waiter.tag) {
      this.staleReplies++;
      return;
    }
    this.waiter.done({ kind: "reply", line, raw });
  }

  private wait(tag: number, timeoutMs: number): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      const signal = this.o.signal;
      const finish = (o: Outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.waiter = null;
        resolve(o);
      };
      const onAbort = () => finish({ kind: "aborted" });
      const timer = setTimeout(() => finish({ kind: "timeout" }), timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiter = { tag, done: finish };
      if (signal?.aborted) finish({ kind: "aborted" });
    });
  }

  private takeTag(): number {
    const t = this.nextTag;
    this.nextTag = (this.nextTag + 1) % 65536;
    return t;
  }

  /**
   * Send a command and return the fields of its OK reply. Resends as the policy says;
   * throws a BenchError subclass otherwise.
   */
  async exchange(verb: string, args: Record<string, string | number>, opts: ExchangeOptions): Promise<Record<string, string>> {
    const timeoutMs = this.timeoutMs + (opts.extraTimeoutMs ?? 0);
    let last = "";
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (this.closedErr) throw this.closedErr;
      if (this.o.signal?.aborted) throw new InterruptedError();
      if (attempt > 1) this.retries++;
      const tag = this.takeTag();
      const body = formatCommand(tag, verb, args);
      const shown = quoteLine(body, 60);
      const pending = this.wait(tag, timeoutMs);
      try {
        await this.transport.writeLine(frameLine(body));
      } catch (err) {
        this.waiter?.done({ kind: "closed", err: err as Error });
        await pending;
        throw err instanceof BenchError ? err : new PortError(`${this.label}: ${(err as Error).message}`);
      }
      const out = await pending;
      switch (out.kind) {
        case "closed":
          throw out.err instanceof BenchError ? out.err : new PortError(`${this.label}: ${out.err.message}`);
        case "aborted":
          throw new InterruptedError();
        case "timeout":
          last = `no reply within ${timeoutMs} ms`;
          break;
        case "corrupt":
          if (out.reason === "malformed") {
            throw new ProtocolError(`${this.label}: malformed reply ${quoteLine(out.raw)} to ${shown}: not "<tag> OK key=value …" nor "<tag> ERR <CODE> text" (PROTOCOL.md "Messages")`);
          }
          last = `corrupt reply (${out.reason}) ${quoteLine(out.raw, 40)}`;
          break;
        case "reply": {
          const r = out.line;
          if (r.ok) {
            if (r.tag === "?") throw new ProtocolError(`${this.label}: reply ${quoteLine(out.raw)} to ${shown} is OK but has no tag ("?" is for errors only)`);
            return r.fields;
          }
          if (r.code === "CHECKSUM") {
            last = `board answered ERR CHECKSUM (our command arrived corrupt)`;
            continue;
          }
          if (r.code === "BUSY") {
            last = "board answered ERR BUSY";
            await new Promise((res) => setTimeout(res, this.busyWaitMs));
            continue;
          }
          if (r.code === "INTERNAL") throw new BoardInternalError(`${this.label}: board reported ERR INTERNAL ${r.text} to ${shown}`);
          const why: Record<string, string> = {
            SYNTAX: "the board could not parse our command — a host/board protocol mismatch; not resent",
            RANGE: "a value is out of the board's range; not resent",
            UNKNOWN: "the board does not know this verb (feature missing on this board)",
            UNSUPPORTED: "the board does not implement this verb (feature missing on this board)",
          };
          if (why[r.code]) throw new BoardRefusedError(r.code, `${this.label}: board refused ${shown} with ERR ${r.code} "${r.text}": ${why[r.code]}`);
          throw new ProtocolError(`${this.label}: reply ${quoteLine(out.raw)} to ${shown} has an unknown error code ${r.code} (PROTOCOL.md "Errors")`);
        }
      }
      if (!opts.idempotent) throw new ReplyLostError(`${this.label}: ${last} to ${shown}`);
    }
    const silent = last.startsWith("no reply");
    throw new ReplyTimeoutError(
      `${this.label}: ${silent ? "board stopped answering" : "no usable reply"}: ${verb} failed ${this.maxAttempts} times (last: ${last}); ` +
        (silent ? "is the board powered, the cable plugged in and the baud rate right?" : "the link is too noisy or the board misbehaves"),
    );
  }
}
