/**
 * Load an instrument profile (validated) plus the checks its schema cannot express:
 * every mapped instrument exists and implements the operations its role needs, the
 * regular expressions compile, templates use only known placeholders, no channel is
 * mapped twice, and several instruments on one port need an addressing adapter.
 *
 *   const { profile, rows, outputs } = loadInstrumentProfile("instruments/generic-scpi-bench.json");
 *   rows[2]   // { instrument: "bench", channel: 3 }  — the generator channel of input row 2
 */
import { FormatError } from "./format-error.ts";
import { loadJsonFile, validateData } from "./load-json.ts";
import { instrumentProfileSchema, type InstrumentOperation, type InstrumentProfile } from "./instrument-profile-format.ts";

/** One instrument channel. */
export interface ChannelRef {
  instrument: string;
  channel: number;
}

/** A checked profile with its row and output maps expanded. */
export interface LoadedInstrumentProfile {
  profile: InstrumentProfile;
  file: string;
  /** Generator channel of input row r. */
  rows: ChannelRef[];
  /** Counter channel of observable output o. */
  outputs: ChannelRef[];
}

/** Operations a row (pulse generator) instrument must implement. */
export const generatorOperations = ["setPulseWidth", "setPeriod", "setDelay", "setPulseCount", "outputOn", "outputOff"] as const satisfies readonly InstrumentOperation[];
/** Operations an output (counter) instrument must implement. */
export const counterOperations = ["arm", "readTimes"] as const satisfies readonly InstrumentOperation[];

/** Placeholders each operation may use. */
export const operationPlaceholders: Record<InstrumentOperation, readonly string[]> = {
  channelSetup: ["channel"],
  setPulseWidth: ["channel", "widthS"],
  setPeriod: ["channel", "periodS"],
  setDelay: ["channel", "delayS"],
  setPulseCount: ["channel", "count"],
  outputOn: ["channel"],
  outputOff: ["channel"],
  trigger: [],
  configure: ["channel", "gateS", "maxCount"],
  arm: [],
  readTimes: ["channel"],
  readCount: ["channel"],
  writeRow: ["layer", "row", "bits"],
  readRow: ["layer", "row"],
};

/** Operations the `array` instrument must implement. */
export const arrayOperations = ["writeRow", "readRow"] as const satisfies readonly InstrumentOperation[];

/** Expand channel maps to one ChannelRef per row / output, in order. */
export function expandChannels(maps: InstrumentProfile["rows"]): ChannelRef[] {
  return maps.flatMap((m) => {
    const chans = Array.isArray(m.channels) ? m.channels : Array.from({ length: m.channels.count }, (_, i) => (m.channels as { first: number }).first + i);
    return chans.map((channel) => ({ instrument: m.instrument, channel }));
  });
}

function checkRegex(file: string, where: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new FormatError({ file, where, expected: "a valid regular expression", found: JSON.stringify(source), hint: (err as Error).message });
  }
}

/** Cross-field checks; throws a located FormatError. */
export function checkInstrumentProfile(p: InstrumentProfile, file: string): { rows: ChannelRef[]; outputs: ChannelRef[] } {
  const names = Object.keys(p.instruments);
  if (names.length === 0) throw new FormatError({ file, where: "instruments", expected: "at least one instrument", found: "{}" });
  if (!p.connection.addressing && names.length > 1) {
    throw new FormatError({
      file,
      where: "connection.addressing",
      expected: "an addressing adapter (e.g. Prologix: select \"++addr {address}\") when several instruments share the port",
      found: `${names.length} instruments and no addressing`,
    });
  }
  checkRegex(file, "errorQueue.noErrorPattern", p.errorQueue.noErrorPattern);
  for (const [name, inst] of Object.entries(p.instruments)) {
    const re = checkRegex(file, `instruments.${name}.idnPattern`, inst.idnPattern);
    if (!re.test(inst.idnExample)) {
      throw new FormatError({ file, where: `instruments.${name}.idnExample`, expected: `a reply matching /${inst.idnPattern}/`, found: JSON.stringify(inst.idnExample) });
    }
    if (p.connection.addressing && inst.address === undefined) {
      throw new FormatError({ file, where: `instruments.${name}.address`, expected: "a GPIB address (connection.addressing is set)", found: "nothing (the field is missing)" });
    }
    for (const [op, t] of Object.entries(inst.commands) as [InstrumentOperation, string | string[] | undefined][]) {
      if (t === undefined) continue;
      for (const line of Array.isArray(t) ? t : [t]) {
        for (const m of line.matchAll(/\{([^}]*)\}/g)) {
          if (!operationPlaceholders[op].includes(m[1])) {
            throw new FormatError({
              file,
              where: `instruments.${name}.commands.${op}`,
              expected: operationPlaceholders[op].length ? `only the placeholders ${operationPlaceholders[op].map((x) => `{${x}}`).join(", ")}` : "no placeholders",
              found: `{${m[1]}} in ${JSON.stringify(line)}`,
            });
          }
        }
      }
    }
  }
  const role = (key: "rows" | "outputs", ops: readonly InstrumentOperation[]) => {
    p[key].forEach((m, i) => {
      const inst = p.instruments[m.instrument];
      if (!inst) throw new FormatError({ file, where: `${key}[${i}].instrument`, expected: `one of ${names.join(", ")}`, found: JSON.stringify(m.instrument) });
      for (const op of ops) {
        if (inst.commands[op] === undefined) {
          throw new FormatError({ file, where: `instruments.${m.instrument}.commands.${op}`, expected: `a template (${m.instrument} is mapped in ${key})`, found: "nothing (the field is missing)" });
        }
      }
    });
    const refs = expandChannels(p[key]);
    const seen = new Set<string>();
    for (const r of refs) {
      const k = `${r.instrument}:${r.channel}`;
      if (seen.has(k)) throw new FormatError({ file, where: key, expected: "each instrument channel at most once", found: `${r.instrument} channel ${r.channel} twice` });
      seen.add(k);
    }
    return refs;
  };
  const rows = role("rows", generatorOperations);
  const outputs = role("outputs", counterOperations);
  if (p.array) {
    const inst = p.instruments[p.array.instrument];
    if (!inst) throw new FormatError({ file, where: "array.instrument", expected: `one of ${names.join(", ")}`, found: JSON.stringify(p.array.instrument) });
    for (const op of arrayOperations) {
      if (inst.commands[op] === undefined) {
        throw new FormatError({ file, where: `instruments.${p.array.instrument}.commands.${op}`, expected: `a template (${p.array.instrument} is the array instrument)`, found: "nothing (the field is missing)" });
      }
    }
  }
  if (!names.some((n) => p.instruments[n].commands.trigger !== undefined)) {
    throw new FormatError({ file, where: "instruments", expected: "at least one instrument with a commands.trigger template", found: "none" });
  }
  const [wMin, wMax] = p.timing.widthRangePs;
  const [pMin, pMax] = p.timing.periodRangePs;
  if (wMin > wMax) throw new FormatError({ file, where: "timing.widthRangePs", expected: "[min, max] with min ≤ max", found: JSON.stringify(p.timing.widthRangePs) });
  if (pMin > pMax) throw new FormatError({ file, where: "timing.periodRangePs", expected: "[min, max] with min ≤ max", found: JSON.stringify(p.timing.periodRangePs) });
  return { rows, outputs };
}

/** Validate already-parsed profile data. */
export function parseInstrumentProfile(data: unknown, file: string): LoadedInstrumentProfile {
  const profile = validateData(instrumentProfileSchema, data, file);
  return { profile, file, ...checkInstrumentProfile(profile, file) };
}

/** Read, validate and check a profile file. */
export function loadInstrumentProfile(file: string): LoadedInstrumentProfile {
  const profile = loadJsonFile(file, instrumentProfileSchema);
  return { profile, file, ...checkInstrumentProfile(profile, file) };
}
