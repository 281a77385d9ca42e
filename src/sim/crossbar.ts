/**
 * Crossbar column electrics: each column is a resistive ladder, solved exactly.
 *
 *   V_write ─ cell 0 ─ node 0 ─ seg 0 ─ node 1 ─ seg 1 ─ … ─ node R ─ R_in (neuron heavy metal) ─ GND
 *                        cell 1 ┘            cell R−1 ┘
 *
 * Cell k (MTJ + access transistor + any in-cell open, conductance G_k) connects the
 * row driver to node k only while row k is active (its access transistor is on);
 * segment k joins node k to node k+1, so segment k carries the current of cells 0..k
 * (seed 000 fig. 5: rop1 = seg 0 behind one cell, rop2 = seg 1 behind two, rop3 = seg 3
 * behind all four). The ladder is solved by Norton reduction from the top and back
 * substitution from the neuron — exact nodal analysis in O(rows), robust to zero-ohm
 * segments. `columnSensitivity` gives the exact change of the neuron current when one
 * cell's conductance changes (a rank-one update), which the fast fault engine uses.
 *
 *   const r = solveColumn({ cellOhms, segmentOhms, neuronInputOhms: 20, writeVoltageV: 1.1 }, active);
 *   r.outputUa; // neuron heavy-metal current, µA
 */

/** Electrical description of one column. */
export interface ColumnElectrics {
  /** Branch resistance of each cell (MTJ + access + in-cell series), ohms, by row. */
  cellOhms: ArrayLike<number>;
  /** Resistance of segment k (node k → node k+1), ohms, by k. */
  segmentOhms: ArrayLike<number>;
  /** Neuron input (heavy metal + write transistor) to ground, ohms. */
  neuronInputOhms: number;
  /** Row drive voltage during the integrate window, volts. */
  writeVoltageV: number;
}

/** Result of one column solve. */
export interface ColumnSolution {
  /** Current into the neuron, µA. */
  outputUa: number;
  /** Current of each cell, µA (0 for inactive rows). */
  cellUa: Float64Array;
  /** Voltage of node k, volts; index rows = neuron input node. */
  nodeV: Float64Array;
}

/** Exact solve of a column for a given set of active rows (`active[r] !== 0`). */
export function solveColumn(col: ColumnElectrics, active: ArrayLike<number>): ColumnSolution {
  const n = col.cellOhms.length;
  const V = col.writeVoltageV;
  // Norton equivalent (G, I) of everything above, seen just below segment k.
  const gBelowSeg = new Float64Array(n);
  const iBelowSeg = new Float64Array(n);
  let g = 0;
  let i = 0;
  for (let k = 0; k < n; k++) {
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      g += gc;
      i += gc * V;
    }
    const f = 1 + g * col.segmentOhms[k];
    g /= f;
    i /= f;
    gBelowSeg[k] = g;
    iBelowSeg[k] = i;
  }
  const rin = col.neuronInputOhms;
  const out = i / (1 + g * rin);
  const nodeV = new Float64Array(n + 1);
  nodeV[n] = out * rin;
  const cellUa = new Float64Array(n);
  for (let k = n - 1; k >= 0; k--) {
    const iseg = iBelowSeg[k] - gBelowSeg[k] * nodeV[k + 1];
    nodeV[k] = nodeV[k + 1] + iseg * col.segmentOhms[k];
    if (active[k]) cellUa[k] = ((V - nodeV[k]) / col.cellOhms[k]) * 1e6;
  }
  return { outputUa: out * 1e6, cellUa, nodeV };
}

/** Only the neuron current, µA (no per-cell back substitution). */
export function columnOutputUa(col: ColumnElectrics, active: ArrayLike<number>): number {
  const n = col.cellOhms.length;
  const V = col.writeVoltageV;
  let g = 0;
  let i = 0;
  for (let k = 0; k < n; k++) {
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      g += gc;
      i += gc * V;
    }
    const f = 1 + g * col.segmentOhms[k];
    g /= f;
    i /= f;
  }
  return (i / (1 + g * col.neuronInputOhms)) * 1e6;
}

/**
 * Per-cell sensitivity of the neuron current, exact for any conductance change of
 * one cell: with the rest of the column as a Thevenin source (V0_k, Z_k) at node k,
 * the cell current is i(G) = G·(V − V0_k)/(1 + G·Z_k) and the neuron current moves
 * by a_k·Z_k·(i(G') − i(G)), where a_k = dI_out/dv_k.
 */
export interface ColumnSensitivity {
  /** Neuron current of the unperturbed column, µA. */
  outputUa: number;
  /** Thevenin voltage at node k without cell k, volts. */
  theveninV: Float64Array;
  /** Thevenin resistance at node k without cell k, ohms. */
  theveninOhms: Float64Array;
  /** dI_out/dv_k, siemens. */
  transferS: Float64Array;
}

export function columnSensitivity(col: ColumnElectrics, active: ArrayLike<number>): ColumnSensitivity {
  const n = col.cellOhms.length;
  const V = col.writeVoltageV;
  // Upward Norton at node k excluding cell k (from nodes above through seg k−1).
  const gUp = new Float64Array(n);
  const iUp = new Float64Array(n);
  let g = 0;
  let i = 0;
  for (let k = 0; k < n; k++) {
    gUp[k] = g;
    iUp[k] = i;
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      g += gc;
      i += gc * V;
    }
    const f = 1 + g * col.segmentOhms[k];
    g /= f;
    i /= f;
  }
  const outputUa = (i / (1 + g * col.neuronInputOhms)) * 1e6;
  // Downward Norton at node k excluding cell k (seg k and everything below), and dI_out/dv_k.
  const theveninV = new Float64Array(n);
  const theveninOhms = new Float64Array(n);
  const transferS = new Float64Array(n);
  let gC = 1 / Math.max(col.neuronInputOhms, 1e-12); // node n: neuron to ground
  let iC = 0;
  let a = 1 / Math.max(col.neuronInputOhms, 1e-12);
  for (let k = n - 1; k >= 0; k--) {
    const rs = col.segmentOhms[k];
    const f = 1 + gC * rs;
    const gD = gC / f;
    const iD = iC / f;
    a = a / f; // dv_{k+1}/dv_k = 1/(1 + R_s·G_C)
    const gRest = gUp[k] + gD;
    theveninOhms[k] = 1 / gRest;
    theveninV[k] = (iUp[k] + iD) / gRest;
    transferS[k] = a;
    // Below-node-(k) view including cell k for the next step up.
    gC = gD;
    iC = iD;
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      gC += gc;
      iC += gc * V;
    }
  }
  return { outputUa, theveninV, theveninOhms, transferS };
}

/** Neuron current (µA) after cell k's branch resistance changes to `newCellOhms`, from a sensitivity. */
export function outputWithCellChange(
  s: ColumnSensitivity,
  k: number,
  oldCellOhms: number,
  newCellOhms: number,
  writeVoltageV: number,
): number {
  const z = s.theveninOhms[k];
  const dv = writeVoltageV - s.theveninV[k];
  const g0 = 1 / oldCellOhms;
  const g1 = Number.isFinite(newCellOhms) ? 1 / newCellOhms : 0;
  const i0 = (g0 * dv) / (1 + g0 * z);
  const i1 = (g1 * dv) / (1 + g1 * z);
  return s.outputUa + s.transferS[k] * z * (i1 - i0) * 1e6;
}
