/**
 * The device neuron under the network's window timing: each coding window is a write
 * pulse of the integrate window (IW) followed by the leaky window (LW) at zero current,
 * and the neuron is read at the end of the window — fired when the free layer sits on
 * the AP side (m_x > 0), as the read phase of seed 002 fig. 4 would see it.
 *
 *   runWindowTrain(solver, [108, 0, 108], 1000, 9000, 0.39, rng)  → 2 (fired in window 2) or −1
 *
 * Long leaky windows are not integrated step by step to the end: once the free layer
 * is captured by a well (barrier fraction < ½) and at least `EQUILIBRATED_TAUS`
 * relaxation times of the window remain, the rest of the window is replaced by a fresh
 * draw from that well's Boltzmann distribution — what the relaxation would converge to.
 * This drops only thermal escapes over the barrier during the skipped time (rate about
 * 1/(1 ns)·e^(−E_B/k_BT): below 1e−3 per 10 ns window for E_B ≥ 10 k_BT). At T = 0
 * every step is integrated.
 */
import type { Rng } from "../rng.ts";
import type { MacrospinSolver } from "./llg-solver.ts";
import { CAPTURED_BARRIER_FRACTION, resetToP, stepsIn } from "./pulse-train.ts";

/** Remaining relaxation times after capture beyond which the rest of a window is equilibrium. */
export const EQUILIBRATED_TAUS = 10;

/**
 * Run windows with the given write-pulse amplitudes (0 = no pulse) from a fresh P state;
 * stop at the first spike. Returns the index of the window that fired, or −1.
 */
export function runWindowTrain(
  solver: MacrospinSolver,
  amplitudesUa: readonly number[],
  iwPs: number,
  lwPs: number,
  relaxationTauNs: number,
  rng: Rng | null,
): number {
  const dtS = solver.p.dtS;
  const iwSteps = stepsIn(iwPs, dtS);
  const lwSteps = stepsIn(lwPs, dtS);
  const chunk = Math.max(1, stepsIn(20, dtS));
  const equilibratedSteps = stepsIn(EQUILIBRATED_TAUS * relaxationTauNs * 1000, dtS);
  const thermal = solver.p.thermalSigma > 0 && rng !== null;
  resetToP(solver, rng);
  for (let w = 0; w < amplitudesUa.length; w++) {
    solver.advance(amplitudesUa[w], iwSteps, rng);
    let done = 0;
    while (done < lwSteps) {
      const n = Math.min(chunk, lwSteps - done);
      solver.advance(0, n, rng);
      done += n;
      if (thermal && lwSteps - done >= equilibratedSteps && solver.barrierFraction() < CAPTURED_BARRIER_FRACTION) {
        const ap = solver.mx > 0;
        resetToP(solver, rng);
        if (ap) solver.setState(-solver.mx, solver.my, solver.mz);
        break;
      }
    }
    if (solver.mx > 0) return w;
  }
  return -1;
}
