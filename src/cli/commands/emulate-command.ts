/**
 * `snn-atpg emulate <testbench> --port PATH`: be a PROTOCOL.md v1 test board on a
 * serial port, with the simulator (and optionally an injected fault) behind it, and
 * optional seeded link noise. Runs until Ctrl-C (exit 0) or until the port goes away
 * (exit 3).
 *
 *   socat -d -d pty,raw,echo=0,link=/tmp/snn/a pty,raw,echo=0,link=/tmp/snn/b &
 *   snn-atpg emulate black-pixel-4x1 --port /tmp/snn/a --inject dead-synapse@l0.r1.c0 --noise 0.05
 *   snn-atpg run p.json --target serial --port /tmp/snn/b
 *
 * A ternary-array bench (Hou et al.) is served too: STIM/FIRE drive its rows (one tick per
 * window); WRITE and READ answer `ERR UNSUPPORTED`, as PROTOCOL.md v1 has no 0/1 encoding
 * of a −1/0/+1 differential pair, so only programs of spike steps play over it.
 */
import type { Command } from "commander";
import { resolveInjection } from "../../faults/fault-injection.ts";
import { storageFaultOf } from "../../faults/site-fault.ts";
import { createBoardEmulator, serveBoardEmulator } from "../../targets/board-emulator.ts";
import { createSerialLineTransport } from "../../transports/serial-line-transport.ts";
import { loadBenchArg } from "../bench-file.ts";
import { chipKindOf } from "../../sim/chip-kind.ts";
import { resolveTernaryInjection } from "../ternary-chip.ts";
import { OptionError, parseIntOption, parsePositiveIntOption, parseNumberOption, parseSeedOption, type CliContext, type CommandDefinition } from "../cli-context.ts";

interface EmulateOptions {
  port: string;
  baud: number;
  inject?: string;
  noise: number;
  seed: number;
  noiseDelayMs: number;
  fireDelayMs: number;
  protocolVersion: number;
  garble: string[];
  lf?: boolean;
  verbose?: boolean;
}

export async function runEmulate(benchArg: string, o: EmulateOptions, ctx: CliContext): Promise<void> {
  if (!(o.noise >= 0 && o.noise <= 1)) throw new OptionError(`--noise expects a rate between 0 and 1, got ${o.noise}`);
  if (o.noiseDelayMs < 0 || o.fireDelayMs < 0) throw new OptionError("--noise-delay-ms and --fire-delay-ms must not be negative");
  const loaded = loadBenchArg(benchArg);
  // a ternary-array bench (Hou et al.) serves STIM/FIRE; its WRITE/READ answer ERR UNSUPPORTED (no 0/1 encoding of −1/0/+1)
  const ternary = chipKindOf(loaded.bench) === "ternary-array";
  const fault = o.inject && !ternary ? resolveInjection(loaded, o.inject) : null;
  const ternaryFault = o.inject && ternary ? resolveTernaryInjection(loaded.bench, o.inject) : null;
  const emu = createBoardEmulator({
    bench: loaded.bench,
    perturbations: fault?.perturbations,
    storage: fault ? storageFaultOf(fault) : undefined,
    cellWriteRule: ternaryFault?.rule,
    protocolVersion: o.protocolVersion,
    garble: o.garble.map((v) => v.toUpperCase()),
    noise: o.noise > 0 ? { rate: o.noise, seed: o.seed, delayMs: o.noiseDelayMs } : undefined,
  });
  const transport = createSerialLineTransport({ path: o.port, baudRate: o.baud });
  await transport.open();
  const lost = new Promise<Error>((resolve) => transport.onClose(resolve));
  const stop = serveBoardEmulator(transport, emu, {
    crlf: !o.lf,
    fireDelayMs: o.fireDelayMs,
    onTraffic: o.verbose ? (dir, line) => ctx.err(`${dir === "in" ? "<-" : "->"} ${line.length > 200 ? `${line.slice(0, 200)}…` : line}`) : undefined,
  });
  ctx.out(
    `emulating ${loaded.bench.id} on ${o.port}: inputs=${emu.inputs} outputs=${emu.outputs} tick_ps=${emu.tickPs}` +
      `${fault || ternaryFault ? `, injected ${(fault ?? ternaryFault)!.id}` : ", good chip"}${o.noise > 0 ? `, noise ${o.noise} (seed ${o.seed})` : ""}; Ctrl-C to stop`,
  );
  const aborted = new Promise<null>((resolve) => {
    if (ctx.signal.aborted) resolve(null);
    ctx.signal.addEventListener("abort", () => resolve(null), { once: true });
  });
  const why = await Promise.race([lost, aborted]);
  stop();
  await transport.close();
  if (why) throw why;
  const n = emu.noiseCounts;
  ctx.out(`stopped after ${emu.fires} FIRE command(s)${o.noise > 0 ? `; noise: ${n.corrupt} corrupted, ${n.drop} dropped, ${n.delay} delayed, ${n.busy} BUSY replies, ${n.log} log lines` : ""}`);
}

export const emulateCommand: CommandDefinition = {
  name: "emulate",
  register(program: Command, ctx: CliContext) {
    program
      .command("emulate")
      .description(
        "Act as an SNN bench board speaking PROTOCOL.md v1 on a serial port, with the simulator of <testbench> behind it. " +
          "--inject puts a fault into the emulated chip; --noise corrupts, drops, delays or BUSYs that fraction of replies " +
          "and inserts `! LOG` lines (seeded, reproducible).\n\n" +
          "Runs until Ctrl-C (exit 0) or until the port goes away (exit 3). To test a host without hardware, link two " +
          "pseudo-terminals: socat -d -d pty,raw,echo=0,link=/tmp/snn/a pty,raw,echo=0,link=/tmp/snn/b",
      )
      .argument("<testbench>", "testbench file, or the id of a shipped bench")
      .requiredOption("--port <path>", "serial device or pseudo-terminal to serve on")
      .option("--baud <n>", "baud rate", parsePositiveIntOption("--baud", "115200"), 115200)
      .option("--inject <fault>", "fault in the emulated chip, <model>@<site>[:<value>]")
      .option("--noise <rate>", "fraction of replies disturbed, and of replies preceded by a ! LOG line (0..1)", parseNumberOption("--noise"), 0)
      .option("--seed <n>", "seed of the noise", parseSeedOption("--seed"), 1)
      .option("--noise-delay-ms <ms>", "how long a delayed reply is held back, ms (past the host's timeout by default)", parseIntOption("--noise-delay-ms"), 1500)
      .option("--fire-delay-ms <ms>", "extra time every FIRE takes, ms (a slow board)", parseIntOption("--fire-delay-ms"), 0)
      .option("--protocol-version <n>", "proto= announced in HELLO (only to test a host's version check)", parseIntOption("--protocol-version"), 1)
      .option("--garble <verb>", "send malformed OK replies to this verb (repeatable; to test a host's error path)", (v: string, prev: string[]) => [...prev, v], [] as string[])
      .option("--lf", "end replies with \\n instead of \\r\\n")
      .option("--verbose", "print every line received (<-) and sent (->) on stderr")
      .addHelpText(
        "after",
        "\nExit codes: 0 stopped with Ctrl-C, 2 bad input (bench, --inject, option), 3 the port cannot be opened or went away.\n" +
          "\nExamples:\n  snn-atpg emulate black-pixel-4x1 --port /tmp/snn/a\n" +
          "  snn-atpg emulate black-pixel-4x1 --port /tmp/snn/a --inject dead-synapse@l0.r1.c0 --noise 0.05 --seed 3",
      )
      .action(async (tb: string, o: EmulateOptions) => {
        await runEmulate(tb, o, ctx);
      });
  },
};
