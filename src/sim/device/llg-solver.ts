/**
 * Stochastic macrospin Landau-Lifshitz-Gilbert-Slonczewski solver (seed 002 eq. 2) for
 * the free layer of an MTJ spin-Hall neuron.
 *
 *   (1+α²)/γ · dm/dt = −m×H − α m×(m×H) + α m×h_s − m×(m×h_s)
 *   H = H_eff + H_th,  H_eff = (c_x m_x, c_y m_y, c_z m_z) + H_ext,  h_s = (ħ I_s / 2qμ0M_sV)·p̂
 *   H_th = √(α/(1+α²) · 2k_BT/(γ μ0 M_s V δt)) · N(0,1) per component and step (DOMAIN.md;
 *          the device file may select Brown's 2αk_BT/(γμ0M_sVδt) instead — for eq. 2 that is
 *          the variance that equilibrates at T, the seed's at T/(1+α²))
 *
 * The right-hand side is a rotation, dm/dt = ω(m) × m with
 *   ω = γ'·(H + α m×H − α h_s + m×h_s),  γ' = γ/(1+α²),
 * so each step is a rotation and |m| = 1 holds to round-off without renormalising.
 * Stochastic Heun on the rotation group (Stratonovich): ω₁ = ω(m_n), m̃ = Cay(ω₁δt)·m_n,
 * ω₂ = ω(m̃) with the same noise sample, m_{n+1} = Cay(½(ω₁+ω₂)δt)·m_n, where the Cayley
 * map Cay(ωδt)·m = m + 2/(1+|a|²)·(a×m + a×(a×m)), a = ωδt/2, is an exact rotation
 * (second-order accurate angle). Deterministic when T = 0. The inner loop works on plain
 * numbers only — no objects are allocated per step.
 *
 *   const s = new MacrospinSolver(llgParamsOf(constants));
 *   s.setState(-1, 0.01, 0); s.advance(71, 1000, rng);   // 1000 steps at 71 µA
 */
import type { Rng } from "../rng.ts";
import { REFERENCE_TEMPERATURE_K, type DeviceConstants } from "./device-constants.ts";
import { BOLTZMANN, GYROMAGNETIC_RATIO, MU0 } from "./physical-constants.ts";
import { zigguratNormal } from "./ziggurat-normal.ts";

/** Plain-number parameters of the integrator (SI: A/m, s). */
export interface LlgParams {
  /** γ/(1+α²), rad/(s·A/m). */
  gammaPrime: number;
  alpha: number;
  /** Linear effective-field coefficients, A/m. */
  cx: number;
  cy: number;
  cz: number;
  /** External field, A/m. */
  hx: number;
  hy: number;
  hz: number;
  /** Spin polarisation unit vector. */
  px: number;
  py: number;
  pz: number;
  /** Spin-torque field per µA of heavy-metal current, A/m. */
  spinFieldPerUa: number;
  /** Standard deviation of each thermal-field component for one step, A/m (0 at T = 0). */
  thermalSigma: number;
  /** k_B·T/(μ0·M_s·V), A/m: the equilibrium variance of m_y is this over the stiffness. */
  thermalFieldScale: number;
  /** k_B·300 K/(μ0·M_s·V), A/m (sets the starting tilt of T = 0 runs). */
  referenceThermalFieldScale: number;
  /** Step, s. */
  dtS: number;
}

export interface LlgOptions {
  /** Override the device temperature, K. */
  temperatureK?: number;
  /** Override the device time step, ps (at most 1). */
  timeStepPs?: number;
}

/** Integrator parameters of a device at its (or a given) temperature and step. */
export function llgParamsOf(c: DeviceConstants, o: LlgOptions = {}): LlgParams {
  const temperatureK = o.temperatureK ?? c.temperatureK;
  const dtPs = o.timeStepPs ?? c.timeStepPs;
  if (!(dtPs > 0 && dtPs <= 1)) throw new RangeError(`time step ${dtPs} ps: must be in (0, 1] ps`);
  const dtS = dtPs * 1e-12;
  const alpha = c.damping;
  const msV = MU0 * c.saturationMagnetizationAPerM * c.volumeM3;
  const dampingFactor = c.thermalField === "seed-002" ? alpha / (1 + alpha * alpha) : alpha;
  const variance = (dampingFactor * 2 * BOLTZMANN * temperatureK) / (GYROMAGNETIC_RATIO * msV * dtS);
  return {
    gammaPrime: GYROMAGNETIC_RATIO / (1 + alpha * alpha),
    alpha,
    cx: c.cxAPerM,
    cy: c.cyAPerM,
    cz: c.czAPerM,
    hx: c.appliedFieldAPerM[0],
    hy: c.appliedFieldAPerM[1],
    hz: c.appliedFieldAPerM[2],
    px: 1,
    py: 0,
    pz: 0,
    spinFieldPerUa: c.spinFieldAPerMPerUa,
    thermalSigma: Math.sqrt(variance),
    thermalFieldScale: (BOLTZMANN * temperatureK) / msV,
    referenceThermalFieldScale: (BOLTZMANN * REFERENCE_TEMPERATURE_K) / msV,
    dtS,
  };
}

/** A macrospin with its integrator; `m` is the unit magnetisation (mutated in place). */
export class MacrospinSolver {
  readonly p: LlgParams;
  mx = -1;
  my = 0;
  mz = 0;
  /** Largest | |m|² − 1 | seen after any step since the last reset (norm-drift monitor). */
  maxNormError = 0;
  /** Record maxNormError (costs a few flops per step; tests switch it on). */
  monitorNorm = false;

  constructor(p: LlgParams) {
    this.p = p;
  }

  setState(mx: number, my: number, mz: number): void {
    const n = Math.sqrt(mx * mx + my * my + mz * mz);
    this.mx = mx / n;
    this.my = my / n;
    this.mz = mz / n;
    this.maxNormError = 0;
  }

  /** Advance `steps` steps at a constant heavy-metal current; rng may be null only at T = 0. */
  advance(currentUa: number, steps: number, rng: Rng | null): void {
    const p = this.p;
    const g = p.gammaPrime;
    const al = p.alpha;
    const half = 0.5 * p.dtS;
    const cx = p.cx;
    const cy = p.cy;
    const cz = p.cz;
    const s = p.spinFieldPerUa * currentUa;
    const sx = s * p.px;
    const sy = s * p.py;
    const sz = s * p.pz;
    const sigma = p.thermalSigma;
    if (sigma > 0 && rng === null) throw new Error("MacrospinSolver.advance: T > 0 needs an rng");
    let mx = this.mx;
    let my = this.my;
    let mz = this.mz;
    let maxErr = this.maxNormError;
    const monitor = this.monitorNorm;
    const thermal = sigma > 0;
    const hx0 = p.hx;
    const hy0 = p.hy;
    const hz0 = p.hz;
    for (let n = 0; n < steps; n++) {
      let bx = hx0;
      let by = hy0;
      let bz = hz0;
      if (thermal) {
        bx += sigma * zigguratNormal(rng!);
        by += sigma * zigguratNormal(rng!);
        bz += sigma * zigguratNormal(rng!);
      }
      // ω₁ at m_n
      let hx = cx * mx + bx;
      let hy = cy * my + by;
      let hz = cz * mz + bz;
      let w1x = g * (hx + al * (my * hz - mz * hy) - al * sx + (my * sz - mz * sy));
      let w1y = g * (hy + al * (mz * hx - mx * hz) - al * sy + (mz * sx - mx * sz));
      let w1z = g * (hz + al * (mx * hy - my * hx) - al * sz + (mx * sy - my * sx));
      // predictor m̃ = Cay(ω₁δt)·m_n
      let ax = w1x * half;
      let ay = w1y * half;
      let az = w1z * half;
      let k = 2 / (1 + ax * ax + ay * ay + az * az);
      let cxm = ay * mz - az * my;
      let cym = az * mx - ax * mz;
      let czm = ax * my - ay * mx;
      const qx = mx + k * (cxm + (ay * czm - az * cym));
      const qy = my + k * (cym + (az * cxm - ax * czm));
      const qz = mz + k * (czm + (ax * cym - ay * cxm));
      // ω₂ at m̃, same noise
      hx = cx * qx + bx;
      hy = cy * qy + by;
      hz = cz * qz + bz;
      const w2x = g * (hx + al * (qy * hz - qz * hy) - al * sx + (qy * sz - qz * sy));
      const w2y = g * (hy + al * (qz * hx - qx * hz) - al * sy + (qz * sx - qx * sz));
      const w2z = g * (hz + al * (qx * hy - qy * hx) - al * sz + (qx * sy - qy * sx));
      // corrector m_{n+1} = Cay(½(ω₁+ω₂)δt)·m_n
      w1x = 0.5 * (w1x + w2x);
      w1y = 0.5 * (w1y + w2y);
      w1z = 0.5 * (w1z + w2z);
      ax = w1x * half;
      ay = w1y * half;
      az = w1z * half;
      k = 2 / (1 + ax * ax + ay * ay + az * az);
      cxm = ay * mz - az * my;
      cym = az * mx - ax * mz;
      czm = ax * my - ay * mx;
      const nx = mx + k * (cxm + (ay * czm - az * cym));
      const ny = my + k * (cym + (az * cxm - ax * czm));
      const nz = mz + k * (czm + (ax * cym - ay * cxm));
      mx = nx;
      my = ny;
      mz = nz;
      if (monitor) {
        const e = Math.abs(mx * mx + my * my + mz * mz - 1);
        if (e > maxErr) maxErr = e;
      }
    }
    this.mx = mx;
    this.my = my;
    this.mz = mz;
    this.maxNormError = maxErr;
  }

  /**
   * Energy above the P/AP minimum in units of the in-plane barrier (0 at rest, 1 at the
   * hard-axis saddle): e = m_y² + (H_⊥/H_k)·m_z². This is the device's "membrane potential".
   */
  barrierFraction(): number {
    const p = this.p;
    const a = p.cx - p.cy;
    const b = p.cx - p.cz;
    return this.my * this.my + (b / a) * this.mz * this.mz;
  }
}
