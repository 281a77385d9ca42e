/**
 * Instrument profile format: a set of SCPI lab instruments that can stand in for a
 * test board — pulse generator channels drive the chip's input rows, counter channels
 * time-stamp its output spikes — described as data: the serial link, identity checks,
 * and a command template for every abstract operation the SCPI target performs.
 *
 *   { "schemaVersion": 1, "id": "generic-scpi-bench", "connection": { "baudRate": 115200 },
 *     "instruments": { "bench": { "idnPattern": "^SNN-BENCH,", "commands": {
 *        "setPulseWidth": "SOUR{channel}:PULS:WIDT {widthS}", … } } },
 *     "rows": [{ "instrument": "bench", "channels": { "first": 1, "count": 4 } }],
 *     "outputs": [{ "instrument": "bench", "channels": [1] }] }
 *
 * Placeholders in templates: {channel}, {address}, {widthS}, {periodS}, {delayS},
 * {gateS} (seconds, written as `<ps>E-12`, exact), {count}, {maxCount}; for the array
 * (WRITE/READ of a crossbar row, PROTOCOL.md) {layer}, {row} and {bits} (one 0/1 per
 * column). A profile can write and read rows only when it names an `array` instrument.
 * This zod schema is the single source of truth (`npm run gen` publishes it).
 */
import { z } from "zod";

/** One SCPI line, or several sent in order. */
const lines = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** Channels as an explicit list or a run `{ first, count }`. */
export const channelListSchema = z.union([
  z.array(z.number().int().nonnegative()).min(1).describe("explicit channel numbers"),
  z.strictObject({ first: z.number().int().nonnegative(), count: z.number().int().positive() }).describe("channels first … first + count − 1"),
]);

/** How a numeric list reply is read (e.g. 53230A `FETC?` in timestamp mode: `+13,+1.29E-06,…`). */
export const replyFormatSchema = z.strictObject({
  skip: z.number().int().nonnegative().default(0).describe("leading values to ignore (a prescaler, a count)"),
  unitS: z.number().positive().default(1).describe("seconds per unit of the reply values"),
});

export const instrumentCommandsSchema = z.strictObject({
  channelSetup: lines.optional().describe("sent once per used channel after the setup lines ({channel})"),
  setPulseWidth: lines.optional().describe("pulse generator: pulse width = integrate window ({channel}, {widthS})"),
  setPeriod: lines.optional().describe("pulse generator: pulse period = coding window IW + LW ({channel}, {periodS})"),
  setDelay: lines.optional().describe("pulse generator: delay of the first pulse after the trigger ({channel}, {delayS})"),
  setPulseCount: lines.optional().describe("pulse generator: pulses per trigger, i.e. burst count ({channel}, {count})"),
  outputOn: lines.optional().describe("pulse generator: enable the channel's output ({channel})"),
  outputOff: lines.optional().describe("pulse generator: disable the channel's output ({channel})"),
  trigger: lines.optional().describe("start one vector (sent to every instrument that defines it, in profile order)"),
  configure: lines.optional().describe("counter: set up one acquisition ({channel}, {gateS} = run length, {maxCount} = most spikes expected)"),
  arm: lines.optional().describe("counter: arm the acquisition before the trigger (e.g. INIT)"),
  readTimes: z.string().min(1).optional().describe("counter: query returning the spike times of a channel ({channel})"),
  readCount: z.string().min(1).optional().describe("counter: query returning the spike count of a channel ({channel}); cross-checks readTimes"),
  writeRow: lines.optional().describe("array: program one crossbar row, PROTOCOL.md WRITE ({layer}, {row}, {bits} = one 0/1 per column, column 0 first)"),
  readRow: z.string().min(1).optional().describe("array: query sensing one crossbar row, PROTOCOL.md READ ({layer}, {row}); the reply is the row's bits, one 0/1 per column"),
});

export const instrumentSchema = z.strictObject({
  title: z.string().optional(),
  address: z.number().int().min(0).max(30).optional().describe("GPIB primary address (needed with connection.addressing)"),
  idnPattern: z.string().min(1).describe("regular expression the *IDN? reply must match"),
  idnExample: z.string().min(1).describe("an *IDN? reply that matches (documentation; the emulator answers it)"),
  setup: z.array(z.string().min(1)).default([]).describe("lines sent once after the identity check (reset, modes)"),
  commands: instrumentCommandsSchema,
  timesReply: replyFormatSchema.default({ skip: 0, unitS: 1 }).describe("how readTimes replies are read"),
});

export const channelMapSchema = z.strictObject({
  instrument: z.string().min(1).describe("key in instruments"),
  channels: channelListSchema,
});

export const connectionSchema = z.strictObject({
  baudRate: z.number().int().positive().default(115200),
  writeTerminator: z.enum(["\n", "\r\n"]).default("\n").describe("line end the host writes"),
  readTerminator: z.enum(["\n", "\r\n"]).default("\n").describe("line end the instruments write (both are accepted when reading)"),
  replyTimeoutMs: z.number().int().positive().default(2000).describe("time allowed for any query reply, ms"),
  opcTimeoutMs: z.number().int().positive().default(10000).describe("time allowed for an *OPC? barrier (waits for an acquisition), ms"),
  addressing: z
    .strictObject({
      init: z.array(z.string().min(1)).default([]).describe("adapter set-up lines, e.g. Prologix ++mode 1, ++auto 0"),
      select: z.string().min(1).describe("line that addresses one instrument ({address}), e.g. ++addr {address}"),
      readAfterQuery: z.string().min(1).optional().describe("line that fetches a query's reply, e.g. ++read eoi"),
    })
    .optional()
    .describe("a GPIB-to-serial adapter in front of several instruments; absent = one instrument on the port"),
});

export const instrumentProfileSchema = z.strictObject({
  $schema: z.string().optional(),
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/).describe("stable id, kebab-case"),
  title: z.string(),
  notes: z.string().optional(),
  connection: connectionSchema,
  identityQuery: z.string().default("*IDN?"),
  opcQuery: z.string().default("*OPC?").describe("operation-complete barrier query; the reply must be 1"),
  errorQueue: z
    .strictObject({
      query: z.string().default("SYST:ERR?"),
      noErrorPattern: z.string().default("^[+]?0\\s*,").describe("regular expression of the 'no error' reply"),
      maxReads: z.number().int().min(1).max(100).default(20).describe("cap on error reads per drain"),
    })
    .default({ query: "SYST:ERR?", noErrorPattern: "^[+]?0\\s*,", maxReads: 20 })
    .describe("drained after every configuration step; any error stops the run"),
  timing: z.strictObject({
    tickPs: z.number().int().positive().default(10).describe("timing resolution of the generator, ps"),
    widthRangePs: z.tuple([z.number().int().positive(), z.number().int().positive()]).describe("[min, max] pulse width, ps"),
    periodRangePs: z.tuple([z.number().int().positive(), z.number().int().positive()]).describe("[min, max] pulse period, ps"),
  }),
  instruments: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/), instrumentSchema),
  rows: z.array(channelMapSchema).min(1).describe("input rows 0, 1, … in order: generator channels"),
  outputs: z.array(channelMapSchema).min(1).describe("observable outputs 0, 1, … in order: counter channels"),
  array: z
    .strictObject({ instrument: z.string().min(1).describe("key in instruments; it needs commands.writeRow and commands.readRow") })
    .optional()
    .describe("the instrument that writes and reads crossbar rows (WRITE/READ steps of an array phase); absent = the instrument set cannot, and such programs are refused before the first step"),
});

export type InstrumentProfile = z.output<typeof instrumentProfileSchema>;
export type InstrumentSpec = z.output<typeof instrumentSchema>;
export type InstrumentCommands = z.output<typeof instrumentCommandsSchema>;
export type InstrumentOperation = keyof InstrumentCommands;
