/**
 * Parameters of the macrospin neuron (src/sim/neuron/macrospin-she-neuron.ts) from the
 * LLG device model, and its single-pulse threshold.
 *
 *   const p = macrospinNeuronParams(constants, switchDelayNs(constants, 40));
 *   onePulseThresholdUa(p, 1)       // ≈ 30 µA for seed002-she-eb20 (device I50 at 1 ns: 33.7 µA)
 *
 * Mapping (docs/device-model.md, "Macrospin neuron"):
 *   leakTauNs     = τ, the relaxation time of the barrier-normalised energy, (1+α²)/(αγ(H_k+H_⊥));
 *   gainPerUaNs   = 1/(I_c·τ), I_c the T = 0 anti-damping threshold of the heavy-metal current
 *                   (the linearised growth rate of the energy is (I/I_c − 1)/τ);
 *   restLevel     = k_BT/E_B (two quadratic modes hold k_BT at equilibrium);
 *   threshold     = 1 (the saddle); criticalCurrentUa = 0 (no dead band in the LLG);
 *   switchDelayNs = time from the saddle (x ≥ 1) to m_x > 0 on a T = 0 LLG trajectory
 *                   under a constant drive (`switchDelayNs`).
 */
import type { DeviceConstants } from "../sim/device/device-constants.ts";
import { llgParamsOf, MacrospinSolver } from "../sim/device/llg-solver.ts";
import { resetToP, stepsIn } from "../sim/device/pulse-train.ts";
import { macrospinSheStep } from "../sim/neuron/macrospin-she-neuron.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";

/** The macrospin neuron's parameters from a device (see the header). */
export function macrospinNeuronParams(c: DeviceConstants, switchDelayNs: number): Required<Pick<NeuronParams, "criticalCurrentUa" | "gainPerUaNs" | "leakTauNs" | "threshold" | "restLevel" | "switchDelayNs">> {
  return {
    criticalCurrentUa: 0,
    gainPerUaNs: 1 / (c.criticalCurrentUa * c.relaxationTauNs),
    leakTauNs: c.relaxationTauNs,
    threshold: 1,
    restLevel: 1 / c.energyBarrierKt,
    switchDelayNs,
  };
}

/**
 * Time from the saddle crossing (barrier fraction ≥ 1) to m_x > 0 under a constant
 * heavy-metal current, on a T = 0 trajectory from the 300 K rms tilt, ns. Throws a
 * RangeError when the current does not switch the device within `maxNs`.
 */
export function switchDelayNs(c: DeviceConstants, currentUa: number, maxNs = 20): number {
  const s = new MacrospinSolver(llgParamsOf(c, { temperatureK: 0 }));
  resetToP(s, null);
  const chunk = Math.max(1, stepsIn(1, s.p.dtS)); // 1 ps
  const dtPs = chunk * s.p.dtS * 1e12;
  let saddlePs = -1;
  for (let t = 0; t < maxNs * 1000; t += dtPs) {
    s.advance(currentUa, chunk, null);
    if (saddlePs < 0 && s.barrierFraction() >= 1) saddlePs = t + dtPs;
    if (s.mx > 0) return (t + dtPs - Math.max(saddlePs, 0)) / 1000;
  }
  throw new RangeError(`${c.id}: ${currentUa} µA does not switch the device within ${maxNs} ns at T = 0`);
}

/** Smallest constant current (µA) whose single pulse of `pulseNs` from rest makes the neuron switch. */
export function onePulseThresholdUa(p: NeuronParams, pulseNs: number): number {
  const fires = (i: number) => {
    const r = macrospinSheStep({ x: p.restLevel ?? 0 }, i, { ...p, switchDelayNs: 0 }, pulseNs);
    return r.firedAtNs !== null;
  };
  let lo = p.criticalCurrentUa;
  let hi = Math.max(1, 2 * lo);
  while (!fires(hi)) hi *= 2;
  for (let k = 0; k < 100 && hi - lo > 1e-12 * hi; k++) {
    const m = (lo + hi) / 2;
    if (fires(m)) hi = m;
    else lo = m;
  }
  return hi;
}
