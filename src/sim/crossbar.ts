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
 * cell's conductance changes (a rank-one update), which the fast fault engine uses;
 * `segmentSensitivity` does the same for one segment's or the neuron input's resistance
 * (derivation at `SegmentSensitivity`).
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

/**
 * Norton source (G, I) behind a series resistance R becomes (G/f, I/f), f = 1 + G·R.
 * With nothing driven above (G = 0, I = 0) it stays (0, 0) for any R — also R = ∞ (a
 * broken line), where 1 + 0·∞ would be NaN and poison the whole column.
 */
function seriesDivisor(g: number, ohms: number): number {
  return g === 0 ? 1 : 1 + g * ohms;
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
    const f = seriesDivisor(g, col.segmentOhms[k]);
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
    const f = seriesDivisor(g, col.segmentOhms[k]);
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

/** An empty sensitivity for columns of `rows` rows, to be filled by `columnSensitivity(…, into)`. */
export function createColumnSensitivity(rows: number): ColumnSensitivity {
  return { outputUa: 0, theveninV: new Float64Array(rows), theveninOhms: new Float64Array(rows), transferS: new Float64Array(rows) };
}

/** Sensitivity of a column; `into` (same row count) is filled and returned instead of allocating. */
export function columnSensitivity(col: ColumnElectrics, active: ArrayLike<number>, into?: ColumnSensitivity): ColumnSensitivity {
  const n = col.cellOhms.length;
  const V = col.writeVoltageV;
  const out = into ?? createColumnSensitivity(n);
  // Upward Norton at node k excluding cell k (from nodes above through seg k−1), kept in
  // theveninV / theveninOhms until the downward pass overwrites them at the same k.
  const gUp = out.theveninOhms;
  const iUp = out.theveninV;
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
    const f = seriesDivisor(g, col.segmentOhms[k]);
    g /= f;
    i /= f;
  }
  out.outputUa = (i / (1 + g * col.neuronInputOhms)) * 1e6;
  // Downward Norton at node k excluding cell k (seg k and everything below), and dI_out/dv_k.
  const { theveninV, theveninOhms, transferS } = out;
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
  return out;
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

/**
 * Exact O(1) answer to "segment k's resistance becomes R'" (a resistive open in the
 * column line) or "the neuron input resistance becomes R_in'", from the good column.
 *
 * Segment k. Cut the ladder at segment k. Above it (nodes 0..k, cells 0..k) is a Norton
 * source (G_A, J_A) seen at node k — the forward reduction's state after adding cell k,
 * before crossing segment k. Below it (node k+1, cells k+1.., the segments below and the
 * neuron input to ground) is a Norton source (G_B, J_B) seen at node k+1 — the backward
 * reduction's state just above node k+1. Segment k joins the two, so its current is
 *
 *   i_k(R) = (J_A/G_A − J_B/G_B) / (1/G_A + R + 1/G_B) = (J_A·G_B − J_B·G_A) / (G_A + G_B + R·G_A·G_B)
 *
 * (the right form stays finite for G_A = 0, no driven row above: i = 0, and for R = ∞).
 * By the substitution theorem segment k can be replaced by a current source i_k into
 * node k+1 without changing anything below it, and the network below is linear, so
 *
 *   I_out(R') = I_out(R) + β_k · (i_k(R') − i_k(R)),     β_k = a_{k+1} / G_B
 *
 * where a_{k+1} = dI_out/dv_{k+1} with the network below driven at node k+1 (the product
 * of the divider ratios 1/(1 + R_s·G) down to the neuron, times 1/R_in) and 1/G_B turns
 * an injected current into dv_{k+1}. Every other quantity is the good column's; only
 * i_k changes. This is exact (no linearisation): the map R → I_out is a Möbius function
 * of R whose three coefficients are the good column's Norton quantities.
 *
 * Neuron input. The whole column above the neuron input node is a Norton source
 * (G_N, J_N) (the forward reduction's final state), so I_out(R_in) = J_N / (1 + G_N·R_in).
 *
 * An in-cell series open changes a cell's branch resistance and is a cell change
 * (`outputWithCellChange`).
 *
 *   const s = segmentSensitivity(col, active);
 *   outputWithSegmentChange(s, 3, col.segmentOhms[3], 50e3)  // = columnOutputUa of the opened column
 */
export interface SegmentSensitivity {
  /** Neuron current of the unperturbed column, µA. */
  outputUa: number;
  /** Norton conductance (S) and current (A) of nodes 0..k with cells 0..k, seen at node k above segment k. */
  aboveS: Float64Array;
  aboveA: Float64Array;
  /** Norton conductance (S) and current (A) of node k+1 and everything below it, without segment k. */
  belowS: Float64Array;
  belowA: Float64Array;
  /** β_k = dI_out/dJ for a current J injected into node k+1 (dimensionless). */
  injectGain: Float64Array;
  /** Norton conductance (S) and current (A) of the whole column at the neuron input node. */
  inputS: number;
  inputA: number;
}

/** An empty segment sensitivity for columns of `rows` rows, to be filled by `segmentSensitivity(…, into)`. */
export function createSegmentSensitivity(rows: number): SegmentSensitivity {
  const f = () => new Float64Array(rows);
  return { outputUa: 0, aboveS: f(), aboveA: f(), belowS: f(), belowA: f(), injectGain: f(), inputS: 0, inputA: 0 };
}

/** Good-column quantities for O(1) segment and neuron-input changes (see `SegmentSensitivity`); `into` is filled instead of allocating. */
export function segmentSensitivity(col: ColumnElectrics, active: ArrayLike<number>, into?: SegmentSensitivity): SegmentSensitivity {
  const n = col.cellOhms.length;
  const V = col.writeVoltageV;
  const out = into ?? createSegmentSensitivity(n);
  const { aboveS, aboveA, belowS, belowA, injectGain } = out;
  let g = 0;
  let i = 0;
  for (let k = 0; k < n; k++) {
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      g += gc;
      i += gc * V;
    }
    aboveS[k] = g;
    aboveA[k] = i;
    const f = seriesDivisor(g, col.segmentOhms[k]);
    g /= f;
    i /= f;
  }
  out.outputUa = (i / (1 + g * col.neuronInputOhms)) * 1e6;
  out.inputS = g;
  out.inputA = i;
  let gC = 1 / Math.max(col.neuronInputOhms, 1e-12);
  let iC = 0;
  let a = gC;
  for (let k = n - 1; k >= 0; k--) {
    belowS[k] = gC;
    belowA[k] = iC;
    injectGain[k] = a / gC;
    const f = 1 + gC * col.segmentOhms[k];
    gC /= f;
    iC /= f;
    a /= f;
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      gC += gc;
      iC += gc * V;
    }
  }
  return out;
}

/**
 * `columnSensitivity` and `segmentSensitivity` of one column in one forward and one
 * backward pass (they walk the same Norton reductions: the same operations in the same
 * order, so every value is bit-identical to the separate calls'); `cell` and `seg` are filled.
 */
export function columnSensitivities(col: ColumnElectrics, active: ArrayLike<number>, cell: ColumnSensitivity, seg: SegmentSensitivity): void {
  const n = col.cellOhms.length;
  const V = col.writeVoltageV;
  const { theveninV, theveninOhms, transferS } = cell;
  const { aboveS, aboveA, belowS, belowA, injectGain } = seg;
  let g = 0;
  let i = 0;
  for (let k = 0; k < n; k++) {
    theveninOhms[k] = g; // the upward Norton without cell k, until the backward pass overwrites it
    theveninV[k] = i;
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      g += gc;
      i += gc * V;
    }
    aboveS[k] = g;
    aboveA[k] = i;
    const f = seriesDivisor(g, col.segmentOhms[k]);
    g /= f;
    i /= f;
  }
  cell.outputUa = seg.outputUa = (i / (1 + g * col.neuronInputOhms)) * 1e6;
  seg.inputS = g;
  seg.inputA = i;
  let gC = 1 / Math.max(col.neuronInputOhms, 1e-12);
  let iC = 0;
  let a = 1 / Math.max(col.neuronInputOhms, 1e-12);
  for (let k = n - 1; k >= 0; k--) {
    belowS[k] = gC;
    belowA[k] = iC;
    injectGain[k] = a / gC;
    const f = 1 + gC * col.segmentOhms[k];
    const gD = gC / f;
    const iD = iC / f;
    a = a / f;
    const gRest = theveninOhms[k] + gD;
    theveninOhms[k] = 1 / gRest;
    theveninV[k] = (theveninV[k] + iD) / gRest;
    transferS[k] = a;
    gC = gD;
    iC = iD;
    if (active[k]) {
      const gc = 1 / col.cellOhms[k];
      gC += gc;
      iC += gc * V;
    }
  }
}

/** Current of segment k (A) when its resistance is `ohms` and the rest of the column is good. */
function segmentCurrentA(s: SegmentSensitivity, k: number, ohms: number): number {
  const gA = s.aboveS[k];
  const gB = s.belowS[k];
  if (gA === 0 || ohms === Number.POSITIVE_INFINITY) return 0;
  return (s.aboveA[k] * gB - s.belowA[k] * gA) / (gA + gB + ohms * gA * gB);
}

/** Neuron current (µA) after segment k's resistance changes from `oldOhms` to `newOhms` (∞ = broken line), exact. */
export function outputWithSegmentChange(s: SegmentSensitivity, k: number, oldOhms: number, newOhms: number): number {
  return s.outputUa + s.injectGain[k] * (segmentCurrentA(s, k, newOhms) - segmentCurrentA(s, k, oldOhms)) * 1e6;
}

/** Neuron current (µA) after the neuron input resistance changes from `oldOhms` to `newOhms` (∞ = open), exact. */
export function outputWithInputChange(s: SegmentSensitivity, oldOhms: number, newOhms: number): number {
  const at = (r: number) => (r === Number.POSITIVE_INFINITY ? 0 : s.inputA / (1 + s.inputS * r));
  return s.outputUa + (at(newOhms) - at(oldOhms)) * 1e6;
}
