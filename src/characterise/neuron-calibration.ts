/**
 * Calibration of the behavioural MTJ-SHE neuron (src/sim/neuron/) to the macrospin
 * device model, at a testbench's window timing, and the check of how well it agrees.
 *
 *   const cal = await calibrateNeuron(device, bench, runner, { seed: 1 });
 *   cal.params        // { model: "lif-she", criticalCurrentUa, gainPerUaNs, leakTauNs, threshold: 1, sigmoidWidth }
 *   cal.agreement     // { spikeAgreement: 0.97, … } over random pulse trains
 *
 * Mapping (docs/device-model.md):
 *   leakTauNs         = the device's relaxation time of the barrier-normalised energy,
 *                       (1 + α²)/(α·γ·(H_k + H_⊥)) — the physical leak, not fitted;
 *   criticalCurrentUa, gainPerUaNs (threshold 1): the LIF threshold current
 *                       I_th(T) = I_c + 1/(g·τ·(1 − e^(−T/τ))) is matched to the device's
 *                       50 % switching current at the bench IW and at a second pulse width
 *                       (iwRangePs[0], else IW/2); when that needs I_c < 0 the LIF cannot
 *                       follow the macrospin's ~1/T law with the physical τ, so I_c falls
 *                       back to the device's T = 0 critical current and g matches the
 *                       bench IW alone (reported in `fitNote`);
 *   sigmoidWidth      = device logistic scale at the bench IW / (I50 − I_c), so the
 *                       stochastic model's single-pulse P_sw(I) has the device's width.
 * Agreement (neuron-agreement.ts): random trains at the bench timing with pulses up to
 * 2·I50, scored with every behavioural model on the same device runs — the deterministic
 * model cannot represent sub-threshold pulses whose switching chances add up over a
 * train, the stochastic one can.
 */
import type { Testbench } from "../formats/testbench-format.ts";
import type { DeviceFile } from "../formats/device-format.ts";
import { deriveDeviceConstants, type DeviceConstants } from "../sim/device/device-constants.ts";
import { neuronModels, type NeuronModelId } from "../sim/neuron/neuron-registry.ts";
import { mixSeed } from "../sim/rng.ts";
import { macrospinNeuronParams, onePulseThresholdUa, switchDelayNs } from "./macrospin-calibration.ts";
import { currentGrid, findTransition, measureSwitchingCurve, type SwitchingCurve } from "./switching-curve.ts";
import { runDeviceTrains, scoreAgreement, type AgreementOptions, type CalibrationAgreement } from "./neuron-agreement.ts";
import type { DeviceJobRunner } from "./worker-pool.ts";

export interface CalibrationOptions extends AgreementOptions {
  /** Behavioural model to calibrate (default: the testbench's). */
  model?: NeuronModelId;
  /** Trials per current of the switching curves (default 200). */
  curveTrials?: number;
  /** Currents per switching curve (default 10). */
  curvePoints?: number;
}

/** Behavioural parameters written into the testbench. */
export interface CalibratedNeuronParams {
  model: NeuronModelId;
  criticalCurrentUa: number;
  gainPerUaNs: number;
  leakTauNs: number;
  threshold: number;
  sigmoidWidth: number;
  /** macrospin-she only (macrospin-calibration.ts). */
  restLevel?: number;
  switchDelayNs?: number;
}

/** Frozen record of one calibration. */
export interface NeuronCalibration {
  deviceId: string;
  testbenchId: string;
  iwPs: number;
  lwPs: number;
  secondPulsePs: number;
  device: { criticalCurrentUa: number; relaxationTauNs: number; energyBarrierKt: number };
  curves: { bench: SwitchingCurve; second: SwitchingCurve };
  params: CalibratedNeuronParams;
  /** I50 the calibrated LIF predicts at the second pulse width, µA. */
  predictedSecondI50Ua: number;
  fitNote: string | null;
  /** Agreement of the calibrated model. */
  agreement: CalibrationAgreement;
  /** The same device trains scored with every behavioural model and the calibrated parameters. */
  agreementByModel: Record<NeuronModelId, CalibrationAgreement>;
}

async function curveAt(c: DeviceConstants, runner: DeviceJobRunner, pulsePs: number, o: CalibrationOptions): Promise<SwitchingCurve> {
  const range = await findTransition(c, runner, { ...o, pulsePs, seed: mixSeed(o.seed, 1) });
  const currentsUa = currentGrid(range.lowUa, range.highUa, o.curvePoints ?? 10);
  return measureSwitchingCurve(c, runner, { ...o, currentsUa, pulsePs, trials: o.curveTrials ?? 200, seed: mixSeed(o.seed, 2) });
}

/**
 * Fit the LIF parameters to two device midpoints (see the header). When the two-point
 * fit is impossible (it needs I_c < 0, or the pulses are equivalent because τ ≪ both),
 * I_c falls back to the device's T = 0 critical current `deviceIcUa` (or 0 if that is
 * not below the bench midpoint) and g matches the bench IW alone.
 */
export function fitLifToMidpoints(
  tauNs: number,
  first: { pulseNs: number; i50Ua: number },
  second: { pulseNs: number; i50Ua: number },
  deviceIcUa: number,
): { criticalCurrentUa: number; gainPerUaNs: number; note: string | null } {
  const f = (tNs: number) => tauNs * (1 - Math.exp(-tNs / tauNs));
  const spread = 1 / f(second.pulseNs) - 1 / f(first.pulseNs);
  const invG = (second.i50Ua - first.i50Ua) / spread;
  const ic = first.i50Ua - invG / f(first.pulseNs);
  if (Math.abs(spread) * f(first.pulseNs) > 1e-3 && Number.isFinite(invG) && invG > 0 && ic >= 0) {
    return { criticalCurrentUa: ic, gainPerUaNs: 1 / invG, note: null };
  }
  const fallback = deviceIcUa < first.i50Ua ? deviceIcUa : 0;
  const why =
    Math.abs(spread) * f(first.pulseNs) <= 1e-3
      ? `the leak τ = ${tauNs.toPrecision(3)} ns is much shorter than both pulses, so they constrain only I_c + 1/(g·τ)`
      : `matching both midpoints needs I_c = ${ic.toFixed(1)} µA < 0: with the physical leak τ = ${tauNs.toPrecision(3)} ns the ` +
        `LIF threshold saturates faster than the macrospin's ~1/t_pulse law`;
  return {
    criticalCurrentUa: fallback,
    gainPerUaNs: 1 / ((first.i50Ua - fallback) * f(first.pulseNs)),
    note: `${why}; I_c is set to ${fallback === 0 ? "0" : "the device's T = 0 critical current"} (${fallback.toFixed(1)} µA) and the gain matches the bench IW only`,
  };
}

/** Calibrate the behavioural neuron of `bench` to `device`. */
export async function calibrateNeuron(
  device: DeviceFile,
  bench: Testbench,
  runner: DeviceJobRunner,
  o: CalibrationOptions,
): Promise<NeuronCalibration> {
  const c = deriveDeviceConstants(device);
  const iwPs = bench.timing.iwPs;
  const lwPs = bench.timing.lwPs;
  const r = bench.timing.iwRangePs;
  const secondPulsePs = r && r[0] < iwPs ? r[0] : Math.round(iwPs / 2);
  const benchCurve = await curveAt(c, runner, iwPs, o);
  const secondCurve = await curveAt(c, runner, secondPulsePs, o);
  const tau = c.relaxationTauNs;
  const i50 = benchCurve.fit.midpointUa;
  const fit = fitLifToMidpoints(
    tau,
    { pulseNs: iwPs / 1000, i50Ua: i50 },
    { pulseNs: secondPulsePs / 1000, i50Ua: secondCurve.fit.midpointUa },
    c.criticalCurrentUa,
  );
  const model = o.model ?? bench.neuron.model;
  const lifParams: CalibratedNeuronParams = {
    model,
    criticalCurrentUa: fit.criticalCurrentUa,
    gainPerUaNs: fit.gainPerUaNs,
    leakTauNs: tau,
    threshold: 1,
    sigmoidWidth: benchCurve.fit.scaleUa / (i50 - fit.criticalCurrentUa),
  };
  // The macrospin neuron takes every parameter from the device (macrospin-calibration.ts); the delay at the bench I50.
  const macrospinParams: CalibratedNeuronParams = { model, ...macrospinNeuronParams(c, switchDelayNs(c, i50)), sigmoidWidth: lifParams.sigmoidWidth };
  const paramsFor = (id: NeuronModelId) => (id === "macrospin-she" ? macrospinParams : lifParams);
  const params = paramsFor(model);
  const f2 = tau * (1 - Math.exp(-secondPulsePs / 1000 / tau));
  const predictedSecondI50Ua =
    model === "macrospin-she" ? onePulseThresholdUa(params, secondPulsePs / 1000) : params.criticalCurrentUa + 1 / (params.gainPerUaNs * f2);

  const run = await runDeviceTrains(c, runner, { ...o, iwPs, lwPs, maxAmplitudeUa: 2 * i50 });
  const agreementByModel = Object.fromEntries(
    (Object.keys(neuronModels) as NeuronModelId[]).map((id) => [id, scoreAgreement(run, id, paramsFor(id))]),
  ) as Record<NeuronModelId, CalibrationAgreement>;
  return {
    deviceId: device.id,
    testbenchId: bench.id,
    iwPs,
    lwPs,
    secondPulsePs,
    device: { criticalCurrentUa: c.criticalCurrentUa, relaxationTauNs: tau, energyBarrierKt: c.energyBarrierKt },
    curves: { bench: benchCurve, second: secondCurve },
    params,
    predictedSecondI50Ua,
    fitNote: model === "macrospin-she" ? null : fit.note,
    agreement: agreementByModel[model],
    agreementByModel,
  };
}

