/**
 * Spike-frequency adaptation of a neuron (seed 001 §II.3, eq. 5): a slowly varying
 * adaptation variable a grows by Δa at every spike of the neuron and otherwise decays
 * with τ_adapt,
 *
 *   a(t) = Σ_k Δa·exp(−(t − t_k)/τ_adapt)     (t_k: the neuron's earlier spikes)
 *
 * and weakens the neuron, so one that fires often fires less. A typed registry keyed by
 * the testbench's `neuron.adaptation.kind` (a layer may override it):
 *
 *   leak        seed 001 eq. 5, τ·dV/dt = −V·(1 + a) + R·ΣI: the relaxation rate grows,
 *               leakTauNs / (1 + a) (a leak-free neuron stays leak-free)
 *   threshold   the adaptive threshold of Diehl & Cook 2015 (seed 001 ref. [17]): θ·(1 + a)
 *
 * The network step (network.ts, the one neuron stepper) asks for the parameters at the
 * start of every constant-drive segment and holds them through it — exact when a
 * segment (at most one integrate window, ns) is short against τ_adapt (µs in seed 001,
 * whose time constants are in µs); it tells the process every spike. Every vector starts
 * with a = 0 (the chip starts at rest, as after RESET).
 *
 *   const ad = startAdaptation({ kind: "threshold", increment: 0.5, tauAdaptNs: 100 });
 *   ad.spiked(1500);
 *   ad.paramsAt(p, 11_500).threshold   // p.threshold · (1 + 0.5·e^(−10/100))
 */
import type { AdaptationSpec, NeuronParams } from "./neuron/neuron-model.ts";

export type { AdaptationSpec };

/** Live adaptation state of one neuron during one simulation. */
export interface AdaptationProcess {
  /** The neuron's parameters for a segment that starts at `startPs`. */
  paramsAt(base: NeuronParams, startPs: number): NeuronParams;
  /** Tell the process the neuron spiked at `timePs`. */
  spiked(timePs: number): void;
}

type KindOf<K extends AdaptationSpec["kind"]> = Extract<AdaptationSpec, { kind: K }>;

/** How a kind weakens a neuron by a (≥ 0). */
export interface AdaptationKind<S extends AdaptationSpec> {
  readonly title: string;
  adapt(base: NeuronParams, a: number, spec: S): NeuronParams;
}

export const adaptationKinds: { readonly [K in AdaptationSpec["kind"]]: AdaptationKind<KindOf<K>> } = {
  leak: {
    title: "leak grows by (1 + a) (seed 001 eq. 5)",
    adapt: (p, a) => ({ ...p, leakTauNs: p.leakTauNs / (1 + a) }),
  },
  threshold: {
    title: "threshold grows by (1 + a) (adaptive threshold, Diehl & Cook 2015)",
    adapt: (p, a) => ({ ...p, threshold: p.threshold * (1 + a) }),
  },
};

/** Start the adaptation process of one neuron (a = 0). */
export function startAdaptation(spec: AdaptationSpec): AdaptationProcess {
  const kind = adaptationKinds[spec.kind] as AdaptationKind<AdaptationSpec>;
  let a = 0;
  let atPs = 0;
  const valueAt = (tPs: number) => (a === 0 ? 0 : a * Math.exp(-(tPs - atPs) / (spec.tauAdaptNs * 1000)));
  return {
    paramsAt(base, startPs) {
      const v = valueAt(startPs);
      return v === 0 ? base : kind.adapt(base, v, spec);
    },
    spiked(timePs) {
      a = valueAt(timePs) + spec.increment;
      atPs = timePs;
    },
  };
}
