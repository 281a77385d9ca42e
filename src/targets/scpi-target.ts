/**
 * The `scpi` target: lab instruments in place of a test board, driven by an instrument
 * profile (instruments/*.json). Pulse generator channels drive the input rows (one
 * burst of write pulses per row and vector: delay, count, width = IW, period = IW + LW);
 * counter channels time-stamp the output spikes. Everything instrument-specific is a
 * command template in the profile; this file only sequences abstract operations:
 *
 *   open       *IDN? check of every instrument, setup lines, per-channel setup
 *   setTiming  pulse width and period on every used row channel
 *   apply      per row: delay, pulse count, output on/off (only what changed)
 *              → counters: configure (gate = run length), arm → trigger → *OPC? (acquisition
 *              done) → read times (and count, when the profile can, as a cross-check)
 *   writeRow   (profiles with an `array` instrument) its writeRow lines, *OPC?, error drain
 *   readRow    its readRow query; the reply must be a 0/1 string
 * A profile without `array` gives a target with no writeRow / readRow, so the executor
 * refuses a program with WRITE/READ steps before its first step.
 *
 * After every configuration step each instrument touched gets an `*OPC?` barrier and its
 * error queue (`SYST:ERR?`) is drained, at most `errorQueue.maxReads` times; any error
 * stops the run with the instrument's own text as an `InstrumentError` (exit 3).
 *
 *   const target = createScpiTarget({ profile: loadInstrumentProfile(file), transport, inputs: 4, outputs: 1 });
 *   await target.open(); await target.setTiming(1000, 9000);
 *   await target.apply({ events: [{ input: 0, timePs: 0 }, …], windows: 3 });
 *
 * A stimulus whose row events are not one evenly spaced burst at the window period
 * (a row that skips a window and resumes) cannot be expressed (scpi-stimulus.ts);
 * `checkProgram` refuses a program with such a step, or timing outside the profile's
 * ranges, before the first step (scpi-compatibility.ts: exit 2 naming step and field).
 */
import type { ChannelRef, LoadedInstrumentProfile } from "../formats/instrument-profile-loader.ts";
import type { InstrumentOperation, InstrumentSpec } from "../formats/instrument-profile-format.ts";
import { BenchError } from "../formats/errors.ts";
import { BenchSetupError, ProtocolError } from "../transports/bench-error.ts";
import type { LineTransport } from "../transports/line-transport.ts";
import { ScpiSession } from "../transports/scpi-session.ts";
import type { Target, TargetInfo, TargetResponse, TargetStimulus } from "./target.ts";
import { planBursts, scpiWindowTiming } from "./scpi-stimulus.ts";
import { checkScpiCompatibility } from "./scpi-compatibility.ts";

export { planBursts, scpiWindowTiming, ScpiStimulusError } from "./scpi-stimulus.ts";

export interface ScpiTargetOptions {
  profile: LoadedInstrumentProfile;
  /** The link (serial port, or an in-memory pair in tests). */
  transport: LineTransport;
  /** Use the first N rows of the profile (the program's testbench inputs); default all. */
  inputs?: number;
  /** Use the first M outputs of the profile; default all. */
  outputs?: number;
}

/** An instrument reported an error in its error queue: the run stops (exit 3). */
export class InstrumentError extends BenchError {
  readonly instrument: string;
  /** The instrument's error text, e.g. `-222,"Data out of range"`. */
  readonly errorText: string;
  constructor(instrument: string, errorText: string, message: string) {
    super(message);
    this.name = "InstrumentError";
    this.instrument = instrument;
    this.errorText = errorText;
  }
}

/** Seconds as an exact SCPI number: 1000 ps → "1000E-12". */
export function scpiSeconds(ps: number): string {
  return `${Math.round(ps)}E-12`;
}

/** Fill a template's placeholders. */
export function fillTemplate(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{([^}]+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

const asLines = (t: string | string[] | undefined): string[] => (t === undefined ? [] : Array.isArray(t) ? t : [t]);

interface ChannelState {
  widthPs?: number;
  periodPs?: number;
  delayPs?: number;
  count?: number;
  on?: boolean;
}

export function createScpiTarget(o: ScpiTargetOptions): Target {
  const { profile: p } = o.profile;
  const conn = p.connection;
  const session = new ScpiSession({ transport: o.transport, writeTerminator: conn.writeTerminator, replyTimeoutMs: conn.replyTimeoutMs, addressing: conn.addressing });
  const noError = new RegExp(p.errorQueue.noErrorPattern);
  const rowRefs: ChannelRef[] = o.profile.rows.slice(0, o.inputs ?? o.profile.rows.length);
  const outRefs: ChannelRef[] = o.profile.outputs.slice(0, o.outputs ?? o.profile.outputs.length);
  const state = new Map<string, ChannelState>();
  const counterState = new Map<string, { gatePs?: number; maxCount?: number }>();
  /** Commands sent to each instrument since its error queue was last found empty. */
  const sinceCheck = new Map<string, string[]>();
  let timing: { iwPs: number; lwPs: number } | null = null;

  const inst = (name: string): InstrumentSpec => p.instruments[name];
  const who = (name: string) => `instrument ${name}${inst(name).address !== undefined ? ` (GPIB ${inst(name).address})` : ""}`;
  const key = (r: ChannelRef) => `${r.instrument}:${r.channel}`;
  const chan = (r: ChannelRef) => {
    let s = state.get(key(r));
    if (!s) state.set(key(r), (s = {}));
    return s;
  };
  const uniq = (names: string[]) => [...new Set(names)];

  async function write(name: string, line: string): Promise<void> {
    await session.select(inst(name).address);
    const list = sinceCheck.get(name) ?? [];
    list.push(line);
    sinceCheck.set(name, list);
    await session.write(line);
  }
  async function query(name: string, line: string, timeoutMs?: number): Promise<string> {
    await session.select(inst(name).address);
    return (await session.query(line, { timeoutMs, who: who(name) })).trim();
  }
  async function op(name: string, operation: InstrumentOperation, vars: Record<string, string | number> = {}): Promise<void> {
    for (const t of asLines(inst(name).commands[operation])) await write(name, fillTemplate(t, vars));
  }
  async function barrier(names: string[], timeoutMs?: number): Promise<void> {
    for (const n of names) {
      const r = await query(n, p.opcQuery, timeoutMs);
      if (!/^[+]?1$/.test(r)) throw new ProtocolError(`${session.label}: ${who(n)} answered ${JSON.stringify(r)} to ${p.opcQuery}; expected 1`);
    }
  }
  /** Drain every instrument's error queue; the first error found stops the run. */
  async function drain(names: string[], step: string): Promise<void> {
    for (const n of names) {
      const errors: string[] = [];
      let empty = false;
      for (let i = 0; i < p.errorQueue.maxReads && !empty; i++) {
        const r = await query(n, p.errorQueue.query);
        if (noError.test(r)) empty = true;
        else errors.push(r);
      }
      const sent = sinceCheck.get(n) ?? [];
      sinceCheck.set(n, []);
      if (errors.length) {
        const more = errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1).join("; ")})` : "";
        const shown = sent.slice(-6).map((c) => JSON.stringify(c)).join(", ");
        const context = sent.length ? `; commands since its last check: ${sent.length > 6 ? "…, " : ""}${shown}` : "";
        throw new InstrumentError(
          n,
          errors[0],
          `${who(n)} reported ${errors[0]} during ${step}${more}${context}${empty ? "" : `; its error queue was still not empty after ${p.errorQueue.maxReads} reads`}`,
        );
      }
    }
  }
  const generatorNames = () => uniq(rowRefs.map((r) => r.instrument));
  const counterNames = () => uniq(outRefs.map((r) => r.instrument));
  const triggerNames = () => Object.keys(p.instruments).filter((n) => inst(n).commands.trigger !== undefined);
  const arrayName = p.array?.instrument;
  const arrayOps: Pick<Target, "writeRow" | "readRow"> = arrayName
    ? {
        async writeRow(layer: number, row: number, bits: string) {
          await op(arrayName, "writeRow", { layer, row, bits });
          await barrier([arrayName]);
          await drain([arrayName], `WRITE of layer ${layer} row ${row}`);
        },
        async readRow(layer: number, row: number) {
          const bits = await query(arrayName, fillTemplate(inst(arrayName).commands.readRow!, { layer, row }));
          if (!/^[01]+$/.test(bits)) {
            await drain([arrayName], `READ of layer ${layer} row ${row}`);
            throw new ProtocolError(`${session.label}: ${who(arrayName)} answered ${JSON.stringify(bits.slice(0, 80))} to the READ of layer ${layer} row ${row}; expected the row's bits, one 0/1 per column`);
          }
          return bits;
        },
      }
    : {};

  function parseTimes(name: string, reply: string, channel: number): number[] {
    const { skip, unitS } = inst(name).timesReply;
    const fields = reply === "" ? [] : reply.split(",").map((s) => s.trim());
    if (fields.length < skip) throw new ProtocolError(`${session.label}: ${who(name)} channel ${channel}: times reply ${JSON.stringify(reply.slice(0, 80))} has fewer than ${skip} leading value(s)`);
    return fields.slice(skip).map((f) => {
      const v = Number(f);
      if (f === "" || !Number.isFinite(v)) throw new ProtocolError(`${session.label}: ${who(name)} channel ${channel}: ${JSON.stringify(f)} in the times reply is not a number`);
      return Math.round(v * unitS * 1e12);
    });
  }

  return {
    ...arrayOps,
    checkProgram(program, programFile) {
      checkScpiCompatibility(program, programFile, o.profile, { inputs: rowRefs.length, outputs: outRefs.length });
    },
    async open(): Promise<TargetInfo> {
      if (rowRefs.length < (o.inputs ?? 0) || outRefs.length < (o.outputs ?? 0)) {
        throw new BenchSetupError(
          `${o.profile.file}: the profile maps ${o.profile.rows.length} row(s) and ${o.profile.outputs.length} output(s), ` +
            `but the program needs ${o.inputs ?? rowRefs.length} and ${o.outputs ?? outRefs.length}`,
        );
      }
      await session.open();
      const names = uniq([...generatorNames(), ...counterNames(), ...triggerNames()]);
      const identities: string[] = [];
      for (const n of names) {
        const idn = await query(n, p.identityQuery);
        if (!new RegExp(inst(n).idnPattern).test(idn)) {
          throw new BenchSetupError(`${session.label}: ${who(n)} answered ${JSON.stringify(idn)} to ${p.identityQuery}; ${o.profile.file} expects /${inst(n).idnPattern}/ — wrong instrument or address`);
        }
        identities.push(idn);
      }
      for (const n of names) for (const line of inst(n).setup) await write(n, line);
      const setupDone = new Set<string>();
      for (const r of [...rowRefs, ...outRefs]) {
        if (setupDone.has(key(r))) continue;
        setupDone.add(key(r));
        await op(r.instrument, "channelSetup", { channel: r.channel });
      }
      await barrier(names);
      await drain(names, "instrument setup");
      return { kind: "scpi", identity: `${p.id}: ${identities.join(" | ")}`, inputs: rowRefs.length, outputs: outRefs.length, tickPs: p.timing.tickPs };
    },

    async setTiming(iwPs: number, lwPs: number) {
      const { iwPs: iw, lwPs: lw, outOfRange } = scpiWindowTiming(iwPs, lwPs, p.timing);
      if (outOfRange) throw new BenchSetupError(`${o.profile.file}: ${outOfRange.text}`);
      for (const r of rowRefs) {
        const s = chan(r);
        if (s.widthPs !== iw) await op(r.instrument, "setPulseWidth", { channel: r.channel, widthS: scpiSeconds(iw) });
        if (s.periodPs !== iw + lw) await op(r.instrument, "setPeriod", { channel: r.channel, periodS: scpiSeconds(iw + lw) });
        s.widthPs = iw;
        s.periodPs = iw + lw;
      }
      await barrier(generatorNames());
      await drain(generatorNames(), `window timing IW ${iw} ps + LW ${lw} ps`);
      timing = { iwPs: iw, lwPs: lw };
      return { ...timing };
    },

    async apply(stim: TargetStimulus): Promise<TargetResponse> {
      if (!timing) throw new BenchSetupError("scpi target: setTiming must come before apply");
      const periodPs = timing.iwPs + timing.lwPs;
      const bursts = planBursts(stim, rowRefs.length, timing.iwPs, timing.lwPs);
      const touched: string[] = [];
      for (let row = 0; row < rowRefs.length; row++) {
        const r = rowRefs[row];
        const s = chan(r);
        const b = bursts[row];
        const vars = { channel: r.channel };
        let changed = false;
        if (!b) {
          if (s.on !== false) {
            await op(r.instrument, "outputOff", vars);
            changed = true;
          }
          s.on = false;
        } else {
          if (s.delayPs !== b.delayPs) {
            await op(r.instrument, "setDelay", { ...vars, delayS: scpiSeconds(b.delayPs) });
            changed = true;
          }
          if (s.count !== b.count) {
            await op(r.instrument, "setPulseCount", { ...vars, count: b.count });
            changed = true;
          }
          if (s.on !== true) {
            await op(r.instrument, "outputOn", vars);
            changed = true;
          }
          Object.assign(s, { delayPs: b.delayPs, count: b.count, on: true });
        }
        if (changed) touched.push(r.instrument);
      }
      if (touched.length) {
        await barrier(uniq(touched));
        await drain(uniq(touched), "row configuration");
      }
      const gatePs = stim.windows * periodPs;
      const counters = counterNames();
      for (const r of outRefs) {
        const cs = counterState.get(key(r)) ?? {};
        if (cs.gatePs !== gatePs || cs.maxCount !== stim.windows) {
          await op(r.instrument, "configure", { channel: r.channel, gateS: scpiSeconds(gatePs), maxCount: stim.windows });
          counterState.set(key(r), { gatePs, maxCount: stim.windows });
        }
      }
      await drain(counters, "counter configuration");
      for (const n of counters) await op(n, "arm");
      for (const n of triggerNames()) await op(n, "trigger");
      await barrier(counters, conn.opcTimeoutMs);
      const spikes: TargetResponse["spikes"] = [];
      for (let output = 0; output < outRefs.length; output++) {
        const r = outRefs[output];
        const c = inst(r.instrument).commands;
        const times = parseTimes(r.instrument, await query(r.instrument, fillTemplate(c.readTimes!, { channel: r.channel })), r.channel);
        if (c.readCount) {
          const reply = await query(r.instrument, fillTemplate(c.readCount, { channel: r.channel }));
          const n = Number(reply);
          if (!Number.isInteger(n) || n !== times.length) {
            throw new ProtocolError(`${session.label}: ${who(r.instrument)} channel ${r.channel} counted ${JSON.stringify(reply)} spike(s) but time-stamped ${times.length}`);
          }
        }
        for (const t of times) spikes.push({ output, timePs: t });
      }
      await drain(uniq([...counters, ...triggerNames()]), "acquisition");
      spikes.sort((a, b) => a.timePs - b.timePs || a.output - b.output);
      return { spikes, retries: 0, ...session.unsolicited.drain() };
    },

    async close() {
      try {
        for (const r of rowRefs) if (state.get(key(r))?.on) await op(r.instrument, "outputOff", { channel: r.channel });
      } catch {
        // The link may already be gone; closing must not hide the error that ended the run.
      }
      await session.close();
    },
  };
}
