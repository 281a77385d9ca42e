/**
 * The board emulator: the board side of PROTOCOL.md v1 in front of the simulated chip
 * (simulated-chip.ts), optionally with a fault's perturbations applied and seeded link
 * noise. This file is only the protocol: parsing, argument checks, error codes, noise. `handleLine`
 * is a pure protocol step (one received line → the lines to send back);
 * `serveBoardEmulator` runs it on a LineTransport, one command at a time, in order.
 *
 *   const emu = createBoardEmulator({ bench });
 *   emu.handleLine("1 HELLO*53")
 *     → [{ line: "1 OK proto=1 board=snnb-emu-black-pixel-4x1 fw=… inputs=4 outputs=1 tick_ps=10*hh", delayMs: 0 }]
 *
 * Spike times are the chip's (at the tick). Stochastic neurons draw a new stream per
 * FIRE (salt = FIRE count).
 */
import { SnnAtpgError } from "../formats/errors.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { Perturbation } from "../sim/perturbation.ts";
import { StimulusError } from "../sim/stimulus.ts";
import { formatErr, formatEventList, formatLog, formatOk, parseCommand, parseEventList, type BoardCommand } from "../transports/board-message.ts";
import { frameLine, unframeLine } from "../transports/line-framing.ts";
import type { LineTransport } from "../transports/line-transport.ts";
import { createBoardNoise, type BoardNoiseOptions } from "./board-noise.ts";
import { ChipAddressError, createSimulatedChip, type StorageFault } from "./simulated-chip.ts";
import type { CellWriteRule } from "../sim/ternary-array.ts";
import { ChipUnsupportedError } from "./ternary-simulated-chip.ts";

export interface BoardEmulatorOptions {
  bench: Testbench;
  /** Perturbations of an injected fault (applied after any WRITE). */
  perturbations?: readonly Perturbation[];
  /** A storage fault's cell and behaviour (simulated-chip.ts). */
  storage?: StorageFault;
  /** An injected ternary-array fault's cell-write rule (a bench with `ternaryArray`). */
  cellWriteRule?: CellWriteRule;
  /** Clock, ms (tests): the chip ages by the real time between commands, as a physical one would. */
  nowMs?: () => number;
  /** `board=` of the HELLO reply. */
  boardId?: string;
  /** `fw=` of the HELLO reply. */
  firmware?: string;
  /** `proto=` of the HELLO reply; anything but 1 only to test a host's version check. */
  protocolVersion?: number;
  /** Verbs whose OK replies get a malformed payload (to test a host's error path). */
  garble?: readonly string[];
  /** Seeded link noise; absent = a perfect link. */
  noise?: BoardNoiseOptions;
}

/** One line to send, after waiting `delayMs`. */
export interface EmulatorReply {
  line: string;
  delayMs: number;
}

export interface BoardEmulator {
  readonly inputs: number;
  readonly outputs: number;
  readonly tickPs: number;
  /** FIRE commands executed so far. */
  readonly fires: number;
  /** Disturbances the noise model applied so far, by kind (and `log` lines inserted). */
  readonly noiseCounts: Readonly<Record<"corrupt" | "drop" | "delay" | "busy" | "log", number>>;
  /** Handle one received line (terminator stripped); returns what to send back, in order. */
  handleLine(raw: string): EmulatorReply[];
  /** Handle a line the transport rejected (over the line limit). */
  handleBadLine(reason: string): EmulatorReply[];
}

const maxWindows = 100_000;
const maxWindowPs = 1_000_000_000;

/** A command the emulated board answers with `ERR <code>` (caught in `handleLine`). */
class CommandRefused extends SnnAtpgError {
  constructor(
    readonly code: "SYNTAX" | "RANGE" | "UNKNOWN" | "UNSUPPORTED",
    message: string,
  ) {
    super(message);
  }
}

function intArg(c: BoardCommand, key: string): number {
  const v = c.args[key];
  if (v === undefined) throw new CommandRefused("SYNTAX", `missing ${key}=`);
  if (!/^\d+$/.test(v)) throw new CommandRefused("SYNTAX", `${key}=${v.slice(0, 20)} is not a non-negative integer`);
  return Number(v);
}

function onlyKeys(c: BoardCommand, keys: string[]): void {
  for (const k of Object.keys(c.args)) if (!keys.includes(k)) throw new CommandRefused("SYNTAX", `unknown key ${k}`);
}

export function createBoardEmulator(o: BoardEmulatorOptions): BoardEmulator {
  const chip = createSimulatedChip({ bench: o.bench, perturbations: o.perturbations, storage: o.storage, cellWriteRule: o.cellWriteRule });
  const nowMs = o.nowMs ?? (() => performance.now());
  let lastMs = nowMs();
  const { inputs, outputs, tickPs } = chip.info;
  const noise = o.noise && o.noise.rate > 0 ? createBoardNoise(o.noise) : null;
  const garble = new Set(o.garble ?? []);
  let buffer: { input: number; timePs: number }[] = [];
  let fires = 0;
  const noiseCounts = { corrupt: 0, drop: 0, delay: 0, busy: 0, log: 0 };
  /** A chip call whose address errors are the protocol's RANGE refusals. */
  const onChip = <T>(call: () => T): T => {
    try {
      return call();
    } catch (err) {
      if (err instanceof ChipAddressError || err instanceof StimulusError) throw new CommandRefused("RANGE", err.message);
      if (err instanceof ChipUnsupportedError) throw new CommandRefused("UNSUPPORTED", err.message);
      throw err;
    }
  };

  function execute(c: BoardCommand): Record<string, string | number> {
    // A retention pause is the host waiting between commands: the chip ages by the real time that passed.
    const t = nowMs();
    chip.age((t - lastMs) * 1e6);
    lastMs = t;
    switch (c.verb) {
      case "HELLO":
        onlyKeys(c, []);
        return { proto: o.protocolVersion ?? 1, board: o.boardId ?? `snnb-emu-${o.bench.id}`, fw: o.firmware ?? "1.0.0-emu", inputs, outputs, tick_ps: tickPs };
      case "RESET":
        onlyKeys(c, []);
        buffer = [];
        return {};
      case "TIMING": {
        onlyKeys(c, ["iw_ps", "lw_ps"]);
        const iw = intArg(c, "iw_ps");
        const lw = intArg(c, "lw_ps");
        if (iw < 1 || lw < 1 || iw > maxWindowPs || lw > maxWindowPs) throw new CommandRefused("RANGE", `windows must be 1..${maxWindowPs} ps`);
        const used = chip.setTiming(iw, lw);
        return { iw_ps: used.iwPs, lw_ps: used.lwPs };
      }
      case "WRITE":
      case "READ": {
        if (c.args.levels !== undefined) {
          throw new CommandRefused("UNSUPPORTED", `PROTOCOL.md v1 ${c.verb} carries bits only; a multi-level ${c.verb} (levels=) runs on the sim target`);
        }
        onlyKeys(c, c.verb === "WRITE" ? ["layer", "row", "bits"] : ["layer", "row"]);
        const layer = intArg(c, "layer");
        const row = intArg(c, "row");
        if (c.verb === "READ") return { bits: onChip(() => chip.readRow(layer, row)) };
        const bits = c.args.bits ?? "";
        if (!/^[01]+$/.test(bits)) throw new CommandRefused("SYNTAX", "bits= must be a 0/1 string");
        onChip(() => chip.writeRow(layer, row, bits));
        return {};
      }
      case "STIM": {
        onlyKeys(c, ["ev"]);
        const list = c.args.ev === undefined ? null : parseEventList(c.args.ev);
        if (list === null) throw new CommandRefused("SYNTAX", "ev= must be <input>@<ps>,…");
        for (const e of list) if (e.index >= inputs) throw new CommandRefused("RANGE", `input ${e.index} does not exist (0..${inputs - 1})`);
        buffer.push(...list.map((e) => ({ input: e.index, timePs: e.timePs })));
        return { count: buffer.length };
      }
      case "FIRE": {
        onlyKeys(c, ["windows"]);
        const windows = intArg(c, "windows");
        if (windows < 1 || windows > maxWindows) throw new CommandRefused("RANGE", `windows must be 1..${maxWindows}`);
        const spikes = onChip(() => chip.fire({ events: buffer, windows, salt: fires }));
        fires++;
        buffer = [];
        return { out: formatEventList(spikes.map((s) => ({ index: s.output, timePs: s.timePs }))) };
      }
      case "TEMP?":
        onlyKeys(c, []);
        return { c: "25.0" };
      default:
        throw new CommandRefused("UNKNOWN", `unknown verb ${c.verb.slice(0, 20)}`);
    }
  }

  function respond(tag: number | "?", body: () => string, verb: string | null): EmulatorReply[] {
    const out: EmulatorReply[] = [];
    const fate = noise?.next() ?? { disturbance: "none" as const, log: false };
    if (fate.log && noise) {
      noiseCounts.log++;
      out.push({ line: frameLine(formatLog(noise.logText())), delayMs: 0 });
    }
    if (fate.disturbance === "busy" && verb === null) fate.disturbance = "none";
    if (fate.disturbance !== "none") noiseCounts[fate.disturbance]++;
    if (fate.disturbance === "busy") {
      out.push({ line: frameLine(formatErr(tag, "BUSY", "running")), delayMs: 0 });
      return out;
    }
    const line = frameLine(body());
    if (fate.disturbance === "drop") return out;
    if (fate.disturbance === "corrupt" && noise) out.push({ line: noise.corrupt(line), delayMs: 0 });
    else out.push({ line, delayMs: fate.disturbance === "delay" && noise ? noise.delayMs : 0 });
    return out;
  }

  return {
    inputs,
    outputs,
    tickPs,
    get fires() {
      return fires;
    },
    noiseCounts,
    handleBadLine(reason) {
      return respond("?", () => formatErr("?", "SYNTAX", reason), null);
    },
    handleLine(raw) {
      const framed = unframeLine(raw);
      if (!framed.ok) return respond("?", () => formatErr("?", framed.reason.startsWith("line longer") ? "SYNTAX" : "CHECKSUM", framed.reason), null);
      const parsed = parseCommand(framed.body);
      if ("error" in parsed) return respond(parsed.tag, () => formatErr(parsed.tag, "SYNTAX", parsed.error), null);
      const c = parsed.command;
      return respond(
        c.tag,
        () => {
          try {
            const fields = execute(c);
            return garble.has(c.verb) ? `${c.tag} OK ${Object.keys(fields)[0] ?? "x"}:garbled` : formatOk(c.tag, fields);
          } catch (err) {
            if (err instanceof CommandRefused) return formatErr(c.tag, err.code, err.message);
            return formatErr(c.tag, "INTERNAL", (err as Error).message.slice(0, 200));
          }
        },
        c.verb,
      );
    },
  };
}

export interface ServeOptions {
  /** Send `\r\n` instead of `\n` (PROTOCOL.md allows both from the board). */
  crlf?: boolean;
  /** Called for every received and sent line (for --verbose). */
  onTraffic?: (direction: "in" | "out", line: string) => void;
  /** Hold each FIRE reply back this long, ms (a slow board; lets tests interrupt a run). */
  fireDelayMs?: number;
}

/** Run an emulator on a transport: one command at a time, replies in order. Returns a stop function. */
export function serveBoardEmulator(transport: LineTransport, emu: BoardEmulator, o: ServeOptions = {}): () => void {
  const queue: (() => EmulatorReply[])[] = [];
  let busy = false;
  let stopped = false;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const pump = async () => {
    if (busy) return;
    busy = true;
    try {
      while (queue.length && !stopped) {
        const firesBefore = emu.fires;
        const replies = queue.shift()!();
        if (o.fireDelayMs && emu.fires > firesBefore) await sleep(o.fireDelayMs);
        for (const r of replies) {
          if (r.delayMs) await sleep(r.delayMs);
          if (stopped) return;
          o.onTraffic?.("out", r.line);
          await transport.writeLine(o.crlf ? `${r.line}\r` : r.line);
        }
      }
    } catch {
      // the port went away: the caller sees onClose
    } finally {
      busy = false;
    }
  };
  transport.onLine((line) => {
    o.onTraffic?.("in", line);
    queue.push(() => emu.handleLine(line));
    void pump();
  });
  transport.onBadLine((reason) => {
    queue.push(() => emu.handleBadLine(reason));
    void pump();
  });
  return () => {
    stopped = true;
  };
}
