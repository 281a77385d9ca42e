/**
 * `snn-atpg emulate-scpi <testbench> --port PATH --profile FILE`: be the SCPI instrument
 * set an instrument profile describes (pulse generators, counter, GPIB adapter) on a
 * serial port, with the simulator — and optionally an injected fault — behind it.
 * `--error-on` makes an instrument report an error to test the host's error handling.
 * Runs until Ctrl-C (exit 0) or until the port goes away (exit 3).
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/snn/i pty,raw,echo=0,link=/tmp/snn/h &
 *   snn-atpg emulate-scpi black-pixel-4x1 --port /tmp/snn/i --profile instruments/keysight-81160a-53230a.json
 *   snn-atpg run p.json --target scpi --port /tmp/snn/h --profile instruments/keysight-81160a-53230a.json
 */
import type { Command } from "commander";
import { resolveInjection } from "../../faults/fault-injection.ts";
import { storageFaultOf } from "../../faults/site-fault.ts";
import { loadInstrumentProfile } from "../../formats/instrument-profile-loader.ts";
import { createScpiEmulator, serveScpiEmulator } from "../../targets/scpi-emulator.ts";
import { createSerialLineTransport } from "../../transports/serial-line-transport.ts";
import { loadBenchArg } from "../bench-file.ts";
import { OptionError, type CliContext, type CommandDefinition } from "../cli-context.ts";

interface EmulateScpiOptions {
  port: string;
  profile: string;
  inject?: string;
  errorOn?: string;
  errorText: string;
  errorInstrument?: string;
  verbose?: boolean;
}

export async function runEmulateScpi(benchArg: string, o: EmulateScpiOptions, ctx: CliContext): Promise<void> {
  const loaded = loadBenchArg(benchArg);
  const profile = loadInstrumentProfile(o.profile);
  const fault = o.inject ? resolveInjection(loaded, o.inject) : null;
  if (o.errorOn !== undefined) {
    try {
      new RegExp(o.errorOn, "i");
    } catch (err) {
      throw new OptionError(`--error-on expects a regular expression, got "${o.errorOn}" (${(err as Error).message})`);
    }
  }
  if (o.errorInstrument !== undefined && !(o.errorInstrument in profile.profile.instruments)) {
    throw new OptionError(`--error-instrument must be one of ${Object.keys(profile.profile.instruments).join(", ")} (${o.profile}); got "${o.errorInstrument}"`);
  }
  const emu = createScpiEmulator({
    bench: loaded.bench,
    profile,
    perturbations: fault?.perturbations,
    storage: fault ? storageFaultOf(fault) : undefined,
    injectError: o.errorOn !== undefined ? { instrument: o.errorInstrument, match: o.errorOn, errorText: o.errorText } : undefined,
  });
  const conn = profile.profile.connection;
  const transport = createSerialLineTransport({ path: o.port, baudRate: conn.baudRate });
  const names = Object.keys(profile.profile.instruments).join(", ");
  const served = serveScpiEmulator(emu, transport, {
    readTerminator: conn.readTerminator,
    signal: ctx.signal,
    onTraffic: o.verbose ? (dir, line) => ctx.err(`${dir === "in" ? "<-" : "->"} ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`) : undefined,
    // said once the port is open: what a host sends before that is flushed by the port's opening
    onListening: () =>
      ctx.out(
        `emulating ${profile.profile.id} (${names}) with ${loaded.bench.id} on ${o.port}` +
          `${fault ? `, injected ${fault.id}` : ", good chip"}${o.errorOn !== undefined ? `, error ${o.errorText} on /${o.errorOn}/` : ""}; Ctrl-C to stop`,
      ),
  });
  const why = await served;
  if (why) throw why;
  ctx.out(`stopped after ${emu.acquisitions} acquisition(s)`);
}

export const emulateScpiCommand: CommandDefinition = {
  name: "emulate-scpi",
  register(program: Command, ctx: CliContext) {
    program
      .command("emulate-scpi")
      .description(
        "Act as the instrument set an instrument profile describes — pulse generators on the rows, counters on " +
          "the outputs, the GPIB adapter if any — on a serial port, with the simulator of <testbench> behind it. " +
          "--inject puts a fault into the emulated chip; --error-on makes an instrument queue an error " +
          "(read by SYST:ERR?) after every command matching a pattern. Runs until Ctrl-C (exit 0) or until the " +
          "port goes away (exit 3).",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench")
      .requiredOption("--port <path>", "serial device or pseudo-terminal to serve on")
      .requiredOption("--profile <file>", "instrument profile, e.g. instruments/generic-scpi-bench.json")
      .option("--inject <fault>", "fault in the emulated chip, <model>@<site>[:<value>]")
      .option("--error-on <regex>", "queue an instrument error after every command matching this (case-insensitive)")
      .option("--error-text <text>", "the queued error", '-222,"Data out of range"')
      .option("--error-instrument <name>", "only this instrument of the profile reports the error")
      .option("--verbose", "print every line received (<-) and sent (->) on stderr")
      .addHelpText(
        "after",
        "\nExamples:\n  snn-atpg emulate-scpi black-pixel-4x1 --port /tmp/snn/i --profile instruments/keysight-81160a-53230a.json\n" +
          "  snn-atpg emulate-scpi black-pixel-4x1 --port /tmp/snn/i --profile instruments/generic-scpi-bench.json --inject dead-neuron@l0.n0\n" +
          "  snn-atpg emulate-scpi black-pixel-4x1 --port /tmp/snn/i --profile instruments/generic-scpi-bench.json --error-on 'PULS:WIDT'",
      )
      .action(async (tb: string, o: EmulateScpiOptions) => {
        await runEmulateScpi(tb, o, ctx);
      });
  },
};
