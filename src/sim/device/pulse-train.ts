/**
 * Driving the macrospin with write pulses: the initial P state, pulse trains (integrate
 * during pulses, relax between them — seed 002 fig. 2), and the single-pulse switching
 * trial behind the switching-probability curves (seed 002 fig. 3).
 *
 *   const solver = new MacrospinSolver(llgParamsOf(c));
 *   switchingTrial(solver, 71, 500, c.settlePs, createRng(1))  // → true | false
 *
 * Conventions: the neuron rests in P, m = −x̂; a positive heavy-metal current drives it
 * towards +x̂ (AP), and it has fired when m_x > 0 at the read. At T > 0 a trial starts
 * from the harmonic Boltzmann distribution of the P well (m_y, m_z Gaussian with variances
 * k_BT/(μ0M_sV·H_k) and k_BT/(μ0M_sV·H_⊥)), i.e. already thermalised; at T = 0 it starts
 * tilted in-plane by the rms thermal angle at 300 K (or a given tilt) so that it can
 * switch at all.
 */
import type { Rng } from "../rng.ts";
import type { MacrospinSolver } from "./llg-solver.ts";

/** One rectangular write pulse. */
export interface Pulse {
  startPs: number;
  widthPs: number;
  currentUa: number;
}

/** Barrier fraction below which a relaxing free layer counts as captured by a well. */
export const CAPTURED_BARRIER_FRACTION = 0.5;

/** rms in-plane thermal angle at 300 K, √(k_B·300 K/(μ0 M_s V H_k)), rad. */
export function defaultTiltRad(solver: MacrospinSolver): number {
  const p = solver.p;
  return Math.sqrt(p.referenceThermalFieldScale / (p.cx - p.cy));
}

/** Put the solver in the P state: a thermal sample at T > 0, a fixed in-plane tilt at T = 0. */
export function resetToP(solver: MacrospinSolver, rng: Rng | null, tiltRad?: number): void {
  const p = solver.p;
  if (tiltRad !== undefined || p.thermalSigma === 0 || rng === null) {
    const t = tiltRad ?? defaultTiltRad(solver);
    solver.setState(-Math.cos(t), Math.sin(t), 0);
    return;
  }
  const my = Math.sqrt(p.thermalFieldScale / (p.cx - p.cy)) * rng.normal();
  const mz = Math.sqrt(p.thermalFieldScale / (p.cx - p.cz)) * rng.normal();
  solver.setState(-Math.sqrt(Math.max(0, 1 - my * my - mz * mz)), my, mz);
}

/** Steps in a duration (rounded to the nearest step). */
export function stepsIn(durationPs: number, dtS: number): number {
  return Math.max(0, Math.round((durationPs * 1e-12) / dtS));
}

/**
 * Relax at zero current until the free layer is captured by a well (barrier fraction
 * below CAPTURED_BARRIER_FRACTION, checked every `chunkPs`) or `maxPs` has passed.
 * Returns the time spent, ps.
 */
export function settle(solver: MacrospinSolver, maxPs: number, rng: Rng | null, chunkPs = 20): number {
  const total = stepsIn(maxPs, solver.p.dtS);
  const chunk = Math.max(1, stepsIn(chunkPs, solver.p.dtS));
  let done = 0;
  while (done < total) {
    const n = Math.min(chunk, total - done);
    solver.advance(0, n, rng);
    done += n;
    if (solver.barrierFraction() < CAPTURED_BARRIER_FRACTION) break;
  }
  return done * solver.p.dtS * 1e12;
}

/**
 * One switching trial: start in P, apply one pulse of `currentUa` for `pulsePs`, relax
 * (at most `settlePs`), read. True when the free layer ended on the AP side (m_x > 0).
 */
export function switchingTrial(solver: MacrospinSolver, currentUa: number, pulsePs: number, settlePs: number, rng: Rng | null): boolean {
  resetToP(solver, rng);
  solver.advance(currentUa, stepsIn(pulsePs, solver.p.dtS), rng);
  settle(solver, settlePs, rng);
  return solver.mx > 0;
}

/** One sample of a magnetisation trace. */
export interface TraceSample {
  timePs: number;
  currentUa: number;
  mx: number;
  my: number;
  mz: number;
  /** Barrier-normalised energy above the P/AP minimum (the "membrane potential"). */
  barrierFraction: number;
}

/** Heavy-metal current at time t (overlapping pulses add), µA. */
export function currentAt(pulses: readonly Pulse[], timePs: number): number {
  let i = 0;
  for (const p of pulses) if (timePs >= p.startPs && timePs < p.startPs + p.widthPs) i += p.currentUa;
  return i;
}

/**
 * Run a pulse train from the current state for `durationPs`, sampling every `samplePs`
 * (first sample at t = 0, last at the end). Pulse edges are rounded to whole steps.
 */
export function runPulseTrain(
  solver: MacrospinSolver,
  pulses: readonly Pulse[],
  durationPs: number,
  samplePs: number,
  rng: Rng | null,
): TraceSample[] {
  const dtS = solver.p.dtS;
  const cuts = new Set<number>([0, stepsIn(durationPs, dtS)]);
  for (const p of pulses) {
    cuts.add(stepsIn(p.startPs, dtS));
    cuts.add(stepsIn(p.startPs + p.widthPs, dtS));
  }
  const sampleEvery = Math.max(1, stepsIn(samplePs, dtS));
  const end = stepsIn(durationPs, dtS);
  for (let s = 0; s <= end; s += sampleEvery) cuts.add(s);
  const points = [...cuts].filter((s) => s <= end).sort((a, b) => a - b);
  const dtPs = dtS * 1e12;
  const out: TraceSample[] = [];
  const record = (step: number, currentUa: number) => {
    if (step % sampleEvery === 0 || step === end) {
      out.push({ timePs: step * dtPs, currentUa, mx: solver.mx, my: solver.my, mz: solver.mz, barrierFraction: solver.barrierFraction() });
    }
  };
  record(0, currentAt(pulses, 0));
  for (let i = 0; i + 1 < points.length; i++) {
    const i0 = points[i];
    const i1 = points[i + 1];
    const current = currentAt(pulses, (i0 + 0.5) * dtPs);
    solver.advance(current, i1 - i0, rng);
    record(i1, currentAt(pulses, i1 * dtPs));
  }
  return out;
}
