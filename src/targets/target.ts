/**
 * The Target extension point: anything a test program can be applied to — the
 * in-process simulator, an FPGA board over serial (PROTOCOL.md), SCPI instruments.
 * Targets are injected into the bench executor; no target knows about the others.
 *
 *   const info = await target.open();
 *   await target.setTiming(1000, 9000);
 *   const r = await target.apply({ events, windows: 3 });   // r.spikes: [{ output, timePs }]
 */

/** What a target reports about itself after opening. */
export interface TargetInfo {
  kind: string;
  /** Board / instrument identity (HELLO board=…, *IDN?). */
  identity: string;
  firmware?: string;
  inputs: number;
  outputs: number;
  /** Timing resolution, ps. */
  tickPs: number;
}

/** One application of a vector's stimulus. */
export interface TargetStimulus {
  /** Input events, times from the start of the vector, ps. */
  events: { input: number; timePs: number }[];
  windows: number;
  /** Repetition index (seeds stochastic simulation targets). */
  repetition?: number;
}

/** Raw response of one application. */
export interface TargetResponse {
  spikes: { output: number; timePs: number }[];
  /** Retries the transport needed (resends, RESET + replay). */
  retries: number;
  /** `! LOG` lines or instrument messages seen meanwhile (bounded, see transports/log-keeper.ts). */
  logs: string[];
  /** Lines seen but not kept in `logs` (over the bound). */
  logsOmitted?: number;
}

export interface Target {
  open(): Promise<TargetInfo>;
  /** Set window timing; returns the values the target will really use. */
  setTiming(iwPs: number, lwPs: number): Promise<{ iwPs: number; lwPs: number }>;
  /** Program one crossbar row (WRITE). */
  writeRow?(layer: number, row: number, bits: string): Promise<void>;
  /** Sense one crossbar row (READ); may be unsupported. */
  readRow?(layer: number, row: number): Promise<string>;
  /** Program one row of multi-level cells, a level per column (sim only: PROTOCOL.md v1 and SCPI carry bits). */
  writeLevels?(layer: number, row: number, levels: readonly number[]): Promise<void>;
  /** Sense one row of multi-level cells as levels (sim only). */
  readLevels?(layer: number, row: number): Promise<number[]>;
  /** Let time pass with no stimulus (a retention dwell); a simulated chip ages its cells, hardware targets may omit it (the executor then waits in real time). */
  pause?(dwellNs: number): Promise<void>;
  apply(stim: TargetStimulus): Promise<TargetResponse>;
  close(): Promise<void>;
  /**
   * Refuse, before `open`, a program this target cannot play (an InputError naming the
   * step and the limit); targets that can play anything the format allows omit it.
   */
  /**
   * A ternary-array chip's controls (Hou et al.: write −1/0/+1 to every synapse, set the
   * neuron's threshold and polarity). PROTOCOL.md v1 and SCPI have no encoding for
   * either, so only the in-process sim target has them (bench/ternary-executor.ts).
   */
  ternary?: {
    writeAll(value: -1 | 0 | 1): Promise<void>;
    setNeuron(n: import("../sim/ternary-array.ts").TernaryNeuronSetting): Promise<void>;
  };
  checkProgram?(program: import("../formats/program-format.ts").Program, programFile: string): void;
}

/**
 * What a target factory in `target-registry.ts` gets from the `run` command. Each
 * factory uses the fields it needs and rejects the ones it cannot honour.
 */
export interface TargetOptions {
  /** The testbench the program was made for (simulated targets run it; hardware targets are checked against it). */
  bench: import("../formats/testbench-format.ts").Testbench;
  /** Serial device path (serial, scpi). */
  port?: string;
  /** Baud rate (default 115200). */
  baud?: number;
  /** Instrument profile file (scpi). */
  profile?: string;
  /** Simulator perturbations of an injected fault (sim only; boards get faults in the emulator). */
  perturbations?: import("../sim/perturbation.ts").Perturbation[];
  /** An injected storage fault's cell and behaviour (sim only). */
  storage?: import("./simulated-chip.ts").StorageFault;
  /** An injected ternary-array fault's cell-write rule (sim only). */
  cellWriteRule?: import("../sim/ternary-array.ts").CellWriteRule;
  /** Seed of a stochastic sim chip's thermal noise (sim-target.ts); absent or 0 = repetition k draws stream k in every run. */
  chipSeed?: number;
  /** Reply timeout, ms (default 1000, PROTOCOL.md). */
  replyTimeoutMs?: number;
  /** Attempts per command before giving up. */
  maxAttempts?: number;
  /** Raised on Ctrl-C: pending waits end with an InterruptedError. */
  signal?: AbortSignal;
}
