/**
 * Magnetisation versus time for a pulse train (seed 002 fig. 2): the free layer
 * integrates during the write pulses and relaxes ("leaks") between them.
 *
 *   const tr = traceMagnetization(constants, { pulses: [{ startPs: 0, widthPs: 300, currentUa: 40 }], durationPs: 2000, samplePs: 10, seed: 1 });
 *   tr.pulses[0].peakBarrierFraction   // how close the pulse pushed the layer to the saddle (1 = threshold)
 *
 * A frozen record: every sample (t, I, m, barrier fraction) plus a per-pulse summary.
 */
import type { DeviceConstants } from "../sim/device/device-constants.ts";
import { llgParamsOf, MacrospinSolver, type LlgOptions } from "../sim/device/llg-solver.ts";
import { resetToP, runPulseTrain, type Pulse, type TraceSample } from "../sim/device/pulse-train.ts";
import { createRng } from "../sim/rng.ts";

export interface TraceOptions extends LlgOptions {
  pulses: Pulse[];
  durationPs: number;
  samplePs: number;
  seed: number;
  /** Starting in-plane tilt from P, degrees (default: thermal sample, or the 300 K rms angle at T = 0). */
  tiltDeg?: number;
}

export interface PulseSummary extends Pulse {
  /** Largest barrier fraction reached from the pulse start to the next pulse (or the end). */
  peakBarrierFraction: number;
  /** m_x at the end of the pulse. */
  mxAtEnd: number;
}

export interface MagnetizationTrace {
  deviceId: string;
  temperatureK: number;
  timeStepPs: number;
  seed: number;
  pulses: PulseSummary[];
  samples: TraceSample[];
  /** The free layer ended on the AP side. */
  switched: boolean;
}

export function traceMagnetization(c: DeviceConstants, o: TraceOptions): MagnetizationTrace {
  const params = llgParamsOf(c, o);
  const solver = new MacrospinSolver(params);
  const rng = params.thermalSigma > 0 ? createRng(o.seed) : null;
  resetToP(solver, rng, o.tiltDeg === undefined ? undefined : (o.tiltDeg * Math.PI) / 180);
  const samples = runPulseTrain(solver, o.pulses, o.durationPs, o.samplePs, rng);
  const sorted = [...o.pulses].sort((a, b) => a.startPs - b.startPs);
  const pulses = sorted.map((p, i) => {
    const until = i + 1 < sorted.length ? sorted[i + 1].startPs : o.durationPs;
    const inWindow = samples.filter((s) => s.timePs >= p.startPs && s.timePs <= until);
    const end = samples.reduce((best, s) => (Math.abs(s.timePs - (p.startPs + p.widthPs)) < Math.abs(best.timePs - (p.startPs + p.widthPs)) ? s : best), samples[0]);
    return {
      ...p,
      peakBarrierFraction: Math.max(0, ...inWindow.map((s) => (s.mx < 0 ? s.barrierFraction : 1))),
      mxAtEnd: end.mx,
    };
  });
  return {
    deviceId: c.id,
    temperatureK: o.temperatureK ?? c.temperatureK,
    timeStepPs: o.timeStepPs ?? c.timeStepPs,
    seed: o.seed,
    pulses,
    samples,
    switched: solver.mx > 0,
  };
}
