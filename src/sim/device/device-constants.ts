/**
 * Derived constants of an MTJ spin-Hall neuron device: everything the macrospin
 * solver and the reports need, computed once from a device file (SI inside, units
 * in every name).
 *
 *   const c = deriveDeviceConstants(loadDeviceFile("devices/seed002-she-eb20.json"));
 *   c.energyBarrierKt      // 21.2  (μ0·M_s·H_k·V / 2, in k_B·T)
 *   c.criticalCurrentUa    // 14.0  (T = 0 anti-damping threshold of the heavy-metal current)
 *
 * Effective field (x easy axis, y current direction, z film normal):
 *   H_eff = H_k,ind·m_x·x̂ − M_s·(N_x m_x, N_y m_y, N_z m_z) + H_ext = (c_x m_x, c_y m_y, c_z m_z) + H_ext
 * In-plane anisotropy field H_k = H_k,ind + M_s(N_y − N_x); out-of-plane stiffness
 * H_⊥ = H_k + M_s(N_z − N_y). Energy barrier E_B = μ0·M_s·H_k·V/2.
 * Spin-Hall torque (seed 002 eq. 2): I_s = θ_SH·(W_MTJ/t_HM)·I_Q along +x, acting as the
 * field h_s = ħ·I_s/(2q·μ0·M_s·V). Linearising eq. 2 around P (m = −x̂) gives
 *   growth rate of small precession = γ'·(h_s − α(H_k + H_⊥)/2),  γ' = γ/(1 + α²),
 * hence the T = 0 critical spin current I_s,c = (2q/ħ)·α·μ0·M_s·V·(H_k + H_⊥)/2 and the
 * relaxation rate of the barrier-normalised energy 2Γ = α·γ'·(H_k + H_⊥) (its inverse is
 * the physical "leak" time constant of the neuron).
 */
import { FormatError } from "../../formats/format-error.ts";
import type { DeviceFile } from "../../formats/device-format.ts";
import { ellipticDiscDemagFactors, type DemagFactors } from "./demagnetisation.ts";
import { BOLTZMANN, ELEMENTARY_CHARGE, GYROMAGNETIC_RATIO, HBAR, MU0 } from "./physical-constants.ts";

export interface DeviceConstants {
  id: string;
  temperatureK: number;
  /** Free-layer volume V = π/4·L·W·t, m³. */
  volumeM3: number;
  demag: DemagFactors;
  saturationMagnetizationAPerM: number;
  damping: number;
  /** M_s(N_y − N_x), A/m. */
  shapeAnisotropyFieldAPerM: number;
  /** Induced uniaxial anisotropy field along x, A/m. */
  inducedAnisotropyFieldAPerM: number;
  /** Total in-plane anisotropy field H_k, A/m. */
  anisotropyFieldAPerM: number;
  /** Out-of-plane stiffness H_⊥ = H_k + M_s(N_z − N_y), A/m. */
  outOfPlaneFieldAPerM: number;
  /** E_B = μ0·M_s·H_k·V/2, J. */
  energyBarrierJ: number;
  /** E_B / (k_B·T) at temperatureK (at 300 K when temperatureK is 0). */
  energyBarrierKt: number;
  /** I_s / I_Q = θ_SH·W_MTJ/t_HM. */
  spinCurrentRatio: number;
  /** Spin-torque field per µA of heavy-metal charge current, A/m. */
  spinFieldAPerMPerUa: number;
  /** T = 0 critical spin current, µA. */
  criticalSpinCurrentUa: number;
  /** T = 0 critical heavy-metal charge current (long-pulse anti-damping threshold), µA. */
  criticalCurrentUa: number;
  /** Relaxation time of the barrier-normalised energy (the neuron's leak), ns. */
  relaxationTauNs: number;
  /** Small-angle precession frequency around P, GHz (0 when the relaxation is overdamped). */
  precessionGhz: number;
  /** Heavy-metal resistance ρ·L/(W·t), ohms (null without a resistivity). */
  heavyMetalOhms: number | null;
  /** Field coefficients c_x, c_y, c_z of H_eff, A/m. */
  cxAPerM: number;
  cyAPerM: number;
  czAPerM: number;
  /** External field, A/m. */
  appliedFieldAPerM: [number, number, number];
  timeStepPs: number;
  settlePs: number;
  /** Variance convention of the thermal field (see the device format). */
  thermalField: "seed-002" | "fluctuation-dissipation";
}

/** Temperature used to express E_B in k_B·T when the device runs at T = 0. */
export const REFERENCE_TEMPERATURE_K = 300;

/** Derive every constant of a device; throws a located FormatError for a device without a stable P state. */
export function deriveDeviceConstants(d: DeviceFile, file = d.id): DeviceConstants {
  const fl = d.freeLayer;
  const ms = fl.saturationMagnetizationKaPerM * 1e3;
  const alpha = fl.damping;
  const volumeM3 = (Math.PI / 4) * fl.lengthNm * fl.widthNm * fl.thicknessNm * 1e-27;
  const demag = ellipticDiscDemagFactors(fl.lengthNm, fl.widthNm, fl.thicknessNm);
  const shape = ms * (demag.ny - demag.nx);
  const kTRef = BOLTZMANN * (d.temperatureK > 0 ? d.temperatureK : REFERENCE_TEMPERATURE_K);
  let induced = 0;
  const ua = fl.uniaxialAnisotropy;
  if (ua && "fieldKaPerM" in ua) induced = ua.fieldKaPerM * 1e3;
  if (ua && "energyBarrierKt" in ua) {
    const hkTotal = (2 * ua.energyBarrierKt * kTRef) / (MU0 * ms * volumeM3);
    induced = hkTotal - shape;
    if (induced < 0) {
      throw new FormatError({
        file,
        where: "freeLayer.uniaxialAnisotropy.energyBarrierKt",
        expected: `at least the shape anisotropy's barrier (${((MU0 * ms * shape * volumeM3) / (2 * kTRef)).toFixed(2)} k_BT)`,
        found: String(ua.energyBarrierKt),
        hint: "an induced anisotropy cannot lower the barrier; drop uniaxialAnisotropy or raise the value",
      });
    }
  }
  const hk = induced + shape;
  if (!(hk > 0)) {
    throw new FormatError({
      file,
      where: "freeLayer",
      expected: "an in-plane easy axis (H_k > 0): lengthNm > widthNm, or a uniaxialAnisotropy",
      found: `H_k = ${hk.toFixed(1)} A/m (${fl.lengthNm}×${fl.widthNm} nm)`,
      hint: "a circular or square free layer has no shape anisotropy; state the induced anisotropy you assume",
    });
  }
  const hPerp = hk + ms * (demag.nz - demag.ny);
  const gammaPrime = GYROMAGNETIC_RATIO / (1 + alpha * alpha);
  const energyBarrierJ = (MU0 * ms * hk * volumeM3) / 2;
  const spinCurrentRatio = (d.heavyMetal.spinHallAngle * fl.widthNm) / d.heavyMetal.thicknessNm;
  const fieldPerSpinAmp = HBAR / (2 * ELEMENTARY_CHARGE * MU0 * ms * volumeM3);
  const hsCritical = (alpha * (hk + hPerp)) / 2;
  const criticalSpinCurrentA = hsCritical / fieldPerSpinAmp;
  const hmLengthNm = d.heavyMetal.lengthNm ?? fl.widthNm;
  const hmWidthNm = d.heavyMetal.widthNm ?? fl.lengthNm;
  const rho = d.heavyMetal.resistivityMicroOhmCm;
  const [hx, hy, hz] = d.appliedFieldKaPerM;
  return {
    id: d.id,
    temperatureK: d.temperatureK,
    volumeM3,
    demag,
    saturationMagnetizationAPerM: ms,
    damping: alpha,
    shapeAnisotropyFieldAPerM: shape,
    inducedAnisotropyFieldAPerM: induced,
    anisotropyFieldAPerM: hk,
    outOfPlaneFieldAPerM: hPerp,
    energyBarrierJ,
    energyBarrierKt: energyBarrierJ / kTRef,
    spinCurrentRatio,
    spinFieldAPerMPerUa: fieldPerSpinAmp * spinCurrentRatio * 1e-6,
    criticalSpinCurrentUa: criticalSpinCurrentA * 1e6,
    criticalCurrentUa: (criticalSpinCurrentA / spinCurrentRatio) * 1e6,
    relaxationTauNs: 1e9 / (alpha * gammaPrime * (hk + hPerp)),
    precessionGhz: (gammaPrime * Math.sqrt(Math.max(0, hk * hPerp - ((alpha * (hPerp - hk)) / 2) ** 2))) / (2 * Math.PI) / 1e9,
    heavyMetalOhms: rho === undefined ? null : (rho * 1e-8 * hmLengthNm) / (hmWidthNm * d.heavyMetal.thicknessNm * 1e-9),
    cxAPerM: induced - ms * demag.nx,
    cyAPerM: -ms * demag.ny,
    czAPerM: -ms * demag.nz,
    appliedFieldAPerM: [hx * 1e3, hy * 1e3, hz * 1e3],
    timeStepPs: d.simulation.timeStepPs,
    settlePs: d.simulation.settlePs,
    thermalField: d.simulation.thermalField,
  };
}
