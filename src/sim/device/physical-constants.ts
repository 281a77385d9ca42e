/**
 * Physical constants (CODATA 2018, SI) used by the macrospin device model.
 *
 *   const gamma = GYROMAGNETIC_RATIO; // 2μ_B·μ0/ħ ≈ 2.2128e5 m/(A·s), seed 002 eq. 1
 */

/** Vacuum permeability μ0, T·m/A. */
export const MU0 = 1.25663706212e-6;
/** Bohr magneton μ_B, J/T. */
export const BOHR_MAGNETON = 9.2740100783e-24;
/** Reduced Planck constant ħ, J·s. */
export const HBAR = 1.054571817e-34;
/** Elementary charge q, C. */
export const ELEMENTARY_CHARGE = 1.602176634e-19;
/** Boltzmann constant k_B, J/K. */
export const BOLTZMANN = 1.380649e-23;
/**
 * Gyromagnetic ratio of the electron as seed 002 defines it, γ = 2μ_B·μ0/ħ, in m/(A·s):
 * it multiplies fields in A/m and already contains μ0.
 */
export const GYROMAGNETIC_RATIO = (2 * BOHR_MAGNETON * MU0) / HBAR;
