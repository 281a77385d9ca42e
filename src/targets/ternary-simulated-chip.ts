/**
 * The simulated ternary-array chip (Hou et al., ITC 2022; sim/ternary-array.ts) behind
 * the same SimulatedChip interface as the crossbar, so the sim target, the PROTOCOL.md
 * board emulator and the SCPI emulator serve it unchanged; createSimulatedChip picks it
 * for a bench with a `ternaryArray` block.
 *
 *   fire    one tick per coding window (iw + lw): the rows with an event in window w
 *           spike at tick w; every fire starts at V_R (as after RESET); a spike of
 *           column c at tick w is output c at w·(iw + lw)
 *   timing  windows rounded to the bench tick (at least one tick)
 *   WRITE / READ   refused (ChipUnsupportedError): a differential pair holds −1/0/+1,
 *           and PROTOCOL.md v1's bits=0/1 has no encoding of it; the sim target writes
 *           through `ternary.writeAll` instead
 *   ternary the controls only an in-process target has: write a value to every synapse
 *           (Hou's W d) and set the neuron's threshold and polarity (VTH, SWP)
 *
 *   const chip = createTernarySimulatedChip({ bench });
 *   chip.ternary.writeAll(1);
 *   chip.fire({ events: [0, 1, 2].map((w) => ({ input: 0, timePs: w * 1000 })), windows: 3, salt: 0 });
 */
import { InputError } from "../formats/errors.ts";
import type { Testbench } from "../formats/testbench-format.ts";
import { StimulusError } from "../sim/stimulus.ts";
import { createTernaryArray, fireTicks, writeAll, type CellWriteRule, type TernaryArray, type TernaryNeuronSetting, type TernaryValue } from "../sim/ternary-array.ts";
import type { ChipTiming, SimulatedChip } from "./chip-interface.ts";

/** A verb the chip does not implement (PROTOCOL.md `ERR UNSUPPORTED`). */
export class ChipUnsupportedError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "ChipUnsupportedError";
  }
}

/** What only a ternary chip in this process can be told (PROTOCOL.md v1 has no verb for either). */
export interface TernaryChipControls {
  /** WRITE `value` to every synapse (a new draw from its band per cell). */
  writeAll(value: TernaryValue): void;
  /** Set the neuron threshold (potential units) and polarity. */
  setNeuron(n: TernaryNeuronSetting): void;
}

export interface TernarySimulatedChip extends SimulatedChip {
  readonly ternary: TernaryChipControls;
}

export interface TernaryChipOptions {
  bench: Testbench;
  /** An injected fault's cell-write rule (faults/ternary-faults.ts). */
  cellWriteRule?: CellWriteRule;
}

const noWrite = "a ternary differential-pair array holds −1/0/+1, and PROTOCOL.md v1's WRITE/READ bits=0/1 has no encoding of it";

export function createTernarySimulatedChip(o: TernaryChipOptions): TernarySimulatedChip {
  const tb = o.bench;
  const tickPs = tb.timing.tickPs;
  let chip: TernaryArray = createTernaryArray(tb, o.cellWriteRule);
  let timing: ChipTiming = { iwPs: tb.timing.iwPs, lwPs: tb.timing.lwPs };
  const round = (ps: number) => Math.max(tickPs, Math.round(ps / tickPs) * tickPs);
  return {
    info: { benchId: tb.id, inputs: chip.rows, outputs: chip.cols, tickPs, layers: [{ rows: chip.rows, cols: chip.cols }] },
    get timing() {
      return timing;
    },
    setTiming(iwPs, lwPs) {
      timing = { iwPs: round(iwPs), lwPs: round(lwPs) };
      return timing;
    },
    writeRow() {
      throw new ChipUnsupportedError(`WRITE: ${noWrite}`);
    },
    readRow() {
      throw new ChipUnsupportedError(`READ: ${noWrite}`);
    },
    fire(f) {
      const t = f.timing ?? timing;
      const windowPs = t.iwPs + t.lwPs;
      const rowsByTick: number[][] = Array.from({ length: f.windows }, () => []);
      for (const e of f.events) {
        if (!Number.isInteger(e.input) || e.input < 0 || e.input >= chip.rows) throw new StimulusError(`input ${e.input} does not exist (0..${chip.rows - 1})`);
        if (!(e.timePs >= 0) || e.timePs + t.iwPs > f.windows * windowPs) throw new StimulusError(`event ${e.input}@${e.timePs} ends after the run (${f.windows} windows of ${windowPs} ps)`);
        rowsByTick[Math.floor(e.timePs / windowPs)].push(e.input);
      }
      return fireTicks(chip, rowsByTick).map((s) => ({ output: s.col, timePs: s.tick * windowPs }));
    },
    reset() {
      chip = createTernaryArray(tb, o.cellWriteRule);
      timing = { iwPs: tb.timing.iwPs, lwPs: tb.timing.lwPs };
    },
    age() {}, // Hou's cells do not decay
    ternary: {
      writeAll(value) {
        writeAll(chip, value);
      },
      setNeuron(n) {
        chip.neuron = n; // checked when it fires (tickParams): Hou's SWP and VTH are set one at a time
      },
    },
  };
}
