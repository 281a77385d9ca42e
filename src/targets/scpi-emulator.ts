/**
 * SCPI instrument-set emulator: the instruments an instrument profile describes, with
 * the simulated chip (simulated-chip.ts) behind them; this file is only the instruments. It understands exactly the profile's command templates
 * (compiled to patterns), the common commands (*IDN?, *OPC?, *RST, *CLS, the error
 * query) and the profile's addressing adapter lines; anything else goes into the
 * instrument's error queue as `-113,"Undefined header"`, as a real instrument would.
 *
 * On a trigger, every armed counter gets the spike times of its output: the enabled
 * generator channels become input events (delay + k·period, k < count), the pulse
 * width is IW and the period IW + LW, and the network (with any injected fault's
 * perturbations) is fired for the counters' gate (salt = acquisition count). Counter replies follow the
 * profile's `timesReply` (leading values, unit). When the profile names an `array`
 * instrument, its writeRow / readRow templates WRITE and READ the chip's rows (a bad
 * address queues `-222`); the chip ages by the real time between commands (a retention
 * pause is the host waiting), as the board emulator's does.
 *
 *   const emu = createScpiEmulator({ bench, profile: loadInstrumentProfile(file) });
 *   emu.handleLine("*IDN?")   → ["ACME,SNN-BENCH,0001,1.0"]
 *
 * `injectError` makes one instrument report an error (e.g. `-222,"Data out of range"`)
 * whenever a command matching a pattern arrives — the way to test a host's error drain.
 */
import type { ChannelRef, LoadedInstrumentProfile } from "../formats/instrument-profile-loader.ts";
import type { InstrumentOperation, InstrumentSpec } from "../formats/instrument-profile-format.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import type { Perturbation } from "../sim/perturbation.ts";
import type { InputEvent } from "../sim/stimulus.ts";
import type { LineTransport } from "../transports/line-transport.ts";
import { ChipAddressError, createSimulatedChip, type StorageFault } from "./simulated-chip.ts";

export interface ScpiEmulatorOptions {
  bench: Testbench;
  profile: LoadedInstrumentProfile;
  /** Perturbations of an injected fault. */
  perturbations?: readonly Perturbation[];
  /** A storage fault's cell and behaviour (simulated-chip.ts). */
  storage?: StorageFault;
  /** Clock, ms (tests): the chip ages by the real time between commands. */
  nowMs?: () => number;
  /** Report `errorText` from `instrument` (default: any) after every command matching `match` (case-insensitive regex). */
  injectError?: { instrument?: string; match: string; errorText: string };
}

export interface ScpiEmulator {
  /** Handle one received line; returns the lines to send back, in order. */
  handleLine(line: string): string[];
  /** Triggers that ran an acquisition. */
  readonly acquisitions: number;
}

const intNames = new Set(["channel", "address", "count", "maxCount", "layer", "row"]);
const numberPattern = "([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)";

interface Matcher {
  op: InstrumentOperation;
  re: RegExp;
  names: string[];
}

/** Compile a template to a case-insensitive pattern with one group per placeholder. */
export function templatePattern(template: string): { re: RegExp; names: string[] } {
  const names: string[] = [];
  const parts = template.split(/(\{[^}]+\})/);
  const src = parts
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(m[1]);
      return intNames.has(m[1]) ? "[+]?(\\d+)" : m[1] === "bits" ? "([01]+)" : numberPattern;
    })
    .join("");
  return { re: new RegExp(`^${src}$`, "i"), names };
}

interface ChannelState {
  widthPs?: number;
  periodPs?: number;
  delayPs: number;
  count: number;
  on: boolean;
}

interface EmuInstrument {
  name: string;
  spec: InstrumentSpec;
  matchers: Matcher[];
  errors: string[];
  /** Replies waiting for the adapter's read line (addressing mode). */
  pending: string[];
  channels: Map<number, ChannelState>;
  counter: Map<number, { gatePs: number; maxCount: number }>;
  armed: boolean;
  measured: Map<number, number[]> | null;
}

const toPs = (s: string) => Math.round(Number(s) * 1e12);
const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function createScpiEmulator(o: ScpiEmulatorOptions): ScpiEmulator {
  const { profile: p, rows, outputs } = o.profile;
  const chip = createSimulatedChip({ bench: o.bench, perturbations: o.perturbations, storage: o.storage });
  const nowMs = o.nowMs ?? (() => performance.now());
  let lastMs = nowMs();
  const benchRows = chip.info.inputs;
  const rowOf = new Map(rows.map((r: ChannelRef, i) => [`${r.instrument}:${r.channel}`, i]));
  const outputOf = new Map(outputs.map((r: ChannelRef, i) => [`${r.instrument}:${r.channel}`, i]));
  const instruments = new Map<string, EmuInstrument>();
  for (const [name, spec] of Object.entries(p.instruments)) {
    const matchers: Matcher[] = [];
    for (const [op, t] of Object.entries(spec.commands) as [InstrumentOperation, string | string[] | undefined][]) {
      for (const line of t === undefined ? [] : Array.isArray(t) ? t : [t]) matchers.push({ op, ...templatePattern(line) });
    }
    instruments.set(name, { name, spec, matchers, errors: [], pending: [], channels: new Map(), counter: new Map(), armed: false, measured: null });
  }
  const addressing = p.connection.addressing;
  const select = addressing ? templatePattern(addressing.select) : null;
  const inject = o.injectError ? { ...o.injectError, re: new RegExp(o.injectError.match, "i") } : null;
  let current: EmuInstrument | null = addressing ? null : [...instruments.values()][0];
  let acquisitions = 0;

  const channel = (inst: EmuInstrument, ch: number): ChannelState => {
    let s = inst.channels.get(ch);
    if (!s) inst.channels.set(ch, (s = { delayPs: 0, count: 1, on: false }));
    return s;
  };

  function acquire(triggered: EmuInstrument): void {
    const armed = [...instruments.values()].filter((i) => i.armed);
    if (armed.length === 0) return;
    const enabled: { row: number; s: ChannelState }[] = [];
    for (const inst of instruments.values()) {
      for (const [ch, s] of inst.channels) {
        const row = rowOf.get(`${inst.name}:${ch}`);
        if (row !== undefined && s.on && s.count > 0) enabled.push({ row, s });
      }
    }
    const gatePs = Math.max(...armed.flatMap((i) => [...i.counter.values()].map((c) => c.gatePs)), 0);
    const widths = new Set(enabled.map((e) => e.s.widthPs));
    const periods = new Set(enabled.map((e) => e.s.periodPs));
    const results = new Map<number, number[]>();
    if (widths.size > 1 || periods.size > 1 || enabled.some((e) => e.s.widthPs === undefined || e.s.periodPs === undefined || e.s.widthPs >= e.s.periodPs)) {
      triggered.errors.push('-221,"Settings conflict; enabled channels need one pulse width below one common period"');
    } else if (gatePs <= 0) {
      triggered.errors.push('-221,"Settings conflict; counter not configured"');
    } else {
      const periodPs = enabled.length ? enabled[0].s.periodPs! : gatePs;
      const iwPs = enabled.length ? enabled[0].s.widthPs! : 1;
      const windows = Math.max(1, Math.ceil(gatePs / periodPs));
      const events: InputEvent[] = [];
      for (const e of enabled) for (let k = 0; k < e.s.count; k++) events.push({ input: e.row, timePs: e.s.delayPs + k * periodPs });
      if (events.some((e) => e.input >= benchRows || e.timePs + iwPs > windows * periodPs)) {
        triggered.errors.push('-222,"Data out of range; a pulse falls outside the chip or the acquisition"');
      } else {
        const spikes = chip.fire({ events, windows, salt: acquisitions, timing: { iwPs, lwPs: periodPs - iwPs } });
        for (const s of spikes) {
          if (s.timePs > gatePs) continue;
          const list = results.get(s.output) ?? [];
          list.push(s.timePs);
          results.set(s.output, list);
        }
      }
    }
    acquisitions++;
    for (const inst of armed) {
      inst.measured = new Map();
      for (const [ch, cfg] of inst.counter) {
        const out = outputOf.get(`${inst.name}:${ch}`);
        inst.measured.set(ch, out === undefined ? [] : (results.get(out) ?? []).slice(0, cfg.maxCount));
      }
      inst.armed = false;
    }
  }

  function measuredTimes(inst: EmuInstrument, ch: number | undefined): number[] | null {
    if (!inst.measured) return null;
    const key = ch ?? [...inst.measured.keys()][0];
    return key === undefined ? [] : (inst.measured.get(key) ?? null);
  }

  /** One command to one instrument; returns its reply, if any. */
  function command(inst: EmuInstrument, line: string): string | null {
    if (same(line, p.identityQuery)) return inst.spec.idnExample;
    if (same(line, p.opcQuery)) return inst.armed ? null : "1"; // an armed, untriggered acquisition never completes
    if (same(line, p.errorQueue.query)) return inst.errors.shift() ?? '+0,"No error"';
    if (same(line, "*RST") || same(line, "*CLS") || same(line, "*WAI")) {
      if (same(line, "*CLS")) inst.errors.length = 0;
      return null;
    }
    if (inst.spec.setup.some((s) => same(s, line))) return null;
    for (const m of inst.matchers) {
      const g = m.re.exec(line.trim());
      if (!g) continue;
      const v: Record<string, string> = {};
      m.names.forEach((n, i) => (v[n] = g[i + 1]));
      const ch = v.channel !== undefined ? Number(v.channel) : undefined;
      const range = (ps: number, [lo, hi]: [number, number]) => ps >= lo && ps <= hi;
      switch (m.op) {
        case "setPulseWidth":
          if (ch !== undefined && v.widthS !== undefined) {
            if (!range(toPs(v.widthS), p.timing.widthRangePs)) inst.errors.push('-222,"Data out of range"');
            else channel(inst, ch).widthPs = toPs(v.widthS);
          }
          return null;
        case "setPeriod":
          if (ch !== undefined && v.periodS !== undefined) {
            if (!range(toPs(v.periodS), p.timing.periodRangePs)) inst.errors.push('-222,"Data out of range"');
            else channel(inst, ch).periodPs = toPs(v.periodS);
          }
          return null;
        case "setDelay":
          if (ch !== undefined && v.delayS !== undefined) channel(inst, ch).delayPs = toPs(v.delayS);
          return null;
        case "setPulseCount":
          if (ch !== undefined && v.count !== undefined) channel(inst, ch).count = Number(v.count);
          return null;
        case "outputOn":
        case "outputOff":
          if (ch !== undefined) channel(inst, ch).on = m.op === "outputOn";
          return null;
        case "configure": {
          const c = ch ?? [...inst.counter.keys()][0] ?? outputs.find((r) => r.instrument === inst.name)?.channel;
          if (c !== undefined) {
            const prev = inst.counter.get(c) ?? { gatePs: 0, maxCount: 1 };
            inst.counter.set(c, { gatePs: v.gateS !== undefined ? toPs(v.gateS) : prev.gatePs, maxCount: v.maxCount !== undefined ? Number(v.maxCount) : prev.maxCount });
          }
          inst.measured = null;
          return null;
        }
        case "arm":
          inst.armed = true;
          inst.measured = null;
          return null;
        case "trigger":
          acquire(inst);
          return null;
        case "readTimes":
        case "readCount": {
          const times = measuredTimes(inst, ch);
          if (times === null) {
            inst.errors.push('-230,"Data corrupt or stale"');
            return null;
          }
          if (m.op === "readCount") return `+${times.length}`;
          const { skip, unitS } = inst.spec.timesReply;
          // Leading values the host skips (a prescaler, a count): the emulator writes the count.
          const lead = Array.from({ length: skip }, () => `+${times.length}`);
          return [...lead, ...times.map((ps) => `+${(ps * 1e-12 / unitS).toExponential(12)}`)].join(",");
        }
        case "writeRow":
        case "readRow": {
          if (p.array?.instrument !== inst.name) break;
          try {
            if (m.op === "readRow") return chip.readRow(Number(v.layer), Number(v.row));
            chip.writeRow(Number(v.layer), Number(v.row), v.bits ?? "");
          } catch (err) {
            if (!(err instanceof ChipAddressError)) throw err;
            inst.errors.push(`-222,"Data out of range; ${err.message.replace(/"/g, "'")}"`);
          }
          return null;
        }
        default:
          return null; // channelSetup: accepted, no effect on the emulation
      }
    }
    inst.errors.push('-113,"Undefined header"');
    return null;
  }

  return {
    get acquisitions() {
      return acquisitions;
    },
    handleLine(raw: string): string[] {
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (addressing) {
        const sel = select!.re.exec(line.trim());
        if (sel) {
          const address = Number(sel[select!.names.indexOf("address") + 1]);
          current = [...instruments.values()].find((i) => i.spec.address === address) ?? null;
          return [];
        }
        if (addressing.readAfterQuery && same(line, addressing.readAfterQuery)) {
          const reply = current?.pending.shift();
          return reply === undefined ? [] : [reply];
        }
        if (addressing.init.some((l) => same(l, line))) return [];
      }
      if (!current) return []; // nobody listens at this address
      const t = nowMs();
      chip.age((t - lastMs) * 1e6);
      lastMs = t;
      const reply = command(current, line);
      if (inject && (!inject.instrument || inject.instrument === current.name) && inject.re.test(line)) current.errors.push(inject.errorText);
      if (reply === null) return [];
      if (addressing) {
        current.pending.push(reply);
        return [];
      }
      return [reply];
    },
  };
}

/**
 * Serve an emulator on a line transport (opened here) until the link goes away or
 * `signal` aborts; then the link is closed. Resolves with the link's error, or null
 * when stopped through the signal.
 */
export async function serveScpiEmulator(
  emu: ScpiEmulator,
  transport: LineTransport,
  o: { readTerminator?: "\n" | "\r\n"; signal?: AbortSignal; onTraffic?: (direction: "in" | "out", line: string) => void; onListening?: () => void } = {},
): Promise<Error | null> {
  const ended = new Promise<Error | null>((resolve) => {
    transport.onClose((err) => resolve(err));
    if (o.signal?.aborted) resolve(null);
    o.signal?.addEventListener("abort", () => resolve(null), { once: true });
  });
  let chain = Promise.resolve();
  transport.onLine((line) => {
    o.onTraffic?.("in", line);
    chain = chain.then(async () => {
      for (const reply of emu.handleLine(line)) {
        o.onTraffic?.("out", reply);
        await transport.writeLine(o.readTerminator === "\r\n" ? `${reply}\r` : reply).catch(() => undefined);
      }
    });
  });
  await transport.open();
  // a serial port flushes what reached it before it opened (tcflush on open): a host must not talk before this
  o.onListening?.();
  const why = await ended;
  await transport.close();
  return why;
}
