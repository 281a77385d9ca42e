/**
 * Static analysis of a network for fault handling: which rows can ever be driven,
 * the largest current each neuron can ever see, which neurons can ever fire, which
 * neurons reach a pin — and, from those, proofs that a fault is undetectable (UD)
 * by any stimulus the bench allows, and whether a faulty neuron can never fire.
 *
 *   const a = createFaultAnalysis(net);
 *   a.undetectableReason(a.effects.effectOf(fault.perturbations), fault.site)
 *   // "an in-cell .read path carries no write current: no spike test can see it"
 *
 * Bounds (all sound, i.e. they may fail to prove something, never prove a falsehood):
 *   - a column's own (single-ended) current only grows with its set of active rows
 *     (every cell is a conductance to the drive voltage), so the all-drivable-rows
 *     current is its maximum. With a differential read (sim/differential-read.ts) the
 *     neuron sees I_col(S) − I_ref(S), which is NOT monotone in S (a row whose cell is
 *     weaker than the reference lowers it); but I_ref(S) ≥ 0 and faults never touch the
 *     reference, so I_col(S) − I_ref(S) ≤ I_col(S) ≤ I_col(all drivable rows): the
 *     single-ended all-rows current stays a sound (looser) upper bound, and it is what
 *     maxCurrentUa holds. Nothing here uses a lower bound on a neuron current;
 *   - whether a neuron can fire below a current bound comes from its model's `bounds`
 *     (src/sim/neuron/, read through neuron-bounds.ts);
 *   - a row of layer l > 0 is driven only by spikes of neuron l−1.n<row>;
 *   - a hidden neuron reaches a pin only through a next-layer neuron that can fire
 *     with all its rows driven and itself reaches a pin.
 */
import type { CompiledLayer, CompiledNetwork } from "../sim/compile.ts";
import { columnOutputUa } from "../sim/crossbar.ts";
import type { NeuronParams } from "../sim/neuron/neuron-model.ts";
import { neuronMayFire } from "./neuron-bounds.ts";
import { observableLayers } from "../sim/network.ts";
import type { Site } from "../sim/sites.ts";
import { createEffectCalculator, type EffectCalculator, type ElementEffect } from "./fault-effect.ts";

export interface FaultAnalysis {
  readonly net: CompiledNetwork;
  readonly effects: EffectCalculator;
  /** rowDrivable[l][r]: row r of layer l can ever be active. */
  readonly rowDrivable: readonly Uint8Array[];
  /** maxCurrentUa[l][c]: upper bound of the neuron current of column c — its single-ended current with all drivable rows active, µA. */
  readonly maxCurrentUa: readonly Float64Array[];
  /** canFire[l][c]: the fault-free neuron can fire for some stimulus (not proved silent). */
  readonly canFire: readonly Uint8Array[];
  /** reachesPin[l][c]: the neuron's spikes can change an observable output. */
  readonly reachesPin: readonly Uint8Array[];
  /** Whether the neuron with the given element effects applied can ever fire. */
  faultyCanFire(effects: readonly ElementEffect[], layer: number, col: number): boolean;
  /** Proof that a fault with these effects is undetectable, or null. */
  undetectableReason(effects: readonly ElementEffect[], site: Site): string | null;
}

/** Single-ended current of column c (no reference subtracted): an upper bound of its neuron current for any subset of `active`. */
function columnCurrent(l: CompiledLayer, c: number, active: Uint8Array, V: number, cellOhms?: Float64Array, segOhms?: Float64Array, rin?: number): number {
  const o = c * l.rows;
  return columnOutputUa(
    {
      cellOhms: cellOhms ?? l.cellOhms.subarray(o, o + l.rows),
      segmentOhms: segOhms ?? l.segmentOhms.subarray(o, o + l.rows),
      neuronInputOhms: rin ?? l.neuronInputOhms[c],
      writeVoltageV: V,
    },
    active,
  );
}

/** Analyse a network once; the result answers per-fault questions cheaply. */
export function createFaultAnalysis(net: CompiledNetwork): FaultAnalysis {
  const V = net.writeVoltageV;
  const rowDrivable: Uint8Array[] = [];
  const maxCurrentUa: Float64Array[] = [];
  const canFire: Uint8Array[] = [];
  net.layers.forEach((l, li) => {
    const rows = li === 0 ? new Uint8Array(l.rows).fill(1) : canFire[li - 1].slice();
    const cur = new Float64Array(l.cols);
    const fire = new Uint8Array(l.cols);
    for (let c = 0; c < l.cols; c++) {
      cur[c] = columnCurrent(l, c, rows, V);
      fire[c] = neuronMayFire(l.model, l.neurons[c], cur[c]) ? 1 : 0;
    }
    rowDrivable.push(rows);
    maxCurrentUa.push(cur);
    canFire.push(fire);
  });
  const obs = new Set(observableLayers(net));
  const reachesPin: Uint8Array[] = net.layers.map((l) => new Uint8Array(l.cols));
  for (let li = net.layers.length - 1; li >= 0; li--) {
    const l = net.layers[li];
    if (obs.has(li)) {
      reachesPin[li].fill(1);
      continue;
    }
    const next = net.layers[li + 1];
    // Next-layer neurons that can fire with every row driven (a superset of what a fault upstream can cause).
    const all = new Uint8Array(next.rows).fill(1);
    let anyListener = false;
    for (let m = 0; m < next.cols; m++) {
      if (reachesPin[li + 1][m] && neuronMayFire(next.model, next.neurons[m], columnCurrent(next, m, all, V))) anyListener = true;
    }
    if (anyListener) reachesPin[li].fill(1);
    void l;
  }

  const effects = createEffectCalculator(net);

  function faultyCanFire(fx: readonly ElementEffect[], li: number, c: number): boolean {
    const l = net.layers[li];
    const o = c * l.rows;
    let params: NeuronParams = l.neurons[c];
    let rin = l.neuronInputOhms[c];
    let cells: Float64Array | undefined;
    let segs: Float64Array | undefined;
    for (const e of fx) {
      if (e.layer !== li || e.col !== c) continue;
      if (e.kind === "neuron") {
        params = e.params;
        rin = e.newInputOhms;
      } else if (e.kind === "cell") {
        cells ??= l.cellOhms.slice(o, o + l.rows);
        cells[e.row] = e.newOhms;
      } else {
        segs ??= l.segmentOhms.slice(o, o + l.rows);
        segs[e.index] = e.newOhms;
      }
    }
    const maxUa = cells || segs || rin !== l.neuronInputOhms[c] ? columnCurrent(l, c, rowDrivable[li], V, cells, segs, rin) : maxCurrentUa[li][c];
    return neuronMayFire(l.model, params, maxUa);
  }

  function undetectableReason(fx: readonly ElementEffect[], site: Site): string | null {
    if (fx.length === 0) {
      return site.kind === "cell-read"
        ? "an in-cell .read path carries no write current: no spike test can see it"
        : "the fault leaves every element of the spiking path unchanged (e.g. the weight already has the faulty value)";
    }
    const li = fx[0].layer;
    const c = fx[0].col;
    if (!fx.every((e) => e.layer === li && e.col === c)) return null;
    if (!reachesPin[li][c]) return `no observable output depends on neuron l${li}.n${c} (no next-layer neuron that reaches a pin can fire)`;
    for (const e of fx) {
      if (e.kind === "cell" && !rowDrivable[li][e.row]) {
        return `row ${e.row} of layer ${li} is never driven (neuron l${li - 1}.n${e.row} can never fire)`;
      }
      if (e.kind === "segment") {
        let driven = false;
        for (let r = 0; r <= e.index && !driven; r++) driven = rowDrivable[li][r] === 1;
        if (!driven) return `segment ${e.index} of l${li}.c${c} never carries current: none of rows 0..${e.index} is ever driven`;
      }
    }
    if (!canFire[li][c] && !faultyCanFire(fx, li, c)) {
      return `neuron l${li}.n${c} can never fire, with or without the fault (largest possible current ${maxCurrentUa[li][c].toFixed(2)} µA)`;
    }
    return null;
  }

  return { net, effects, rowDrivable, maxCurrentUa, canFire, reachesPin, faultyCanFire, undetectableReason };
}
