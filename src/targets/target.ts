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
  /** `! LOG` lines or instrument messages seen meanwhile. */
  logs: string[];
}

export interface Target {
  open(): Promise<TargetInfo>;
  /** Set window timing; returns the values the target will really use. */
  setTiming(iwPs: number, lwPs: number): Promise<{ iwPs: number; lwPs: number }>;
  /** Program one crossbar row (WRITE). */
  writeRow?(layer: number, row: number, bits: string): Promise<void>;
  /** Sense one crossbar row (READ); may be unsupported. */
  readRow?(layer: number, row: number): Promise<string>;
  apply(stim: TargetStimulus): Promise<TargetResponse>;
  close(): Promise<void>;
}
