/**
 * Perturbations: generic, structural changes to a compiled network — the only way
 * anything outside `sim/` alters the chip. `sim/` knows nothing of faults; the fault
 * layer translates a fault into perturbations.
 *
 *   applyPerturbations(net, [{ site: { kind: "segment", layer: 0, col: 0, index: 0 }, quantity: "ohms", op: "add", value: 16000 }])
 *
 * Quantities by site kind:
 *   cell, cell-series    ohms (branch resistance), conductance (siemens of the branch), weight (0..1, MTJ state),
 *                        level (0..levels − 1 of a domain-wall cell, clamped; a binary cell has levels 0, 1)
 *   segment              ohms
 *   neuron               criticalCurrentUa, gainPerUaNs, leakTauNs, threshold, dead (value 1 = never fires)
 *   cell-read            ohms (sense path only: no effect on spiking; READ sees it, read-sense.ts)
 */
import { SnnAtpgError } from "../formats/errors.ts";
import { levelCount, levelOfWeight, mtjOhms, type CompiledLayer, type CompiledNetwork } from "./compile.ts";
import type { Site } from "./sites.ts";

export type PerturbationOp = "set" | "scale" | "add";

export interface Perturbation {
  site: Site;
  quantity: string;
  op: PerturbationOp;
  value: number;
}

/**
 * Whether a perturbation changes the crossbar's write currents: a neuron's dynamics
 * (threshold, gain, leak, critical current, dead) and a cell's read path leave every
 * column current as it was; cells, segments and a neuron's input resistance do not.
 */
export function changesColumnCurrents(p: Perturbation): boolean {
  if (p.site.kind === "cell-read") return false;
  return p.site.kind !== "neuron" || p.quantity === "inputOhms";
}

/** Apply op to a value. */
export function applyOp(old: number, op: PerturbationOp, value: number): number {
  return op === "set" ? value : op === "scale" ? old * value : old + value;
}

function cloneLayer(l: CompiledLayer): CompiledLayer {
  return {
    ...l,
    weights: l.weights.slice(),
    cellOhms: l.cellOhms.slice(),
    segmentOhms: l.segmentOhms.slice(),
    neuronInputOhms: l.neuronInputOhms.slice(),
    neurons: l.neurons.map((n) => ({ ...n })),
  };
}

/** Error for a perturbation the site kind does not support. */
export class PerturbationError extends SnnAtpgError {
  constructor(message: string) {
    super(message);
    this.name = "PerturbationError";
  }
}

/** Return a new network with the perturbations applied (touched layers are copied). */
export function applyPerturbations(net: CompiledNetwork, ps: readonly Perturbation[]): CompiledNetwork {
  if (ps.length === 0) return net;
  const layers = net.layers.slice();
  const cloned = new Set<number>();
  for (const p of ps) {
    const li = p.site.layer;
    if (!cloned.has(li)) {
      layers[li] = cloneLayer(layers[li]);
      cloned.add(li);
    }
    perturbLayer(layers[li], p, net);
  }
  return { ...net, layers };
}

/**
 * Apply perturbations to `net`'s own layers, in place — for a caller that owns those
 * arrays (a simulated chip patching one written row) and cannot afford to copy a layer.
 */
export function applyPerturbationsInPlace(net: CompiledNetwork, ps: readonly Perturbation[]): void {
  for (const p of ps) perturbLayer(net.layers[p.site.layer], p, net);
}

/**
 * Run `fn` on `net` with the perturbations applied in place, then put back exactly what
 * they touched (each touched column's cells, weights, segments, input resistance and
 * neuron; a layer's read-path map) — even when `fn` throws. For a caller that owns `net`
 * and simulates many variants of it one after another (an open sweep, a criticality run):
 * applyPerturbations' copy of a 784 × 1024 layer is three 6.4 MB arrays per variant, and
 * freeing and refaulting them from the C heap at that rate made `sweep-open` on bnn take
 * 6 s or 15 s at random (1.4 M page faults in the slow runs).
 *
 *   const spikes = withPerturbations(net, [{ site, quantity: "ohms", op: "add", value: 4e4 }], (n) => simulateNetwork(n, stim));
 */
export function withPerturbations<T>(net: CompiledNetwork, ps: readonly Perturbation[], fn: (net: CompiledNetwork) => T): T {
  const saved = [...new Set(ps.map((p) => `${p.site.layer}:${p.site.col}`))].map((key) => {
    const [li, c] = key.split(":").map(Number);
    const l = net.layers[li];
    const from = c * l.rows;
    const to = from + l.rows;
    return { l, c, from, cells: l.cellOhms.slice(from, to), weights: l.weights.slice(from, to), segments: l.segmentOhms.slice(from, to), input: l.neuronInputOhms[c], neuron: l.neurons[c], reads: l.readExtraOhms };
  });
  for (const s of saved) s.l.neurons[s.c] = { ...s.neuron }; // perturbed as a copy: the original object is put back
  try {
    applyPerturbationsInPlace(net, ps);
    return fn(net);
  } finally {
    for (const s of saved) {
      s.l.cellOhms.set(s.cells, s.from);
      s.l.weights.set(s.weights, s.from);
      s.l.segmentOhms.set(s.segments, s.from);
      s.l.neuronInputOhms[s.c] = s.input;
      s.l.neurons[s.c] = s.neuron;
      s.l.readExtraOhms = s.reads;
    }
  }
}

function perturbLayer(l: CompiledLayer, p: Perturbation, net: CompiledNetwork): void {
  const s = p.site;
  switch (s.kind) {
    case "cell":
    case "cell-series": {
      const i = s.col * l.rows + s.row;
      if (p.quantity === "ohms") l.cellOhms[i] = applyOp(l.cellOhms[i], p.op, p.value);
      else if (p.quantity === "conductance") {
        const g = applyOp(1 / l.cellOhms[i], p.op, p.value);
        l.cellOhms[i] = g > 0 ? 1 / g : Number.POSITIVE_INFINITY;
      } else if (p.quantity === "weight") {
        const extra = l.cellOhms[i] - mtjOhms(net.device, l.weights[i]);
        l.weights[i] = Math.min(1, Math.max(0, applyOp(l.weights[i], p.op, p.value)));
        l.cellOhms[i] = mtjOhms(net.device, l.weights[i]) + extra;
      } else if (p.quantity === "level") {
        // a multi-level cell's wall position in levels (compile.ts): weight = clamp(level op value)/top
        const top = levelCount(net.device) - 1;
        const extra = l.cellOhms[i] - mtjOhms(net.device, l.weights[i]);
        l.weights[i] = Math.min(top, Math.max(0, applyOp(levelOfWeight(net.device, l.weights[i]), p.op, p.value))) / top;
        l.cellOhms[i] = mtjOhms(net.device, l.weights[i]) + extra;
      } else throw new PerturbationError(`a cell has no quantity "${p.quantity}" (ohms, conductance, weight, level)`);
      return;
    }
    case "segment": {
      if (p.quantity !== "ohms") throw new PerturbationError(`a segment has no quantity "${p.quantity}" (ohms)`);
      const i = s.col * l.rows + s.index;
      l.segmentOhms[i] = applyOp(l.segmentOhms[i], p.op, p.value);
      return;
    }
    case "neuron": {
      const n = l.neurons[s.col];
      if (p.quantity === "dead") n.dead = p.value !== 0;
      else if (p.quantity === "criticalCurrentUa" || p.quantity === "gainPerUaNs" || p.quantity === "leakTauNs" || p.quantity === "threshold") {
        n[p.quantity] = applyOp(n[p.quantity], p.op, p.value);
      } else if (p.quantity === "inputOhms") {
        l.neuronInputOhms[s.col] = applyOp(l.neuronInputOhms[s.col], p.op, p.value);
      } else throw new PerturbationError(`a neuron has no quantity "${p.quantity}"`);
      return;
    }
    case "cell-read": {
      // The sense path carries no write current: spiking is unchanged; READ sees it (read-sense.ts).
      if (p.quantity !== "ohms") throw new PerturbationError(`a cell's read path has no quantity "${p.quantity}" (ohms)`);
      const i = s.col * l.rows + s.row;
      const m = new Map(l.readExtraOhms ?? []);
      m.set(i, applyOp(m.get(i) ?? 0, p.op, p.value));
      l.readExtraOhms = m;
      return;
    }
  }
}
