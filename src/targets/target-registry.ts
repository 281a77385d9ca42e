/**
 * The registry of targets `snn-atpg run --target <id>` can apply a program to:
 * id → factory `(options) => Target`. Factories get the run's TargetOptions and
 * reject options they cannot honour with an InputError (exit 2).
 *
 *   const target = targets.serial({ bench, port: "/dev/ttyUSB0", baud: 115200 });
 */
import { InputError } from "../formats/errors.ts";
import { loadInstrumentProfile } from "../formats/instrument-profile-loader.ts";
import { observableOutputCount } from "../formats/program-loader.ts";
import { createSerialLineTransport } from "../transports/serial-line-transport.ts";
import { createScpiTarget } from "./scpi-target.ts";
import { createSerialBoardTarget } from "./serial-board-target.ts";
import { createSimTarget } from "./sim-target.ts";
import type { Target, TargetOptions } from "./target.ts";

/** Options a target cannot use. */
export class TargetOptionError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "TargetOptionError";
  }
}

export const targets = {
  sim: (o: TargetOptions): Target => {
    if (o.port) throw new TargetOptionError("--port is for hardware targets; the sim target runs in-process (drop --port or use --target serial)");
    return createSimTarget({ bench: o.bench, perturbations: o.perturbations, storage: o.storage, cellWriteRule: o.cellWriteRule, chipSeed: o.chipSeed });
  },
  serial: (o: TargetOptions): Target => {
    if (!o.port) throw new TargetOptionError("--target serial needs --port <path> (list ports with `snn-atpg ports`)");
    if (o.chipSeed) throw new TargetOptionError("--chip-seed picks a simulated chip's noise streams; a board has its own noise (drop --chip-seed)");
    if (o.perturbations?.length || o.storage || o.cellWriteRule) {
      throw new TargetOptionError("--inject works on the sim target only; inject into an emulated board with `snn-atpg emulate <testbench> --inject FAULT`");
    }
    return createSerialBoardTarget({
      transport: createSerialLineTransport({ path: o.port, baudRate: o.baud }),
      replyTimeoutMs: o.replyTimeoutMs,
      maxAttempts: o.maxAttempts,
      signal: o.signal,
    });
  },
  scpi: (o: TargetOptions): Target => {
    if (!o.profile) throw new TargetOptionError("--target scpi needs --profile <file> (an instrument profile, e.g. instruments/generic-scpi-bench.json)");
    if (!o.port) throw new TargetOptionError("--target scpi needs --port <path> (the instruments' serial port or GPIB adapter; see `snn-atpg ports`)");
    if (o.perturbations?.length || o.storage) {
      throw new TargetOptionError("--inject works on the sim target only; inject into emulated instruments with `snn-atpg emulate-scpi <testbench> --inject FAULT`");
    }
    const profile = loadInstrumentProfile(o.profile);
    // The profile owns the link settings (baud, terminators, timeouts): instruments differ, the run's defaults do not.
    return createScpiTarget({
      profile,
      transport: createSerialLineTransport({ path: o.port, baudRate: profile.profile.connection.baudRate }),
      inputs: o.bench.layers[0].rows,
      outputs: observableOutputCount(o.bench),
    });
  },
} as const satisfies Record<string, (o: TargetOptions) => Target>;

export type TargetId = keyof typeof targets;
