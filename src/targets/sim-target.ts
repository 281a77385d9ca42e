/**
 * The `sim` target: the in-process simulator as a device under test, optionally with
 * a fault's perturbations applied. Same contract as a board: timing rounded to the
 * bench's tick, spikes as (output, time) in PROTOCOL.md output numbering; a stochastic
 * bench draws each repetition from its own stream (salt = repetition index), so a run
 * is reproducible.
 *
 *   const t = createSimTarget({ bench });                       // good chip
 *   const f = createSimTarget({ bench, perturbations: fault.perturbations });
 */
import type { Testbench } from "../formats/testbench-format.ts";
import { compileNetwork } from "../sim/compile.ts";
import { observableSpikes, simulateNetwork } from "../sim/network.ts";
import { applyPerturbations, type Perturbation } from "../sim/perturbation.ts";
import type { Target, TargetInfo } from "./target.ts";

export interface SimTargetOptions {
  bench: Testbench;
  perturbations?: readonly Perturbation[];
}

export function createSimTarget(o: SimTargetOptions): Target {
  const base = compileNetwork(o.bench);
  const layers = base.layers;
  const writes = new Map<string, string>();
  const tickPs = o.bench.timing.tickPs;
  let net = applyPerturbations(base, o.perturbations ?? []);
  let timing = { iwPs: o.bench.timing.iwPs, lwPs: o.bench.timing.lwPs };
  const round = (ps: number) => Math.max(tickPs, Math.round(ps / tickPs) * tickPs);
  const info: TargetInfo = {
    kind: "sim",
    identity: `sim:${o.bench.id}`,
    inputs: layers[0].rows,
    outputs: o.bench.observe === "all" ? layers.reduce((s, l) => s + l.cols, 0) : layers[layers.length - 1].cols,
    tickPs,
  };
  return {
    async open() {
      return info;
    },
    async setTiming(iwPs, lwPs) {
      timing = { iwPs: round(iwPs), lwPs: round(lwPs) };
      return timing;
    },
    async writeRow(layer, row, bits) {
      writes.set(`${layer}.${row}`, bits);
      const ps: Perturbation[] = [];
      for (const [key, b] of writes) {
        const [l, r] = key.split(".").map(Number);
        for (let col = 0; col < b.length; col++) ps.push({ site: { kind: "cell", layer: l, row: r, col }, quantity: "weight", op: "set", value: b[col] === "1" ? 1 : 0 });
      }
      net = applyPerturbations(applyPerturbations(base, ps), o.perturbations ?? []);
    },
    async apply(stim) {
      const r = simulateNetwork(net, { ...timing, windows: stim.windows, events: stim.events }, { rngSalt: stim.repetition ?? 0 });
      return { spikes: observableSpikes(net, r.spikes).map((s) => ({ output: s.output, timePs: s.timePs })), retries: 0, logs: [] };
    },
    async close() {},
  };
}
