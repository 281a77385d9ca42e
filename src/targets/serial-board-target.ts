/**
 * The `serial` target: an FPGA test board speaking PROTOCOL.md v1 over a line
 * transport (a serial port in production, an in-memory pair in unit tests).
 *
 *   const t = createSerialBoardTarget({ transport: createSerialLineTransport({ path: "/dev/ttyUSB0" }) });
 *   await t.open();                         // HELLO: proto=1 checked, inputs/outputs/tick reported
 *   await t.setTiming(1000, 9000);          // TIMING: the board's rounded values come back
 *   await t.apply({ events, windows: 3 });  // RESET, STIM chunk(s), FIRE → spikes
 *
 * Every vector starts with RESET (neurons at rest, buffer empty). A lost or corrupt
 * reply to STIM or FIRE, a wrong `count`, or ERR INTERNAL makes the target RESET and
 * replay the vector from its first STIM; other resends happen in CommandSession.
 */
import { ProtocolError, ReplyTimeoutError } from "../transports/bench-error.ts";
import { formatEventList, parseEventList } from "../transports/board-message.ts";
import { BoardInternalError, CommandSession, ReplyLostError, type CommandSessionOptions } from "../transports/command-session.ts";
import { maxLineBytes } from "../transports/line-framing.ts";
import type { LineTransport } from "../transports/line-transport.ts";
import type { Target, TargetInfo, TargetResponse, TargetStimulus } from "./target.ts";

/** The protocol version this host speaks. */
export const hostProtocolVersion = 1;

export interface SerialBoardTargetOptions extends CommandSessionOptions {
  transport: LineTransport;
  /** RESET + replay attempts per vector before giving up. */
  maxReplays?: number;
  /** Line limit used to cut STIM chunks, bytes (default: the protocol's 65,536). */
  maxLineBytes?: number;
}

/** The board's STIM count disagrees with what we sent. */
class CountMismatchError extends ReplyLostError {}

/** Split events into STIM `ev=` lists whose command line stays within the line limit. */
export function stimChunks(events: readonly { input: number; timePs: number }[], limitBytes = maxLineBytes): { index: number; timePs: number }[][] {
  const room = limitBytes - "65535 STIM ev=".length - 3; // worst-case tag, "*hh"
  const chunks: { index: number; timePs: number }[][] = [];
  let cur: { index: number; timePs: number }[] = [];
  let len = 0;
  for (const e of events) {
    const item = `${e.input}@${e.timePs}`;
    const add = (cur.length ? 1 : 0) + item.length;
    if (item.length > room) throw new RangeError(`event ${item} does not fit a ${limitBytes}-byte line`);
    if (len + add > room) {
      chunks.push(cur);
      cur = [];
      len = 0;
    }
    len += (cur.length ? 1 : 0) + item.length;
    cur.push({ index: e.input, timePs: e.timePs });
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

/** A non-negative integer field of a reply, at least `min`; digits past 2⁵³ would be silently rounded, so they are refused. */
function intField(fields: Record<string, string>, key: string, what: string, where: string, min = 0): number {
  const v = fields[key];
  if (v === undefined || !/^\d+$/.test(v)) {
    throw new ProtocolError(`${where}: the ${what} reply has ${v === undefined ? `no ${key}=` : `${key}=${v.slice(0, 40)}, not a non-negative integer`} (PROTOCOL.md "Verbs")`);
  }
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new ProtocolError(`${where}: the ${what} reply has ${key}=${v.slice(0, 40)}, beyond any value a board can mean (at most ${Number.MAX_SAFE_INTEGER})`);
  if (n < min) throw new ProtocolError(`${where}: the ${what} reply has ${key}=${v}; PROTOCOL.md requires at least ${min}`);
  return n;
}

export function createSerialBoardTarget(o: SerialBoardTargetOptions): Target {
  const session = new CommandSession(o.transport, o);
  const label = o.transport.label;
  const maxReplays = o.maxReplays ?? 5;
  let info: TargetInfo | null = null;
  let timing = { iwPs: 0, lwPs: 0 };

  async function once(stim: TargetStimulus): Promise<{ output: number; timePs: number }[]> {
    await session.exchange("RESET", {}, { idempotent: true });
    let sent = 0;
    for (const chunk of stimChunks(stim.events, o.maxLineBytes)) {
      const f = await session.exchange("STIM", { ev: formatEventList(chunk) }, { idempotent: false });
      sent += chunk.length;
      const count = intField(f, "count", "STIM", label);
      if (count !== sent) throw new CountMismatchError(`${label}: STIM reply says count=${count}, but ${sent} events were sent for this vector`);
    }
    const durationPs = stim.windows * (timing.iwPs + timing.lwPs);
    const f = await session.exchange("FIRE", { windows: stim.windows }, { idempotent: false, extraTimeoutMs: Math.ceil(durationPs / 1e9) });
    const list = f.out === undefined ? null : parseEventList(f.out);
    if (list === null) {
      throw new ProtocolError(`${label}: the FIRE reply has ${f.out === undefined ? "no out=" : `out=${f.out.slice(0, 60)}`}, expected out=<output>@<ps>,… (PROTOCOL.md "Verbs")`);
    }
    for (const s of list) {
      if (info && s.index >= info.outputs) throw new ProtocolError(`${label}: the FIRE reply names output ${s.index}, but the board has ${info.outputs} outputs (HELLO)`);
      if (s.timePs > durationPs) throw new ProtocolError(`${label}: the FIRE reply has a spike at ${s.timePs} ps, after the end of the run (${durationPs} ps)`);
    }
    return list.map((s) => ({ output: s.index, timePs: s.timePs })).sort((a, b) => a.timePs - b.timePs || a.output - b.output);
  }

  return {
    async open() {
      await o.transport.open();
      const f = await session.exchange("HELLO", {}, { idempotent: true });
      const where = `${label}: HELLO reply`;
      if (f.proto === undefined) throw new ProtocolError(`${where} has no proto= field; is this an snn bench board (PROTOCOL.md v${hostProtocolVersion})?`);
      if (f.proto !== String(hostProtocolVersion)) {
        throw new ProtocolError(
          `${where}: the board speaks protocol version ${f.proto} (proto=${f.proto}), this host speaks version ${hostProtocolVersion}; update the host tool or the board firmware`,
        );
      }
      for (const k of ["board", "fw"]) if (!f[k]) throw new ProtocolError(`${where} has no ${k}= field (PROTOCOL.md "Verbs")`);
      info = {
        kind: "serial",
        identity: f.board,
        firmware: f.fw,
        inputs: intField(f, "inputs", "HELLO", label, 1),
        outputs: intField(f, "outputs", "HELLO", label, 1),
        tickPs: intField(f, "tick_ps", "HELLO", label, 1),
      };
      return info;
    },

    async setTiming(iwPs, lwPs) {
      const f = await session.exchange("TIMING", { iw_ps: iwPs, lw_ps: lwPs }, { idempotent: true });
      timing = { iwPs: intField(f, "iw_ps", "TIMING", label), lwPs: intField(f, "lw_ps", "TIMING", label) };
      if (timing.iwPs === 0 || timing.lwPs === 0) throw new ProtocolError(`${label}: the TIMING reply has a zero window (iw_ps=${timing.iwPs} lw_ps=${timing.lwPs})`);
      return timing;
    },

    async writeRow(layer, row, bits) {
      await session.exchange("WRITE", { layer, row, bits }, { idempotent: true });
    },

    async readRow(layer, row) {
      const f = await session.exchange("READ", { layer, row }, { idempotent: true });
      if (!f.bits || !/^[01]+$/.test(f.bits)) throw new ProtocolError(`${label}: the READ reply has ${f.bits ? `bits=${f.bits.slice(0, 40)}` : "no bits="}, expected a 0/1 string`);
      return f.bits;
    },

    async apply(stim): Promise<TargetResponse> {
      const r0 = session.retries;
      for (let attempt = 1; ; attempt++) {
        try {
          const spikes = await once(stim);
          return { spikes, retries: session.retries - r0, ...session.drainLogs() };
        } catch (err) {
          const replayable = err instanceof ReplyLostError || err instanceof BoardInternalError;
          if (!replayable) throw err;
          if (attempt > maxReplays) {
            if (err instanceof CountMismatchError) throw new ProtocolError(`${err.message} (still wrong after ${maxReplays} RESET + replays)`);
            throw new ReplyTimeoutError(`${(err as Error).message}; vector given up after ${maxReplays} RESET + replays`);
          }
          session.retries++;
        }
      }
    },

    async close() {
      await o.transport.close();
    },
  };
}
