/**
 * Lateral inhibition of a layer (seed 002, "Spiking Neural Network based on MTJ
 * neurons"; seed 001 §IV): when a neuron of the layer spikes, an inhibitory signal
 * stops neurons of the layer from spiking for τ_inh. A typed registry keyed by the
 * testbench's `layers[i].inhibition.kind`; each kind keeps a small state the network
 * step (network.ts, `simulateLayer`) asks before every segment and tells after it.
 *
 *   common   one inhibitory signal shared by the whole layer (seed 002 fig. 5(a), table
 *            II: τ_inh = 50 time steps of 0.5 ns = 25 ns). A spike at t inhibits every
 *            neuron of the layer (the spiking one too) for segments that start in
 *            [t, t + τ_inh); spikes in the same segment are simultaneous and all count.
 *
 * An inhibited neuron's write path is held off: it sees no heavy-metal current for that
 * segment, so it relaxes (leaks) and cannot switch — the model's own step with 0 µA.
 * Homeostasis (the paper's learning-time input scaling) is off at test, as in the paper
 * (fig. 5(d)), so it is not part of the network model.
 *
 *   const inh = startInhibition({ kind: "common", tauInhNs: 25 }, 9);
 *   inh.blocks(3, 1000);   // false: nobody has spiked
 *   inh.spiked(0, 1500);   // neuron 0 spiked at 1.5 ns
 *   inh.blocks(3, 2000);   // true until 26.5 ns
 */
import type { InhibitionSpec } from "../formats/testbench-format.ts";

/** Live inhibition state of one layer during one simulation. */
export interface InhibitionProcess {
  /** Whether neuron `col` is inhibited for a segment that starts at `startPs`. */
  blocks(col: number, startPs: number): boolean;
  /** Tell the process that neuron `col` spiked at `timePs`. */
  spiked(col: number, timePs: number): void;
}

type KindOf<K extends InhibitionSpec["kind"]> = Extract<InhibitionSpec, { kind: K }>;

/** One inhibition kind: how it starts for a layer of `cols` neurons. */
export interface InhibitionKind<S extends InhibitionSpec> {
  readonly title: string;
  start(spec: S, cols: number): InhibitionProcess;
}

export const inhibitionKinds: { readonly [K in InhibitionSpec["kind"]]: InhibitionKind<KindOf<K>> } = {
  common: {
    title: "common inhibitory signal for τ_inh after any spike of the layer (seed 002)",
    start(spec) {
      const tauPs = spec.tauInhNs * 1000;
      let untilPs = Number.NEGATIVE_INFINITY;
      return {
        blocks: (_col, startPs) => startPs < untilPs,
        spiked: (_col, timePs) => {
          untilPs = Math.max(untilPs, timePs + tauPs);
        },
      };
    },
  },
};

export type InhibitionKindId = keyof typeof inhibitionKinds;

/** Start the inhibition process of a layer. */
export function startInhibition(spec: InhibitionSpec, cols: number): InhibitionProcess {
  return (inhibitionKinds[spec.kind] as unknown as InhibitionKind<InhibitionSpec>).start(spec, cols);
}
